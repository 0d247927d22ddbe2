"""`casebot experts …` and `casebot panel …`: the 评审's command line, in Chinese.

The parsers are added to casebot's by :func:`add_parsers`; :func:`run` opens the campaign's file
and calls the use cases of :mod:`bot.usecases.panel`, printing what they answer. A refusal (a
:class:`dialogs.rules.RuleError` or an unreadable answer) prints its Chinese reason and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bot.app import open_app
from bot.settings import Settings
from bot.storage import Store
from bot.usecases.panel import entered, experts, formal, papers
from bot.usecases.panel import run as steps
from dialogs.campaign import Campaign
from dialogs.errors import FieldError
from dialogs.numbers import read_number
from dialogs.panel.criteria import parse_groups
from dialogs.rules import RuleError
from dialogs.wording import t

ACTOR = "cli"
SubAdder = Callable[[argparse._SubParsersAction, str, str], argparse.ArgumentParser]  # type: ignore[type-arg]


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    add: SubAdder,
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    people = add(sub, "experts", t("panel.cli.experts"))
    common(people)
    people.add_argument("action", choices=["add", "list", "remove", "replace", "recuse"], help=t("panel.cli.action"))
    people.add_argument("words", nargs="*", help=t("panel.cli.words"))
    people.add_argument("--org", default="", help=t("panel.cli.org"))
    people.add_argument("--unit", help=t("panel.cli.unit"))
    people.add_argument("--group", help=t("panel.cli.group"))
    people.add_argument("--reason", default="", help=t("panel.cli.reason"))
    panel = add(sub, "panel", t("panel.cli.panel"))
    common(panel)
    panel.add_argument(
        "action",
        choices=[
            "check",
            "import",
            "mark",
            "category",
            "decide",
            "start",
            "status",
            "enter",
            "close",
            "review",
            "select",
            "results",
            "approve",
        ],
        help=t("panel.cli.action"),
    )
    panel.add_argument("words", nargs="*", help=t("panel.cli.words"))
    panel.add_argument("--unit", help=t("panel.cli.import_unit"))
    panel.add_argument("--until", default="", help=t("panel.cli.until"))
    panel.add_argument("--groups", help=t("panel.cli.groups"))
    panel.add_argument("--reason", default="", help=t("panel.cli.reason"))
    panel.add_argument("--on", default="", help=t("panel.cli.on"))
    panel.add_argument("--by", default="", help=t("panel.cli.by"))
    panel.add_argument("--gates", default="", help=t("panel.cli.gates"))
    panel.add_argument("--points", default="", help=t("panel.cli.points"))
    panel.add_argument("--comment", default="", help=t("panel.cli.comment"))


class Usage(RuleError):
    """The words given do not fit the action."""


def _number(text: str) -> int:
    value = read_number(text)
    if value is None:
        raise Usage(t("panel.experts.unknown", id=text))
    return value


async def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        for line in await _dispatch(args, settings):
            print(line)
    except (RuleError, FieldError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


async def _dispatch(args: argparse.Namespace, settings: Settings) -> list[str]:
    words: list[str] = list(args.words)
    async with open_app(settings) as app:
        store, campaign = app.store, app.campaign
        today = app.service.clock().astimezone(campaign.zone).date()
        if args.command == "experts":
            return [await _experts(args, words, store, campaign)]
        action = args.action
        need = {"check": 1, "import": 1, "results": 1, "mark": 3, "category": 2, "decide": 2, "enter": 2, "review": 2}
        if action in need and len(words) != need[action]:
            raise Usage(t("panel.cli.usage", usage=t("panel.cli.usage_panel")))
        if action == "check":
            return [await papers.write_formal(store, campaign, Path(words[0]))]
        if action == "import":
            if not args.unit:
                raise Usage(t("panel.cli.usage", usage=t("panel.cli.usage_panel")))
            return [await entered.import_case(store, campaign, ACTOR, Path(words[0]), args.unit)]
        if action == "mark":
            return [await formal.mark(store, ACTOR, words[0], words[1], words[2], args.on)]
        if action == "category":
            return [await formal.recategorise(store, campaign, ACTOR, words[0], words[1])]
        if action == "decide":
            return [await formal.decide(store, campaign, ACTOR, words[0], words[1], args.reason, args.until, today)]
        if action == "start":
            groups = (
                None if args.groups is None else parse_groups(args.groups, tuple(c.name for c in campaign.categories))
            )
            return [await steps.start(store, campaign, ACTOR, args.until, today, groups)]
        if action == "status":
            return [await steps.status(store, campaign)]
        if action == "enter":
            gates = (
                [g for g in args.gates.replace(t("panel.groups.comma"), ",").split(",") if g.strip()]
                if args.gates
                else []
            )
            return [
                await steps.enter_sheet(
                    store, campaign, ACTOR, _number(words[0]), words[1], gates, args.points, args.reason, args.comment
                )
            ]
        if action == "close":
            return [await steps.close(store, campaign, ACTOR)]
        if action == "review":
            keep = {"keep": False, "exclude": True}
            if words[1] not in keep:
                raise Usage(t("panel.cli.usage", usage=t("panel.cli.usage_panel")))
            return [await steps.review(store, ACTOR, words[0], keep[words[1]], args.reason)]
        if action == "select":
            return [await steps.select(store, campaign, ACTOR, words)]
        if action == "results":
            return [t("panel.run.written", path=p) for p in await papers.write_results(store, campaign, Path(words[0]))]
        return [await steps.approve(store, campaign, ACTOR, args.by)]


async def _experts(args: argparse.Namespace, words: list[str], store: Store, campaign: Campaign) -> str:
    usage = Usage(t("panel.cli.usage", usage=t("panel.cli.usage_experts")))
    if args.action == "add":
        if len(words) != 1:
            raise usage
        return await experts.add_expert(store, campaign, ACTOR, words[0], args.org, args.unit, args.group)
    if args.action == "list":
        return await experts.list_experts(store, campaign)
    if args.action == "remove":
        if len(words) != 1:
            raise usage
        return await experts.remove_expert(store, ACTOR, _number(words[0]))
    if args.action == "replace":
        if len(words) != 2:
            raise usage
        return await experts.replace_expert(store, campaign, ACTOR, _number(words[0]), words[1], args.org, args.unit)
    if len(words) != 2:
        raise usage
    return await experts.exclude(store, ACTOR, _number(words[0]), words[1], args.reason)
