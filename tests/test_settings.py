"""Settings and the campaign file: every setting documented, bad campaign keys named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings, load_campaign
from dialogs.campaign import CampaignError, parse_campaign

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_setting() -> None:
    listed = set(re.findall(r"^CASEBOT_([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    assert listed == {name.upper() for name in Settings.model_fields}


def test_the_2024_campaign_is_faithful_to_the_notice() -> None:
    campaign = load_campaign("2024")
    assert [c.name for c in campaign.categories] == [
        "网络空间思想引领",
        "网络空间文化培育",
        "网络空间道德建设",
        "网络空间行为规范",
        "网络空间生态治理",
        "网络空间文明创建",
    ]
    assert (str(campaign.window.start), str(campaign.window.end)) == ("2021-09", "2023-12")
    assert (campaign.quotas.city, campaign.quotas.other) == (4, 2)
    assert campaign.deadline_at.isoformat() == "2024-03-11T23:59:00+08:00"
    assert (campaign.limits.summary_zi, campaign.limits.content_zi, campaign.limits.pictures_max) == (300, 2000, 2)
    assert len([u for u in campaign.units if u.kind.value == "city"]) == 16


def test_the_demo_campaign_has_the_same_rules_and_a_deadline_ahead() -> None:
    demo, real = load_campaign("demo"), load_campaign("2024")
    differ = {"deadline", "cutoff", "title", "submission"}
    assert demo.model_dump(exclude=differ) == real.model_dump(exclude=differ)
    assert demo.deadline > real.deadline
    assert demo.deadline - demo.submitters_cutoff == real.deadline - real.submitters_cutoff
    # the demo's 报送方式 are sample values, never the province's real mailbox or address
    assert demo.submission.mailbox != real.submission.mailbox and demo.submission.address.startswith("示例")


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("summary_zi = 300", "summary_zi = -1"), "limits.summary_zi"),
        (('start = "2021-09"', 'start = "2021-13"'), "window.start"),
        (('kind = "city"', 'kind = "town"'), "units.0.kind"),
        (('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'), "timezone"),
    ],
)
def test_a_bad_campaign_file_names_the_bad_key(change: tuple[str, str], key: str) -> None:
    text = (ROOT / "dialogs" / "campaigns" / "2024.toml").read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(CampaignError, match=re.escape(key)):
        parse_campaign(text, "test.toml")


def test_the_paste_wait_is_five_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).paste_wait == 5
    monkeypatch.setenv("CASEBOT_PASTE_WAIT", "1.5")
    assert Settings(_env_file=None).paste_wait == 1.5


@pytest.mark.parametrize("value", ["0", "0.5", "61", "五秒"])
def test_a_paste_wait_out_of_range_is_refused_at_start_up(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CASEBOT_PASTE_WAIT", value)
    with pytest.raises(ValueError, match="paste_wait"):
        Settings(_env_file=None)
