"""The submission deadline (通知四：2024年3月11日前), its extensions and the reminders before it.

Two dates apply, as offices work: the notice's date is when the sealed paper must reach the
province, so submitters stop earlier, at the submitters' cut-off (the campaign's, or an earlier one a
unit's coordinator sets), and the unit's coordinators rank, recommend and return until the deadline.
:class:`Deadlines` holds both for one unit; an administrator's extension moves both to its date.

All times are aware datetimes; days are counted in the campaign's time zone, because "还有 3 天"
must mean the same to the submitter in 合肥 whatever zone the server runs in. The deadline is a
minute, shown as "23:59": a submission is accepted until that minute is over.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
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


def moment_zh(moment: datetime) -> str:
    """A deadline minute in words: 2024年3月8日 23:59."""
    return _when_zh(moment)


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


# ----------------------------------------------------------------------------- the two deadlines


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The last minutes that apply to one unit: ``cutoff`` for its submitters (submit, revise),
    ``deadline`` for its coordinators (rank, recommend, return); both local to the campaign."""

    cutoff: datetime
    deadline: datetime
    extended: bool = False

    def submitters_open(self, now: datetime) -> bool:
        return _aware(now, "now") < _closes_at(self.cutoff)

    def coordinators_open(self, now: datetime) -> bool:
        return _aware(now, "now") < _closes_at(self.deadline)


def deadlines_for(campaign: Campaign, extension: datetime | None = None, unit_cutoff: date | None = None) -> Deadlines:
    """Both dates for a unit. A unit's own cut-off only ever comes earlier than the campaign's; an
    extension in force (later than the notice's date) lets submitters act until it too, since it is
    given precisely so that cases can still come in or be revised."""
    deadline = effective_deadline(campaign, extension)
    if deadline > campaign.deadline_at:
        return Deadlines(cutoff=deadline, deadline=deadline, extended=True)
    day = campaign.submitters_cutoff
    if unit_cutoff is not None and unit_cutoff < day:
        day = unit_cutoff
    return Deadlines(cutoff=min(extension_until(campaign, day), deadline), deadline=deadline)


def _countdown(closes: datetime, zone_now: date, today_key: str, left_key: str) -> str:
    days = (closes.date() - zone_now).days
    if days <= 0:
        return t(today_key, time=f"{closes:%H:%M}")
    when = date_zh(closes.date()) if (closes.hour, closes.minute) == (23, 59) else _when_zh(closes)
    return t(left_key, when=when, days=days)


def submitter_header_zh(campaign: Campaign, dates: Deadlines, now: datetime) -> str:
    """The line above the submitter's dialog: the submitters' cut-off, the date that applies to them."""
    if not dates.submitters_open(now):
        return submitter_closed_zh(dates)
    today = now.astimezone(campaign.zone).date()
    return _countdown(dates.cutoff, today, "deadline.today", "deadline.left")


def submitter_closed_zh(dates: Deadlines) -> str:
    """Why a submitter can no longer submit or revise; names the cut-off, and the deadline only while
    the unit's coordinators still work (they cannot reopen it: only an administrator's extension can)."""
    if dates.cutoff >= dates.deadline:
        return t("deadline.closed", when=_when_zh(dates.deadline))
    return t("deadline.cutoff_closed", when=_when_zh(dates.cutoff))


def coordinator_closed_zh(dates: Deadlines) -> str:
    """The refusal of a coordinator's change once the deadline (extensions included) is over."""
    return t("deadline.coordinator_closed", when=_when_zh(dates.deadline))


def coordinator_note_zh(campaign: Campaign, dates: Deadlines, now: datetime) -> str:
    """The dates that apply to a unit's coordinators, for their list: both, and what each one ends."""
    if not dates.coordinators_open(now):
        return coordinator_closed_zh(dates)
    if dates.cutoff >= dates.deadline:
        return t("deadline.coordinator_same", when=_when_zh(dates.deadline))
    if dates.submitters_open(now):
        return t("deadline.coordinator_both", cutoff=_when_zh(dates.cutoff), when=_when_zh(dates.deadline))
    return t("deadline.coordinator_after_cutoff", cutoff=_when_zh(dates.cutoff), when=_when_zh(dates.deadline))


def cutoff_refusal_zh(campaign: Campaign, dates: Deadlines, day: date, today: date) -> str | None:
    """Why a coordinator's /cutoff date cannot be taken, or None: it must be today or later and no
    later than the campaign's submitters' cut-off (it can only make the unit's earlier)."""
    latest = min(campaign.submitters_cutoff, dates.deadline.date())
    if day < today:
        return t("deadline.cutoff_past", day=date_zh(day), today=date_zh(today))
    if day > latest:
        return t("deadline.cutoff_too_late", day=date_zh(day), latest=date_zh(latest))
    return None


def return_refusal_zh(dates: Deadlines, now: datetime) -> str | None:
    """Why a case cannot be returned now, or None: once the submitters' cut-off is over its owner
    could not act on it, and it would stay out of the list."""
    if dates.submitters_open(now):
        return None
    return t("deadline.return_too_late", cutoff=_when_zh(dates.cutoff))


def due_reminder_for(
    campaign: Campaign, closes: datetime, now: datetime, sent: Collection[str], prefix: str
) -> str | None:
    """The reminder key due now before ``closes`` for one recipient, or None; as :func:`due_reminders`
    but for either date. Keys are ``<prefix><N>@<date>`` ("s3@2024-03-08"); the coordinators' keys for
    the notice's own date keep the old form ("d3"), so a reminder sent before an upgrade stays sent."""
    if _aware(now, "now") >= _closes_at(closes):
        return None
    due = []
    for n in campaign.reminder_days:
        day = closes.date() - timedelta(days=n)
        if n >= 0 and min(datetime.combine(day, REMINDER_TIME, campaign.zone), closes) <= now:
            due.append(n)
    if not due:
        return None
    n = min(due)
    key = f"d{n}" if prefix == "d" and closes == campaign.deadline_at else f"{prefix}{n}@{closes.date().isoformat()}"
    return None if key in sent else key


def days_until(campaign: Campaign, closes: datetime, now: datetime) -> int:
    """Calendar days from today to the day of ``closes``, in the campaign's zone."""
    return (closes.date() - _aware(now, "now").astimezone(campaign.zone).date()).days


def reminder_for_zh(kind: Literal["submitter", "coordinator"], dates: Deadlines, days: int) -> str:
    """The reminder with the dates that apply to its reader: a submitter's cut-off, or a coordinator's
    deadline with the submitters' cut-off, and what each still allows."""
    left = t("deadline.reminder.today") if days <= 0 else t("deadline.reminder.left", days=days)
    if kind == "submitter":
        return t("deadline.reminder.submitter", when=_when_zh(dates.cutoff), left=left)
    if dates.cutoff >= dates.deadline:
        return t("deadline.reminder.coordinator_same", when=_when_zh(dates.deadline), left=left)
    return t(
        "deadline.reminder.coordinator",
        cutoff=_when_zh(dates.cutoff),
        when=_when_zh(dates.deadline),
        left=left,
    )
