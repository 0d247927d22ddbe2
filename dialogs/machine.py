"""The conversation as a pure state machine: a session and an event in, a new session, replies and
requests for the shell out.

Nothing here waits, reads or writes: the shell loads the session, calls :func:`handle`, stores the
result in one transaction and only then sends the replies. Whatever the shell must look up or do
(store a picture, submit a case, list the user's cases) comes back as an action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from . import render, validators
from .campaign import Campaign
from .events import Button, Command, Event, Pictures, Press, Reply, Text, Unsupported
from .form import FIELDS, FORM_STEPS, Kind, is_part, label, limit_of
from .images import check_picture
from .models import PARTS, STEPS, Case, Step
from .session import Draft, Pending, Session
from .validators import FieldError
from .wordcount import RULE_ZH, count_zi


@dataclass(frozen=True)
class Context:
    """What the dialog needs to know about the world for this one event."""

    campaign: Campaign
    now: datetime
    deadline_note: str = ""  # e.g. 距申报截止还有 5 天; empty when not wanted
    is_open: bool = True
    closed_message: str = "本次征集已截止，不再接受新的申报或修改。"


@dataclass(frozen=True)
class StorePicture:
    sha256: str
    data: bytes


@dataclass(frozen=True)
class SubmitDraft:
    draft: Draft
    accept_near: bool = False


@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class OpenCase:
    """/revise N: the shell looks the case up and calls :func:`reopen` if it may be revised."""

    case_id: int


Action = StorePicture | SubmitDraft | ShowStatus | OpenCase


@dataclass
class Outcome:
    session: Session
    replies: list[Reply] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    changed: bool = False

    def say(
        self, text: str, choices: Sequence[tuple[str, str]] = (), per_row: int = 1, transient: bool = False
    ) -> Outcome:
        self.replies.append(Reply(text=text, buttons=render.rows(choices, per_row), transient=transient))
        return self


@dataclass(frozen=True)
class Accepted:
    case_id: int
    name: str
    unit_name: str
    recommended: bool
    rank: int | None
    quota: int
    used: int  # recommended cases of the unit, this one included


@dataclass(frozen=True)
class Refused:
    message: str


@dataclass(frozen=True)
class NearDuplicate:
    message: str


SubmitResult = Accepted | Refused | NearDuplicate

AT_REVIEW = "已进入核对环节。确认无误请发送 /submit 提交；需要修改请发送 /edit。"
NOT_REVISABLE = "未找到可修改的退回案例。发送 /status 可查看您的案例及编号。"
BAD_UNIT = "推荐单位无效，请发送 /edit 重新选择推荐单位。"
FILES_FAILED = "推荐表文件生成失败，案例已保存。请稍后发送 /status 查看，或联系管理员。"

HELP = (
    "本助手帮助各单位逐项填写《{year}年网络文明建设优秀案例推荐表》。\n"
    "共 {total} 步：案例名称、申报单位、申报类别、推荐单位、开展实施或发布时间、联系人、联系方式、"
    "案例简介（不超过 {summary} 字）、案例内容四部分（背景意义、主要做法、实施成效、经验启示，合计不超过 {content} 字）、"
    "图片资料（可附 {pmin}-{pmax} 张，选填），最后核对提交。\n"
    "{rule}\n"
    "常用命令：/back 返回上一项；/next 保留当前内容进入下一项；/skip 跳过选填项；/clear 清空本项；"
    "/edit 修改任一项；/review 核对全部内容；/submit 提交（须先核对）；/cancel 放弃当前草稿；"
    "/new 新建案例；/status 查看我的案例；/help 查看本说明。\n"
    "已填写的内容随时自动保存，中途离开后再次发送任意消息即可从原步骤继续。"
)


def help_text(campaign: Campaign) -> str:
    limits = campaign.limits
    return HELP.format(
        year=campaign.year,
        total=len(STEPS),
        summary=limits.summary_zi,
        content=limits.content_zi,
        pmin=max(limits.pictures_min, 1),
        pmax=limits.pictures_max,
        rule=RULE_ZH,
    )


# ----------------------------------------------------------------------------- entry points


def handle(session: Session, event: Event, ctx: Context) -> Outcome:
    """Apply one incoming event to a copy of ``session``."""
    out = Outcome(session=_copy(session))
    if isinstance(event, Text) and out.session.pending is not Pending.NONE:
        choice = _typed_choice(out.session, event)
        if choice is None:
            out.say("请点击上方按钮或回复序号进行选择；如不需要，可直接发送其他命令。", out.session.choices, per_row=2)
            return _finish(out)
        event = choice
    if isinstance(event, Press):
        _on_press(out, event, ctx)
    elif isinstance(event, Command):
        _on_command(out, event, ctx)
    elif isinstance(event, Text):
        _on_text(out, event.text, ctx)
    elif isinstance(event, Pictures):
        _on_pictures(out, event, ctx)
    elif isinstance(event, Unsupported):
        out.say(f"暂不支持接收{event.kind}。请按提示发送文字，或在“图片资料”一步发送 JPG、PNG 图片。")
    return _finish(out)


def after_submit(session: Session, result: SubmitResult, ctx: Context) -> Outcome:
    """Turn the shell's verdict on a submission into the next state and the replies."""
    out = Outcome(session=_copy(session), changed=True)
    s = out.session
    if isinstance(result, Accepted):
        s.draft, s.pending = None, Pending.NONE
        where = (
            f"已列入{result.unit_name}推荐名单第 {result.rank} 位（本单位推荐名额 {result.used}/{result.quota}）。"
            if result.recommended
            else f"{result.unit_name}推荐名额 {result.used}/{result.quota} 已满，本案例作为候选案例提交，由推荐单位择优确定。"
        )
        out.say(
            f"案例《{result.name}》已提交。{where}\n推荐表已生成，请查收。发送 /status 可查看案例状态，发送 /new 可填写新的案例。"
        )
    elif isinstance(result, NearDuplicate):
        s.pending = Pending.CONFIRM_NEAR_DUPLICATE
        _confirm(
            out,
            result.message + "\n如确认不是同一案例，请选择“确认提交”；本案例将标注提示，供推荐单位审核。",
            "near",
            "确认提交",
            "暂不提交",
        )
    else:
        s.pending = Pending.NONE
        out.say(result.message)
    return _finish(out)


def reopen(session: Session, case: Case, ctx: Context, notice: str = "") -> Outcome:
    """Open a case returned for revision as the draft, at the first field the coordinator named."""
    out = Outcome(session=_copy(session))
    s = out.session
    if s.draft is not None:
        out.say(
            f"您当前有一份草稿（{s.draft.form.name or '未命名'}）正在填写，请先提交或发送 /cancel 放弃后，"
            f"再发送 /revise {case.id} 修改退回的案例。"
        )
        return _finish(out)
    known = {step.value for step in Step}
    fields = [
        Step(f) for f in case.revise_fields if f in known and not (f == Step.UNIT.value and _fixed_unit(s, ctx))
    ] or [Step.NAME]
    _changed(out)
    s.draft = Draft(case_id=case.id, form=case.form.model_copy(deep=True), fields_to_revise=fields, step=fields[0])
    if notice:
        out.say(notice)
    out.say(
        f"正在修改退回的案例《{case.form.name}》，需修改：{'、'.join(label(f) for f in fields)}。"
        "逐项修改完成后将进入核对页面，请核对后重新提交。"
    )
    _prompt(out, ctx)
    return _finish(out)


def render_status(session: Session, cases: Sequence[Case], ctx: Context) -> Reply:
    draft = session.draft
    name = (draft.form.name or "") if draft else None
    return Reply(text=render.status(cases, name, ctx.campaign))


# ----------------------------------------------------------------------------- plumbing


def _copy(session: Session) -> Session:
    """A private copy to change; a dump and validate is several times faster than deepcopy."""
    return Session.model_validate(session.model_dump())


def _finish(out: Outcome) -> Outcome:
    """Stamp every button with the turn it belongs to, so a button from an older message is known."""
    if out.changed:
        out.session.turn += 1
    turn = out.session.turn
    out.replies = [_retoken(r, turn) for r in out.replies]
    out.session.choices = [_retoken_data(text, data, turn) for text, data in out.session.choices]
    return out


def _retoken_data(text: str, data: str, turn: int) -> tuple[str, str]:
    head, _, _ = data.rpartition(":")
    return text, f"{head}:{turn}"


def _retoken(reply: Reply, turn: int) -> Reply:
    rows = tuple(
        tuple(Button(label=b.label, data=_retoken_data(b.label, b.data, turn)[1]) for b in row) for row in reply.buttons
    )
    return Reply(text=reply.text, buttons=rows, transient=reply.transient)


def _typed_choice(s: Session, event: Text) -> Press | None:
    """A choice typed by its number or label instead of pressed: the same answer as the button."""
    typed = event.text.strip().rstrip(".、")
    for number, (text, data) in enumerate(s.choices, start=1):
        bare = text.split(". ", 1)[-1]
        if typed in (str(number), text, bare):
            return Press(data=data)
    return None


def _changed(out: Outcome) -> Session:
    out.changed = True
    return out.session


def _prompt(out: Outcome, ctx: Context) -> Outcome:
    s = out.session
    draft = s.draft
    if draft is None:
        return out.say("您当前没有正在填写的案例。发送 /new 开始填写新案例，发送 /status 查看已提交的案例。")
    step, form = draft.step, draft.form
    s.choices = []
    if step is Step.REVIEW:
        return out.say(
            render.review(form, ctx.campaign, ctx.deadline_note),
            [("提交", "cmd:submit:0"), ("修改", "cmd:edit:0")],
            per_row=2,
        )
    text = render.prompt(step, form, ctx.campaign, ctx.deadline_note)
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        s.choices = render.category_buttons(ctx.campaign)
        return out.say(text + "\n" + render.category_list(ctx.campaign), s.choices)
    if kind is Kind.UNIT:
        s.choices = render.unit_buttons(ctx.campaign)
        return out.say(text + "\n" + render.unit_list(ctx.campaign), s.choices, per_row=2)
    if kind is Kind.LONG and form.value(step):
        return out.say(text, [("下一项", "cmd:next:0"), ("清空本项", "cmd:clear:0")], per_row=2)
    if kind is Kind.PICTURES:
        return out.say(text, [("完成", "cmd:next:0"), ("不附图片", "cmd:skip:0")], per_row=2)
    return out.say(text)


def _confirm(out: Outcome, text: str, what: str, yes: str, no: str) -> None:
    out.session.choices = [(f"1. {yes}", f"yes:{what}:0"), (f"2. {no}", f"no:{what}:0")]
    out.say(text + f"\n（请点击按钮，或回复 1 {yes}、2 {no}）", out.session.choices, per_row=2)


# ----------------------------------------------------------------------------- navigation


def _fixed_unit(s: Session, ctx: Context) -> bool:
    return s.unit is not None and ctx.campaign.unit(s.unit) is not None


def _goto(s: Session, step: Step, ctx: Context, *, forward: bool = True) -> None:
    draft = s.draft
    assert draft is not None
    if step is Step.UNIT and _fixed_unit(s, ctx):
        draft.form.unit = s.unit
        index = STEPS.index(step) + (1 if forward else -1)
        step = STEPS[max(index, 0)]
    draft.step, draft.appending = step, False


def _advance(out: Outcome, ctx: Context) -> None:
    s = _changed(out)
    draft = s.draft
    assert draft is not None
    if draft.fields_to_revise:
        if draft.step in draft.fields_to_revise:
            draft.fields_to_revise.remove(draft.step)
        nxt = draft.fields_to_revise[0] if draft.fields_to_revise else Step.REVIEW
        _goto(s, nxt, ctx)
    elif draft.editing:
        draft.editing = False
        _goto(s, Step.REVIEW, ctx)
    else:
        _goto(s, STEPS[STEPS.index(draft.step) + 1], ctx)
    _prompt(out, ctx)


# ----------------------------------------------------------------------------- answers


Validator = Callable[[str], object]


def _validator(step: Step, ctx: Context) -> Validator:
    campaign = ctx.campaign
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        return lambda raw: validators.category(raw, campaign.categories)
    if kind is Kind.UNIT:
        return lambda raw: validators.unit(raw, campaign.units)
    if kind is Kind.PERIOD:
        return lambda raw: validators.period(raw, campaign.window)
    if kind is Kind.PHONE:
        return validators.phone
    return lambda raw: validators.short_text(raw, label=label(step), limit=limit_of(step, campaign))


def _on_text(out: Outcome, text: str, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    if draft is None:
        _prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed_message)
        return
    kind = FIELDS[draft.step].kind
    try:
        if kind is Kind.LONG:
            _long_answer(out, text, ctx)
        elif kind is Kind.PICTURES:
            out.say("此步请直接发送图片（JPG 或 PNG）。图片已发送完毕请发送 /next，不附图片请发送 /skip。")
        elif kind is Kind.REVIEW:
            out.say(AT_REVIEW)
        else:
            value = _validator(draft.step, ctx)(text)
            setattr(draft.form, draft.step.value, value)
            _advance(out, ctx)
    except FieldError as error:
        out.say(_refusal(draft.step, str(error)))


def _refusal(step: Step, message: str) -> str:
    return f"【{label(step)}】{message}"


def _long_answer(out: Outcome, text: str, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    step, form, campaign = draft.step, draft.form, ctx.campaign
    current = form.value(step) if draft.appending else None
    combined = f"{current}\n{text}" if current else text
    if is_part(step):
        others = sum(count_zi(form.value(p) or "") for p in PARTS if p is not step)  # type: ignore[arg-type]
        value = validators.long_text(
            combined,
            label=label(step),
            limit=campaign.limits.content_zi,
            used_elsewhere=others,
            whole="案例内容（四部分合计）",
        )
    else:
        value = validators.long_text(combined, label=label(step), limit=campaign.limits.summary_zi)
    _changed(out)
    setattr(form, step.value, value)
    draft.appending = True
    verb = "已补充" if current else "已记录"
    out.say(
        f"{verb}“{label(step)}”：{render.count_line(step, form, campaign)}。\n"
        "如需补充可继续发送，后发内容接在本项之后；本项填写完毕请发送 /next 进入下一项，重填请发送 /clear。",
        [("下一项", "cmd:next:0"), ("清空本项", "cmd:clear:0")],
        per_row=2,
    )


def _on_pictures(out: Outcome, event: Pictures, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    if draft is None or draft.step is not Step.PICTURES:
        where = f"当前为“{label(draft.step)}”一步，" if draft else ""
        out.say(f"{where}此时无需发送图片。图片请在“图片资料”一步发送。")
        return
    if not ctx.is_open:
        out.say(ctx.closed_message)
        return
    limits = ctx.campaign.limits
    have = len(draft.form.pictures)
    if have + len(event.items) > limits.pictures_max:
        out.say(
            f"【图片资料】最多可附 {limits.pictures_max} 张图片，已附 {have} 张，本次发送 {len(event.items)} 张，"
            f"超出 {have + len(event.items) - limits.pictures_max} 张。如需更换，请先发送 /clear 清空已附图片。"
        )
        return
    try:
        checked = [
            check_picture(
                p.data, limits, validators.clean_text(p.caption, multiline=False) if p.caption.strip() else ""
            )
            for p in event.items
        ]
    except FieldError as error:
        out.say(_refusal(Step.PICTURES, str(error)))
        return
    known = {p.sha256 for p in draft.form.pictures}
    if any(c.ref.sha256 in known for c in checked) or len({c.ref.sha256 for c in checked}) < len(checked):
        out.say("【图片资料】该图片已经添加过，请发送其他图片。")
        return
    _changed(out)
    for c in checked:
        out.actions.append(StorePicture(sha256=c.ref.sha256, data=c.data))
        draft.form.pictures.append(c.ref)
    total = len(draft.form.pictures)
    out.say(f"已收到 {len(checked)} 张图片，共已附 {total}/{limits.pictures_max} 张。")
    if total >= limits.pictures_max:
        _advance(out, ctx)
    else:
        out.say("可继续发送图片；图片已发送完毕请发送 /next。", [("完成", "cmd:next:0")])


# ----------------------------------------------------------------------------- buttons


def _on_press(out: Outcome, event: Press, ctx: Context) -> None:
    s = out.session
    action, _, rest = event.data.partition(":")
    arg, _, token = rest.rpartition(":")
    if token != str(s.turn):
        out.say("该按钮已失效（所在消息已过期或已处理），请以最新消息为准。", transient=True)
        return
    if action == "cmd":
        _on_command(out, Command(name=arg), ctx)
    elif (action, s.draft and s.draft.step) in (("cat", Step.CATEGORY), ("unit", Step.UNIT)):
        _on_text(out, arg, ctx)
    elif action == "edit" and s.pending is Pending.CHOOSE_EDIT:
        _start_edit(out, Step(arg), ctx)
    elif action in ("yes", "no"):
        _on_confirm(out, arg, action == "yes", ctx)
    else:
        out.say("该按钮已失效，请以最新消息为准。")


def _on_confirm(out: Outcome, what: str, yes: bool, ctx: Context) -> None:
    s = _changed(out)
    expected = {
        "submit": Pending.CONFIRM_SUBMIT,
        "near": Pending.CONFIRM_NEAR_DUPLICATE,
        "cancel": Pending.CONFIRM_CANCEL,
    }
    if s.pending is not expected.get(what):
        s.pending = Pending.NONE
        out.say("该确认已失效，请以最新消息为准。")
        return
    s.pending, s.choices = Pending.NONE, []
    if what == "cancel":
        if yes:
            s.draft = None
            out.say("当前草稿已放弃。发送 /new 可重新填写。")
        else:
            out.say("已保留草稿，请继续填写。")
            _prompt(out, ctx)
        return
    if not yes:
        out.say("已暂不提交，草稿已保存。")
        _prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed_message)
        return
    assert s.draft is not None
    out.actions.append(SubmitDraft(draft=s.draft.model_copy(deep=True), accept_near=what == "near"))


# ----------------------------------------------------------------------------- commands

_READ_ONLY = {"start", "help", "status", "review", "cancel"}


def _on_command(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if s.pending is not Pending.NONE:
        s.pending, s.choices = Pending.NONE, []
        out.changed = True
    handler = _COMMANDS.get(cmd.name)
    if handler is None:
        out.say(f"无法识别的命令 /{cmd.name}。发送 /help 查看可用命令。")
        return
    if not ctx.is_open and cmd.name not in _READ_ONLY:
        out.say(ctx.closed_message)
        return
    if s.draft is None and cmd.name not in {"start", "help", "status", "new", "revise"}:
        out.say("您当前没有正在填写的案例，此命令暂不可用。发送 /new 开始填写新案例。")
        return
    handler(out, cmd, ctx)


def _cmd_start(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    campaign = ctx.campaign
    unit = campaign.unit(s.unit) if s.unit else None
    greeting = f"您好！欢迎使用{campaign.year}年网络文明建设优秀案例申报助手。"
    if unit:
        greeting += f"\n您的推荐单位：{unit.name}。"
    out.say(greeting + "\n" + help_text(campaign))
    if s.draft is not None:
        out.say("您有一份未完成的草稿，已为您回到上次填写的步骤：")
        _prompt(out, ctx)
    elif not ctx.is_open:
        out.say(ctx.closed_message)
    else:
        _cmd_new(out, cmd, ctx)


def _cmd_help(out: Outcome, cmd: Command, ctx: Context) -> None:
    out.say(help_text(ctx.campaign))
    if out.session.draft is not None:
        _prompt(out, ctx)


def _cmd_new(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if s.draft is not None:
        name = s.draft.form.name or "未命名"
        out.say(f"您已有一份未完成的草稿（{name}），同一时间只能填写一份。请先提交，或发送 /cancel 放弃后再新建。")
        return
    _changed(out)
    s.draft = Draft()
    _goto(s, Step.NAME, ctx)
    _prompt(out, ctx)


def _cmd_status(out: Outcome, cmd: Command, ctx: Context) -> None:
    out.actions.append(ShowStatus())


def _cmd_revise(out: Outcome, cmd: Command, ctx: Context) -> None:
    number = cmd.arg.strip().lstrip("#")
    if not number.isdigit():
        out.say("请写明要修改的案例编号，例如 /revise 12。发送 /status 可查看案例编号。")
        return
    out.actions.append(OpenCase(case_id=int(number)))


def _cmd_back(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    assert draft is not None
    index = STEPS.index(draft.step)
    if index == 0:
        out.say("已经是第一步。")
        _prompt(out, ctx)
        return
    _changed(out)
    draft.editing = False
    draft.fields_to_revise = []
    _goto(s, STEPS[index - 1], ctx, forward=False)
    _prompt(out, ctx)


def _cmd_next(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    if draft.step is Step.REVIEW:
        out.say(AT_REVIEW)
        return
    field = FIELDS[draft.step]
    if field.required and not draft.form.value(draft.step):
        out.say(f"“{field.label}”为必填项，请先填写。")
        return
    _advance(out, ctx)


def _cmd_skip(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    if draft.step is Step.REVIEW or FIELDS[draft.step].required:
        what = "核对环节" if draft.step is Step.REVIEW else f"“{label(draft.step)}”为必填项，"
        out.say(f"{what}不能跳过。/skip 仅适用于选填项（如图片资料）。")
        return
    _advance(out, ctx)


def _cmd_clear(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    kind = FIELDS[draft.step].kind
    if kind not in (Kind.LONG, Kind.PICTURES):
        out.say("此项直接发送新内容即可替换原内容，无需清空。")
        return
    _changed(out)
    if kind is Kind.PICTURES:
        draft.form.pictures = []
    else:
        setattr(draft.form, draft.step.value, None)
    draft.appending = False
    out.say(f"已清空“{label(draft.step)}”。")
    _prompt(out, ctx)


def _cmd_edit(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if cmd.arg:
        typed = _typed_edit(cmd.arg)
        if typed is None:
            out.say("未找到要修改的项目，请回复项目序号（1-13）。")
            return
        _start_edit(out, typed, ctx)
        return
    _changed(out)
    s.pending = Pending.CHOOSE_EDIT
    s.choices = render.edit_choices()
    out.say("请选择要修改的项目（点击按钮或回复序号），修改完成后将回到核对页面：", s.choices, per_row=2)


def _typed_edit(arg: str) -> Step | None:
    text = arg.strip()
    for number, step in enumerate(FORM_STEPS, start=1):
        if text in (str(number), label(step), label(step)[2:], step.value):
            return step
    return None


def _start_edit(out: Outcome, step: Step, ctx: Context) -> None:
    s = _changed(out)
    draft = s.draft
    assert draft is not None
    s.pending, s.choices = Pending.NONE, []
    if step is Step.UNIT and _fixed_unit(s, ctx):
        out.say("推荐单位已按您所属单位确定，不能修改。如有疑问请联系推荐单位。")
        _prompt(out, ctx)
        return
    draft.editing = True
    draft.step, draft.appending = step, False
    _prompt(out, ctx)


def _cmd_review(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = _changed(out)
    assert s.draft is not None
    s.draft.editing = False
    s.draft.step, s.draft.appending = Step.REVIEW, False
    _prompt(out, ctx)


def _cmd_submit(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    assert draft is not None
    if draft.step is not Step.REVIEW:
        out.say("提交前须先核对全部内容：请发送 /review 进入核对页面，确认无误后再提交。")
        return
    absent = render.missing(draft.form)
    if absent:
        out.say("以下必填项尚未填写，暂不能提交：" + "、".join(label(x) for x in absent) + "。请发送 /edit 补充。")
        return
    _changed(out)
    s.pending = Pending.CONFIRM_SUBMIT
    _confirm(
        out,
        f"确认提交案例《{draft.form.name}》吗？提交后将生成推荐表并报送推荐单位。",
        "submit",
        "确认提交",
        "暂不提交",
    )


def _cmd_cancel(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = _changed(out)
    assert s.draft is not None
    s.pending = Pending.CONFIRM_CANCEL
    name = s.draft.form.name or "未命名草稿"
    _confirm(out, f"确认放弃当前草稿（{name}）吗？放弃后已填写的内容将无法恢复。", "cancel", "确认放弃", "继续填写")


_COMMANDS: dict[str, Callable[[Outcome, Command, Context], None]] = {
    "start": _cmd_start,
    "help": _cmd_help,
    "new": _cmd_new,
    "status": _cmd_status,
    "back": _cmd_back,
    "next": _cmd_next,
    "skip": _cmd_skip,
    "clear": _cmd_clear,
    "edit": _cmd_edit,
    "review": _cmd_review,
    "submit": _cmd_submit,
    "cancel": _cmd_cancel,
    "revise": _cmd_revise,
}
