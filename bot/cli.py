"""The `casebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path

from dialogs.campaign import CampaignError

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
    render = sub.add_parser("render-samples", help="生成示例推荐表、汇总表并转为 PNG 供查看")
    render.add_argument("out_dir", type=Path, nargs="?", default=Path("out/samples"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in (None, "run"):
            if args.command is None:
                args = build_parser().parse_args(["run", *(argv or [])])
            return asyncio.run(_run(args))
        if args.command == "chat":
            return asyncio.run(_chat(args))
        if args.command == "render-samples":
            return _render(args)
    except CampaignError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
