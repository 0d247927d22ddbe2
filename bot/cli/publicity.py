"""`casebot publicity …`, `casebot showcase OUT`, `casebot compilation OUT`: the 公示 and 展示推广 commands.

Kept in a module of its own so that the main command line only hooks it in (:func:`add_parsers`,
:func:`run`). Every step prints what it did in Chinese; a step the rules refuse prints why and
exits with 2, having changed nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.app import App, open_app
from bot.disk.office import OfficeError
from bot.settings import Settings
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity import objections as steps
from bot.usecases.publicity.compilation import write_compilation
from bot.usecases.publicity.consent import set_text
from bot.usecases.publicity.showcase import write_showcase
from bot.usecases.publicity.stages import announce, start_notice
from dialogs.wording import t

COMMANDS = ("publicity", "showcase", "compilation")
ACTOR = "cli"


def day(value: str) -> date:
    """An argparse type: a date written 2024-04-03, refused in Chinese otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(t("publicity.cli.bad_date", value=value)) from error


def number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(t("publicity.cli.bad_number", value=value))
    return int(value)


def working_days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(t("publicity.cli.bad_days", value=value))
    return int(value)


Sub = Callable[[argparse._SubParsersAction, str, str], argparse.ArgumentParser]  # type: ignore[type-arg]


def add_parsers(sub: argparse._SubParsersAction, make: Sub, common: Callable[[argparse.ArgumentParser], None]) -> None:  # type: ignore[type-arg]
    """The three commands on the main parser; ``make`` and ``common`` are the main parser's helpers."""
    out_help = t("publicity.cli.out")
    publicity = make(sub, "publicity", t("publicity.cli.publicity"))
    actions = publicity.add_subparsers(
        dest="action", metavar=t("publicity.cli.action"), required=True, help=t("publicity.cli.action_help")
    )
    notice = make(actions, "notice", t("publicity.cli.notice"))
    common(notice)
    notice.add_argument(
        "--start", type=day, required=True, metavar=t("publicity.cli.date"), help=t("publicity.cli.start")
    )
    notice.add_argument("--days", type=working_days, required=True, metavar="N", help=t("publicity.cli.days"))
    notice.add_argument("folder", type=Path, metavar=t("publicity.cli.folder"), help=out_help)

    objection = make(actions, "objection", t("publicity.cli.objection"))
    ops = objection.add_subparsers(
        dest="op", metavar=t("publicity.cli.op"), required=True, help=t("publicity.cli.op_help")
    )
    add = make(ops, "add", t("publicity.cli.objection_add"))
    common(add)
    add.add_argument("case", type=number, metavar=t("publicity.cli.case"), help=t("publicity.cli.case_help"))
    add.add_argument(
        "--received", type=day, required=True, metavar=t("publicity.cli.date"), help=t("publicity.cli.received")
    )
    add.add_argument("--name", required=True, metavar=t("publicity.cli.name"), help=t("publicity.cli.name_help"))
    add.add_argument(
        "--contact", required=True, metavar=t("publicity.cli.contact"), help=t("publicity.cli.contact_help")
    )
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--content", metavar=t("publicity.cli.text"), help=t("publicity.cli.content"))
    source.add_argument("--file", type=Path, metavar=t("publicity.cli.file"), help=t("publicity.cli.content_file"))
    check = make(ops, "check", t("publicity.cli.objection_check"))
    common(check)
    check.add_argument(
        "objection", type=number, metavar=t("publicity.cli.objection_id"), help=t("publicity.cli.objection_id")
    )
    check.add_argument("notes", metavar=t("publicity.cli.text"), help=t("publicity.cli.notes"))
    decide = make(ops, "decide", t("publicity.cli.objection_decide"))
    common(decide)
    decide.add_argument(
        "objection", type=number, metavar=t("publicity.cli.objection_id"), help=t("publicity.cli.objection_id")
    )
    decide.add_argument(
        "decision",
        choices=t("publicity.cli.decisions").split(),
        metavar=t("publicity.cli.decision"),
        help=t("publicity.cli.decision_help"),
    )
    decide.add_argument("--reason", required=True, metavar=t("publicity.cli.text"), help=t("publicity.cli.reason"))
    listing = make(ops, "list", t("publicity.cli.objection_list"))
    common(listing)

    hand = make(actions, "add", t("publicity.cli.add"))
    common(hand)
    hand.add_argument("case", type=number, metavar=t("publicity.cli.case"), help=t("publicity.cli.case_help"))
    hand.add_argument("--reason", required=True, metavar=t("publicity.cli.text"), help=t("publicity.cli.add_reason"))
    final = make(actions, "final", t("publicity.cli.final"))
    common(final)
    final.add_argument("--today", type=day, metavar=t("publicity.cli.date"), help=t("publicity.cli.today"))
    announcing = make(actions, "announce", t("publicity.cli.announce"))
    common(announcing)
    announcing.add_argument("folder", type=Path, metavar=t("publicity.cli.folder"), help=out_help)
    announcing.add_argument("--date", type=day, metavar=t("publicity.cli.date"), help=t("publicity.cli.issued"))
    text = make(actions, "text", t("publicity.cli.text_command"))
    common(text)
    text.add_argument("case", type=number, metavar=t("publicity.cli.case"), help=t("publicity.cli.case_help"))
    text.add_argument("file", type=Path, nargs="?", metavar=t("publicity.cli.file"), help=t("publicity.cli.text_file"))
    text.add_argument("--title", default="", metavar=t("publicity.cli.text"), help=t("publicity.cli.title"))

    showcase = make(sub, "showcase", t("publicity.cli.showcase"))
    common(showcase)
    showcase.add_argument("folder", type=Path, metavar=t("publicity.cli.folder"), help=t("publicity.cli.site_out"))
    compilation = make(sub, "compilation", t("publicity.cli.compilation"))
    common(compilation)
    compilation.add_argument("folder", type=Path, metavar=t("publicity.cli.folder"), help=out_help)


def _today(app: App) -> date:
    return app.service.clock().astimezone(app.campaign.zone).date()


async def _objection(app: App, args: argparse.Namespace) -> str:
    if args.op == "add":
        content = args.content if args.content is not None else args.file.read_text(encoding="utf-8-sig")
        made = await steps.add_objection(app.store, args.case, args.received, args.name, args.contact, content, ACTOR)
        return t("publicity.cli.objection_added", id=made, case=args.case)
    if args.op == "check":
        found = await steps.check_objection(app.store, args.objection, args.notes, ACTOR)
        return t("publicity.cli.objection_checked", id=found.id, case=found.case_id)
    if args.op == "decide":
        upheld = args.decision == t("publicity.cli.decisions").split()[0]
        found = await steps.decide_objection(app.store, args.objection, upheld, args.reason, ACTOR)
        key = "publicity.cli.upheld" if upheld else "publicity.cli.rejected"
        return t(key, id=found.id, case=found.case_id)
    async with app.store.atomic() as tx:
        rows = await tx.objections()
    if not rows:
        return t("publicity.cli.no_objections")
    return "\n".join(
        t("publicity.cli.objection_line", id=o.id, case=o.case_id, day=o.received_on.isoformat(), state=o.state.zh)
        for o in rows
    )


async def _publicity(app: App, args: argparse.Namespace) -> str:
    if args.action == "notice":
        made = await start_notice(app.store, app.campaign, args.start, args.days, ACTOR, args.folder)
        lines = [t("publicity.cli.notice_done", period=made.period.zh(), cases=made.cases, told=made.told)]
        return "\n".join(lines + [str(p) for p in made.paths])
    if args.action == "objection":
        return await _objection(app, args)
    if args.action == "add":
        await steps.add_by_hand(app.store, args.case, args.reason, ACTOR)
        return t("publicity.cli.added", case=args.case)
    if args.action == "final":
        final, told = await steps.finalise(app.store, app.campaign, args.today or _today(app), ACTOR)
        return t("publicity.cli.final_done", cases=len(final), ids=t("publicity.sep").join(map(str, final)), told=told)
    if args.action == "announce":
        made = await announce(app.store, app.campaign, args.date or _today(app), args.folder)
        return "\n".join([t("publicity.cli.announce_done", cases=made.cases), *(str(p) for p in made.paths)])
    data = args.file.read_bytes() if args.file is not None else None
    text = await set_text(app.store, args.case, args.title, data, args.file.name if args.file else "", ACTOR)
    return t("publicity.cli.text_done", case=args.case, title=text.title or t("publicity.cli.form_title"))


async def run(args: argparse.Namespace, settings: Settings) -> int:
    """One of the three commands; 2 with the reason on stderr when refused."""
    try:
        async with open_app(settings) as app:
            if args.command == "publicity":
                print(await _publicity(app, args))
            elif args.command == "showcase":
                paths = await write_showcase(app.store, app.campaign, args.folder)
                print(
                    t(
                        "publicity.showcase.written",
                        path=args.folder,
                        cases=sum(1 for p in paths if p.parent.name == "cases"),
                        files=len(paths),
                    )
                )
            else:
                month = _today(app)
                book = await write_compilation(
                    app.store, app.campaign, args.folder, t("publicity.year_month", year=month.year, month=month.month)
                )
                print(t("publicity.compilation.written", docx=book.docx))
                print(
                    t("publicity.compilation.written_pdf", pdf=book.pdf)
                    if book.pdf
                    else t("publicity.compilation.no_pdf")
                )
    except (PublicityRefused, OfficeError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0
