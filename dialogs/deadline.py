"""The submission deadline (通知四：2024年3月11日前), its extensions and the reminders before it.

All times are aware datetimes; days are counted in the campaign's time zone, because "还有 3 天"
must mean the same to the submitter in 合肥 whatever zone the server runs in. The deadline is a
minute, shown as "23:59": a submission is accepted until that minute is over.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Literal

from .campaign import Campaign
from .wording import t

# Reminders go out at the start of office hours on their day, not at midnight.
REMINDER_TIME = time(9, 0)


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {moment!r}")
    return moment


def date_zh(day: date) -> str:
    return t("deadline.date", year=day.year, month=day.month, day=day.day)


def extension_until(campaign: Campaign, day: date) -> datetime:
    """An extension to the end of ``day`` (23:59 in the campaign's zone), as an administrator
    typically gives it ("延期至 3 月 15 日")."""
    start = datetime.combine(day, time(0, 0), campaign.zone)
    return start + timedelta(days=1) - timedelta(minutes=1)


def effective_deadline(campaign: Campaign, extension: datetime | None = None) -> datetime:
    """The deadline in force: an administrator's extension (global or for one unit) replaces the
    campaign's only if it is later, so an extension can never shorten the notice's period.
    Returned in the campaign's time zone."""
    deadline = campaign.deadline_at
    if extension is not None and _aware(extension, "extension") > deadline:
        deadline = extension
    return deadline.astimezone(campaign.zone)


def _closes_at(deadline: datetime) -> datetime:
    """The first instant no longer accepted: the deadline minute is included."""
    return deadline.replace(second=0, microsecond=0) + timedelta(minutes=1)


def is_open(campaign: Campaign, now: datetime, extension: datetime | None = None) -> bool:
    """Whether submissions and edits are still accepted at ``now``."""
    return _aware(now, "now") < _closes_at(effective_deadline(campaign, extension))


def days_left(campaign: Campaign, now: datetime, extension: datetime | None = None) -> int:
    """Calendar days from today to the deadline day, in the campaign's zone: 0 on the deadline
    day itself, negative once it has passed."""
    deadline = effective_deadline(campaign, extension)
    today = _aware(now, "now").astimezone(campaign.zone).date()
    return (deadline.date() - today).days


def _when_zh(deadline: datetime) -> str:
    return t("deadline.moment", date=date_zh(deadline.date()), time=f"{deadline:%H:%M}")


def header_zh(campaign: Campaign, now: datetime, extension: datetime | None = None) -> str:
    """One line shown above the dialog, saying how long is left (or that it is over)."""
    if not is_open(campaign, now, extension):
        return closed_zh(campaign, extension)
    deadline = effective_deadline(campaign, extension)
    days = days_left(campaign, now, extension)
    if days <= 0:
        return t("deadline.today", time=f"{deadline:%H:%M}")
    when = date_zh(deadline.date())
    if (deadline.hour, deadline.minute) != (23, 59):
        when = _when_zh(deadline)
    return t("deadline.left", when=when, days=days)


def closed_zh(campaign: Campaign, extension: datetime | None = None) -> str:
    """The refusal for anything attempted after the deadline."""
    deadline = effective_deadline(campaign, extension)
    return t("deadline.closed", when=_when_zh(deadline))


# ----------------------------------------------------------------------------- reminders


def reminder_key(campaign: Campaign, days: int, extension: datetime | None = None) -> str:
    """The key recorded once a reminder is sent: "d3", "d1" for the notice's deadline; with an
    extension in force the new deadline date is part of the key ("d1@2024-03-15"), so reminders
    for the extended deadline are sent again even if those for the original one went out."""
    deadline = effective_deadline(campaign, extension)
    if deadline == campaign.deadline_at:
        return f"d{days}"
    return f"d{days}@{deadline.date().isoformat()}"


def reminder_due_at(campaign: Campaign, days: int, extension: datetime | None = None) -> datetime:
    """When the reminder ``days`` before the deadline day becomes due: that day at
    :data:`REMINDER_TIME` local time (for scheduling a job at the right moment)."""
    deadline = effective_deadline(campaign, extension)
    day = deadline.date() - timedelta(days=days)
    return min(datetime.combine(day, REMINDER_TIME, campaign.zone), deadline)


def due_reminders(
    campaign: Campaign,
    now: datetime,
    extension: datetime | None = None,
    sent: Collection[str] = frozenset(),
) -> list[str]:
    """Reminder keys to send now to one recipient: at most one, and never one already in ``sent``.

    A reminder of ``N`` days (``campaign.reminder_days``) is due from :func:`reminder_due_at`
    until the deadline. When several are due at once (the bot was down), only the most urgent is
    returned: a late "还有 3 天" the day before the deadline would mislead, and the older one is
    superseded for good. The caller records the returned key in ``sent``, so each reminder goes
    out once across restarts; write the text with :func:`days_left`, not ``N``, in case it is late.
    """
    if not is_open(campaign, now, extension):
        return []
    due = [n for n in campaign.reminder_days if n >= 0 and reminder_due_at(campaign, n, extension) <= now]
    if not due:
        return []
    key = reminder_key(campaign, min(due), extension)
    return [] if key in sent else [key]


def reminder_days_of(key: str) -> int:
    """The ``N`` of a reminder key ("d3" → 3, "d1@2024-03-15" → 1)."""
    return int(key.removeprefix("d").partition("@")[0])


def reminder_text_zh(kind: Literal["submitter", "coordinator"], days: int, deadline: datetime) -> str:
    """The reminder message. ``kind`` is "submitter" (has an unsubmitted draft or a case returned
    for revision) or "coordinator" (the unit's 推荐工作联系人, who confirms the list and its order)."""
    when = _when_zh(deadline)
    left = t("deadline.reminder.today") if days <= 0 else t("deadline.reminder.left", days=days)
    if kind == "submitter":
        return t("deadline.reminder.submitter", when=when, left=left)
    if kind == "coordinator":
        return t("deadline.reminder.coordinator", when=when, left=left)
    raise ValueError(f"unknown reminder kind {kind!r}")
