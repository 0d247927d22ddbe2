"""The `casebot` command line: every help text, usage line and error in Chinese.

``casebot`` alone (or with options only) is ``casebot run``: every configured channel in one
process. The other subcommands are the administrator's tools on the same database.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot import redaction
from bot import serve as runner
from bot.app import App, open_app
from bot.cli import panel as cli_panel
from bot.cli import publicity as cli_publicity
from bot.cli.admin import Refused, backup_refusal
from bot.cli.argparse_zh import ChineseArgumentParser, chinese
from bot.disk.outputs import UnknownUnit
from bot.settings import Settings, settings_error
from bot.usecases.contacts import set_from_cli
from bot.usecases.package import package_cli
from dialogs.campaign import CampaignError
from dialogs.errors import FieldError
from dialogs.wording import t

COMMANDS = (
    "run",
    "chat",
    "units",
    "invites",
    "members",
    "export",
    "backup",
    "audit",
    "purge",
    "package",
    "render-samples",
    *cli_publicity.COMMANDS,
    "experts",
    "panel",
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign", metavar=t("cli.metavar.campaign"), help=t("cli.options.campaign"))
    parser.add_argument("--db", type=Path, metavar=t("cli.metavar.db"), help=t("cli.options.db"))
    parser.add_argument("--out", type=Path, metavar=t("cli.metavar.out"), help=t("cli.options.out"))


def case_number(value: str) -> int:
    """An argparse type: a positive case number, refused in Chinese otherwise."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(t("cli.case_number", value=value))
    return int(value)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k in ("campaign", "db", "out") if (v := getattr(args, k, None)) is not None}
    try:
        settings = Settings(**overrides)
    except ValidationError as error:  # pydantic's own text quotes the value, which may be a secret
        raise Refused(settings_error(error)) from None
    redaction.install(settings.secrets())  # before any channel, library or error can log a secret
    return settings


def _logging(settings: Settings) -> None:
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":  # httpx logs every request at INFO; at DEBUG the operator asked for it (masked)
        logging.getLogger("httpx").setLevel(logging.WARNING)


async def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _logging(settings)
    specs = runner.configured(settings)
    if not specs:
        print(t("cli.no_channel"), file=sys.stderr)
        specs = [runner.terminal(unit=args.unit)]
    return await runner.serve(settings, specs)


async def _chat(args: argparse.Namespace) -> int:
    settings = _settings(args)
    return await runner.serve(settings, [runner.terminal(args.user, args.unit)], remind=False)


def _render(args: argparse.Namespace) -> int:
    from bot.disk.samples import render_samples

    for path in render_samples(args.out_dir):
        print(path)
    return 0


async def _admin(args: argparse.Namespace) -> int:
    from bot.cli import admin

    settings = _settings(args)
    async with open_app(settings) as app:
        if args.command == "units":
            if args.action == "import":
                print(await admin.import_units(app, args.file, args.force))
            elif args.action == "contact":
                print(await set_from_cli(app.store, app.campaign, str(args.file or ""), args.words))
            else:
                print(admin.list_units(app.campaign))
        elif args.command == "invites":
            return await _invites(app, args, settings.bot_username)
        elif args.command == "members":
            return await _members(app, args)
        elif args.command == "export":
            print(await admin.export(app, args.target))
        elif args.command == "backup":
            print(await admin.backup(app, args.target, args.force))
        elif args.command == "audit":
            print(await admin.audit(app, args.unit, args.case))
        elif args.command == "purge":
            return await _purge(app, args.yes)
        elif args.command == "package":
            print(await package_cli(app.outputs, args.unit, app.service.extension_for(args.unit)))
    return 0


async def _invites(app: App, args: argparse.Namespace, bot_username: str) -> int:
    """Print the codes; after a reissue, offer to remove those who joined with the old ones."""
    from bot.cli import admin, members

    async with app.store.atomic() as tx:
        old = {i.code for i in await tx.invites(args.unit)} if args.reissue else set()
    print(await admin.invites(app, args.bot or bot_username, args.unit, args.reissue))
    if args.reissue:
        print(await members.offer_removal(app, old, args.remove_old))
    return 0


async def _members(app: App, args: argparse.Namespace) -> int:
    from bot.cli import members

    if args.unit is not None and app.campaign.unit(args.unit) is None:
        raise UnknownUnit(t("service.unknown_unit", code=args.unit))
    if args.action == "list":
        print(await members.list_members(app, args.unit))
        return 0
    if not args.unit or not args.user:
        raise Refused(t("cli.members_remove_needs"))
    return await members.remove_members(app, args.unit, args.user, args.yes)


async def _purge(app: App, yes: bool) -> int:
    """Say what will go, ask (unless --yes), then purge and print what went; 1 when not confirmed."""
    from bot.cli import purge

    refusal = await purge.purge_refusal(app)
    if refusal is not None:
        raise Refused(refusal)
    if not yes:
        print(await purge.purge_preview(app))
        try:
            answer = await asyncio.to_thread(input, t("admin.purge.confirm"))
        except EOFError:
            answer = ""
        if answer.strip().lower() not in t("admin.purge.yes_answers").split():
            print(t("admin.purge.cancelled"))
            return 1
    print(await purge.purge(app))
    return 0


def _sub(sub: argparse._SubParsersAction[ChineseArgumentParser], name: str, help_text: str) -> ChineseArgumentParser:
    return sub.add_parser(name, help=help_text, description=help_text)


def build_parser() -> argparse.ArgumentParser:
    """The parser; build it inside :func:`bot.cli.argparse_zh.chinese` so argparse's own titles are Chinese."""
    parser = ChineseArgumentParser(prog="casebot", description=t("cli.description"), epilog=t("cli.epilog"))
    sub = parser.add_subparsers(
        dest="command", title=t("cli.commands_title"), metavar=t("cli.commands_metavar"), help=t("cli.commands_help")
    )
    run = _sub(sub, "run", t("cli.help.run"))
    _common(run)
    run.add_argument("--unit", metavar=t("cli.metavar.code"), help=t("cli.options.run_unit"))
    talk = _sub(sub, "chat", t("cli.help.chat"))
    _common(talk)
    talk.add_argument("--unit", metavar=t("cli.metavar.code"), help=t("cli.options.chat_unit"))
    talk.add_argument("--user", metavar=t("cli.metavar.name"), help=t("cli.options.user"))
    units = _sub(sub, "units", t("cli.help.units"))
    _common(units)
    units.add_argument(
        "action", choices=["list", "import", "contact"], metavar=t("cli.metavar.action"), help=t("cli.options.action")
    )
    units.add_argument("file", type=Path, nargs="?", metavar=t("cli.metavar.file"), help=t("cli.options.file"))
    units.add_argument("--force", action="store_true", help=t("cli.options.import_force"))
    units.add_argument("words", nargs="*", metavar=t("cli.metavar.words"), help=t("cli.options.contact_words"))
    package = _sub(sub, "package", t("cli.help.package"))
    _common(package)
    package.add_argument("unit", metavar=t("cli.metavar.code"), help=t("cli.options.package_unit"))
    invites = _sub(sub, "invites", t("cli.help.invites"))
    _common(invites)
    invites.add_argument("--unit", metavar=t("cli.metavar.code"), help=t("cli.options.invites_unit"))
    invites.add_argument("--reissue", action="store_true", help=t("cli.options.reissue"))
    invites.add_argument("--bot", metavar=t("cli.metavar.bot"), help=t("cli.options.bot"))
    invites.add_argument("--remove-old", action="store_true", help=t("cli.options.remove_old"))
    members = _sub(sub, "members", t("cli.help.members"))
    _common(members)
    members.add_argument(
        "action", choices=["list", "remove"], metavar=t("cli.metavar.action"), help=t("cli.options.members_action")
    )
    members.add_argument("user", nargs="?", metavar=t("cli.metavar.user"), help=t("cli.options.member_user"))
    members.add_argument("--unit", metavar=t("cli.metavar.code"), help=t("cli.options.members_unit"))
    members.add_argument("--yes", action="store_true", help=t("cli.options.members_yes"))
    export = _sub(sub, "export", t("cli.help.export"))
    _common(export)
    export.add_argument(
        "target",
        type=Path,
        nargs="?",
        default=Path("out"),
        metavar=t("cli.metavar.target"),
        help=t("cli.options.export_target"),
    )
    backup = _sub(sub, "backup", t("cli.help.backup"))
    _common(backup)
    backup.add_argument("target", type=Path, metavar=t("cli.metavar.target"), help=t("cli.options.backup_target"))
    backup.add_argument("--force", action="store_true", help=t("cli.options.force"))
    audit = _sub(sub, "audit", t("cli.help.audit"))
    _common(audit)
    audit.add_argument("--unit", metavar=t("cli.metavar.code"), help=t("cli.options.audit_unit"))
    audit.add_argument("--case", type=case_number, metavar=t("cli.metavar.case"), help=t("cli.options.audit_case"))
    purge = _sub(sub, "purge", t("cli.help.purge"))
    _common(purge)
    purge.add_argument("--yes", action="store_true", help=t("cli.options.yes"))
    cli_publicity.add_parsers(sub, _sub, _common)
    cli_panel.add_parsers(sub, _sub, _common)  # 评审: experts …, panel …
    render = _sub(sub, "render-samples", t("cli.help.samples"))
    render.add_argument(
        "out_dir",
        type=Path,
        nargs="?",
        default=Path("out/samples"),
        metavar=t("cli.metavar.folder"),
        help=t("cli.options.samples_dir"),
    )
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse in Chinese; `casebot` alone, or with options only, means `casebot run`."""
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["run", *argv]
    with chinese():
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command == "units" and args.action == "import" and args.file is None:
            parser.exit(2, t("cli.import_needs_file") + "\n")
        return args


def main(argv: list[str] | None = None) -> int:
    # PTB's documented opt-in to timedelta durations (retry_after, duration), before telegram is imported
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = parse(list(sys.argv[1:] if argv is None else argv))
    try:
        if args.command == "run":
            return asyncio.run(_run(args))
        if args.command == "chat":
            return asyncio.run(_chat(args))
        if args.command == "render-samples":
            return _render(args)
        if args.command in cli_publicity.COMMANDS:
            return asyncio.run(cli_publicity.run(args, _settings(args)))
        if args.command in ("experts", "panel"):
            return asyncio.run(cli_panel.run(args, _settings(args)))
        if args.command == "backup" and not args.force and (refusal := backup_refusal(args.target)):
            print(refusal, file=sys.stderr)
            return 2
        return asyncio.run(_admin(args))
    except UnknownUnit as error:
        print(f"{error.args[0]}{t('cli.units_list_hint')}", file=sys.stderr)
        return 2
    except (CampaignError, Refused, FieldError) as error:
        print(error, file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(t("cli.missing_file", path=error.filename), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
