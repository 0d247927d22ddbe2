"""The texts the dialog shows: prompts, counts, the review and the status list."""

from __future__ import annotations

from collections.abc import Sequence

from .campaign import Campaign, YearMonth
from .events import Button
from .form import FIELDS, FORM_STEPS, Kind, is_part, label, limit_of, position
from .models import PARTS, STEPS, Case, CaseForm, Step
from .wordcount import RULE_ZH, count_zi


def content_count(form: CaseForm) -> int:
    return sum(count_zi(p) for p in form.parts())


def content_line(form: CaseForm, campaign: Campaign) -> str:
    shares = "，".join(f"{label(p)[2:]} {count_zi(form.value(p) or '')}" for p in PARTS)  # type: ignore[arg-type]
    return f"内容 {content_count(form)}/{campaign.limits.content_zi} 字（{shares}）"


def count_line(step: Step, form: CaseForm, campaign: Campaign) -> str:
    if step is Step.SUMMARY:
        return f"已 {count_zi(form.summary or '')}/{campaign.limits.summary_zi} 字"
    return content_line(form, campaign)


def display(step: Step, form: CaseForm, campaign: Campaign) -> str:
    """A field's value as the submitter should read it back."""
    value = form.value(step)
    if step is Step.PICTURES:
        if not form.pictures:
            return "（未附图片）"
        return "；".join(
            f"第{i}张 {p.width}×{p.height}" + (f"（{p.caption}）" if p.caption else "")
            for i, p in enumerate(form.pictures, start=1)
        )
    if not value:
        return "（未填写）"
    if step is Step.UNIT:
        unit = campaign.unit(str(value))
        return unit.name if unit else str(value)
    if step is Step.PERIOD:
        return YearMonth.parse(str(value)).zh()
    text = str(value)
    if FIELDS[step].kind is Kind.LONG:
        flat = " ".join(text.split())
        preview = flat if len(flat) <= 60 else flat[:60] + "……"
        return f"{preview}（{count_zi(text)} 字）"
    return text


def missing(form: CaseForm) -> list[Step]:
    return [s for s in FORM_STEPS if FIELDS[s].required and not form.value(s)]


def header(step: Step, deadline_note: str) -> str:
    lines = [f"【第 {position(step)}/{len(STEPS)} 步 · {label(step)}】"]
    if deadline_note:
        lines.append(deadline_note)
    return "\n".join(lines)


def prompt(step: Step, form: CaseForm, campaign: Campaign, deadline_note: str) -> str:
    field = FIELDS[step]
    lines = [header(step, deadline_note), field.hint]
    limits = campaign.limits
    if step is Step.SUMMARY:
        lines.append(f"案例简介不超过 {limits.summary_zi} 字。" + RULE_ZH)
    elif is_part(step):
        lines.append(f"案例内容四部分合计不超过 {limits.content_zi} 字，当前{content_line(form, campaign)}。")
    elif step is Step.PERIOD:
        lines.append(f"申报案例开展实施或发布时限为{campaign.window.zh()}。")
    elif step is Step.PICTURES:
        lines.append(
            f"最多 {limits.pictures_max} 张，可在图片说明中写明图片内容；不附图片请发送 /skip。"
            f"当前已附 {len(form.pictures)} 张。"
        )
    elif field.kind is Kind.SHORT:
        lines.append(f"不超过 {limit_of(step, campaign)} 字。")
    if field.kind is Kind.LONG:
        lines.append("内容较长时可分几条发送，后发的内容接在前面之后；填写完毕请发送 /next 进入下一项。")
    current = form.value(step)
    if current and step is not Step.PICTURES:
        lines.append(f"当前内容：{display(step, form, campaign)}\n发送新内容将替换当前内容；保留当前内容请发送 /next。")
    return "\n".join(lines)


def category_buttons(campaign: Campaign) -> list[tuple[str, str]]:
    """Button data end in a turn, filled in when the reply leaves the dialog."""
    return [(f"{i}. {c.name}", f"cat:{i}:0") for i, c in enumerate(campaign.categories, start=1)]


def unit_buttons(campaign: Campaign) -> list[tuple[str, str]]:
    return [(f"{i}. {u.name}", f"unit:{u.code}:0") for i, u in enumerate(campaign.units, start=1)]


def category_list(campaign: Campaign) -> str:
    return "\n".join(f"{i}. {c.name}——{c.description}" for i, c in enumerate(campaign.categories, start=1))


def unit_list(campaign: Campaign) -> str:
    return "\n".join(f"{i}. {u.name}" for i, u in enumerate(campaign.units, start=1))


def review(form: CaseForm, campaign: Campaign, deadline_note: str) -> str:
    lines = [header(Step.REVIEW, deadline_note), "请核对以下内容："]
    for step in FORM_STEPS:
        lines.append(f"{position(step)}. {label(step)}：{display(step, form, campaign)}")
    lines.append(
        f"案例简介 {count_zi(form.summary or '')}/{campaign.limits.summary_zi} 字；{content_line(form, campaign)}。"
    )
    absent = missing(form)
    if absent:
        lines.append("尚未填写：" + "、".join(label(s) for s in absent) + "。请发送 /edit 补充。")
    else:
        lines.append("全部必填项已填写。确认无误请发送 /submit 提交；需要修改请发送 /edit。")
    return "\n".join(lines)


def edit_choices() -> list[tuple[str, str]]:
    return [(f"{position(s)}. {label(s)}", f"edit:{s.value}:0") for s in FORM_STEPS]


def status(cases: Sequence[Case], draft_name: str | None, campaign: Campaign) -> str:
    if not cases and draft_name is None:
        return "您尚未提交案例。发送 /new 开始填写。"
    lines = ["您的案例："]
    if draft_name is not None:
        lines.append(f"· {draft_name or '（未命名草稿）'}：正在填写（草稿）")
    for case in cases:
        unit = campaign.unit(case.unit)
        where = f"，{unit.name}推荐第 {case.rank} 位" if case.rank else ""
        note = f"，退回意见：{case.return_comment}" if case.return_comment and case.state.value == "returned" else ""
        revise = f"（发送 /revise {case.id} 修改）" if case.state.value == "returned" else ""
        lines.append(f"· 编号 {case.id}《{case.form.name}》：{case.state.zh}{where}{note}{revise}")
    return "\n".join(lines)


def rows(choices: Sequence[tuple[str, str]], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(label=text, data=data) for text, data in choices]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
