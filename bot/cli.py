"""The `casebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from pathlib import Path

from dialogs.campaign import CampaignError
from dialogs.unitlist import UnitListError

from .app import open_app
from .settings import Settings
from .terminal import chat


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign", help="活动定义：内置名称（demo、2024）或 TOML 文件路径")
    parser.add_argument("--db", type=Path, help="SQLite 数据库文件")
    parser.add_argument("--out", type=Path, help="输出文件夹（推荐表、汇总表）")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k in ("campaign", "db", "out") if (v := getattr(args, k, None)) is not None}
    return Settings(**overrides)


async def _chat(args: argparse.Namespace) -> int:
    settings = _settings(args)
    async with open_app(settings) as app:
        user = f"term:{args.user or getpass.getuser()}"
        if args.unit:
            await app.service.assign_unit(user, args.unit)
        await chat(app.service, user)
    return 0


async def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if settings.telegram_token:
        from .telegram.app import run_telegram

        return await run_telegram(settings)
    print("未配置 CASEBOT_TELEGRAM_TOKEN，以终端对话方式运行。\n", file=sys.stderr)
    args.user, args.unit = None, getattr(args, "unit", None)
    return await _chat(args)


def _render(args: argparse.Namespace) -> int:
    from .render import render_samples

    for path in render_samples(args.out_dir):
        print(path)
    return 0


async def _admin(args: argparse.Namespace) -> int:
    from . import admin

    settings = _settings(args)
    async with open_app(settings) as app:
        if args.command == "units":
            print(
                await admin.import_units(app, args.file) if args.action == "import" else admin.list_units(app.campaign)
            )
        elif args.command == "invites":
            print(await admin.invites(app, args.bot or settings.bot_username or "casebot", args.unit, args.reissue))
        elif args.command == "export":
            print(await admin.export(app, args.target))
        elif args.command == "backup":
            print(await admin.backup(app, args.target))
        elif args.command == "audit":
            print(await admin.audit(app, args.unit, args.case))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casebot", description="网络文明建设优秀案例征集助手")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="启动：已配置 Telegram 令牌时运行机器人，否则运行终端对话")
    _common(run)
    run.add_argument("--unit", help="终端对话时所属推荐单位代码")
    talk = sub.add_parser("chat", help="在终端中逐项填写推荐表（可用 < answers.txt 批量输入）")
    _common(talk)
    talk.add_argument("--unit", help="所属推荐单位代码（如 hefei），填写后推荐单位自动确定")
    talk.add_argument("--user", help="终端用户名（默认当前系统用户）")
    units = sub.add_parser("units", help="推荐单位：list 查看；import 文件 从 .xlsx/.csv 导入")
    _common(units)
    units.add_argument("action", choices=["list", "import"])
    units.add_argument("file", type=Path, nargs="?")
    invites = sub.add_parser("invites", help="打印各单位的申报人、联络人邀请链接")
    _common(invites)
    invites.add_argument("--unit", help="只处理该单位代码")
    invites.add_argument("--reissue", action="store_true", help="撤销旧链接并生成新链接")
    invites.add_argument("--bot", help="机器人用户名（默认取 CASEBOT_BOT_USERNAME）")
    export = sub.add_parser("export", help="导出全省材料压缩包（汇总表、推荐表、图片）")
    _common(export)
    export.add_argument("target", type=Path, nargs="?", default=Path("out"))
    backup = sub.add_parser("backup", help="在线备份数据库（机器人运行时也可执行）")
    _common(backup)
    backup.add_argument("target", type=Path)
    audit = sub.add_parser("audit", help="查看操作日志")
    _common(audit)
    audit.add_argument("--unit")
    audit.add_argument("--case", type=int)
    render = sub.add_parser("render-samples", help="生成示例推荐表、汇总表并转为 PNG 供查看")
    render.add_argument("out_dir", type=Path, nargs="?", default=Path("out/samples"))
    return parser


COMMANDS = ("run", "chat", "units", "invites", "export", "backup", "audit", "render-samples")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "run")  # `casebot` alone, or with options only, starts the main job
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return asyncio.run(_run(args))
        if args.command == "chat":
            return asyncio.run(_chat(args))
        if args.command == "render-samples":
            return _render(args)
        if args.command == "units" and args.action == "import" and args.file is None:
            print("请指定要导入的文件：casebot units import 名单.xlsx", file=sys.stderr)
            return 2
        return asyncio.run(_admin(args))
    except (CampaignError, UnitListError, KeyError, FileNotFoundError) as error:
        print(error.args[0] if isinstance(error, KeyError) else error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
