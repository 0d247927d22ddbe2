"""What the purge leaves of a person in the records it keeps: a role and a unit, never a chat id.

The audit trail, the unit's contact (who last set it) and the sealed scans (who sent them) outlive
the purge, and each named the chat account that acted: ``tg:301`` beside a submission would undo
the clearing of the case's owner. The purge rewrites those names to what the record needs, the
role and the unit (``联络人（hefei）``), and takes phone numbers out of the audit's details (the
unit's current phone stays in the 汇总表 header, a submitter's in the case form, nowhere else).

The audit is append-only by triggers. Its rows are rewritten here alone, by lifting the update
trigger and putting back its own recorded text in the same transaction, so a failure anywhere
leaves the trigger (and every row) as it was, and the rewrite is itself audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dialogs.wording import t

from .core import TxCore
from .records import iso, utcnow

SYSTEM_ACTORS = frozenset({"cli", "casebot"})  # the command line and the bot itself: no person
_STOPS = r"\s\uff0c\u3002\uff1b\u3001,;:()\uff08\uff09\[\]\u3010\u3011"  # spaces, Chinese and ASCII punctuation
CHAT_ID = re.compile(rf"(?<![A-Za-z0-9])(?:tg|wecom|term):[^{_STOPS}]+", re.IGNORECASE)
# digit groups joined by a dash, a space or a bracket; counted in _phone_gone: seven digits or more
_PHONE = re.compile(r"(?<![\d\-])\+?[(\uff08]?\d{2,}(?:[)\uff09]?[\- \u2014\u2013]?\d{2,})*(?![\d])")
_MIN_DIGITS = 7
_COUNTS = ("purge", "pseudonymise")  # details that are numbers the purge itself wrote
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # a deadline or cut-off in a detail: not a phone
_ROLE_KEYS = {"submitter": "admin.submitter", "coordinator": "admin.coordinator"}
_SUBMITTING = ("submit", "resubmit")
_TRIGGER = "audit_no_update"
# the other kept records that name who acted (评审 and 公示): (table, column), each rewritten like the audit's actor;
# who approved (报批审定) is a name the office typed, not a chat account, and stays
_AUTHORS = (
    ("panel", "started_by"),
    ("formal_checks", "decided_by"),
    ("recusals", "declared_by"),
    ("scores", "entered_by"),
    ("panel_reviews", "decided_by"),
    ("publicity", "started_by"),
    ("publicity", "final_by"),
    ("objections", "recorded_by"),
    ("objections", "decided_by"),
    ("publicity_additions", "added_by"),
    ("publication_texts", "updated_by"),
    ("picture_consents", "given_by"),
)


@dataclass
class Pseudonyms:
    """The role each chat account had in each unit, and who the administrators are."""

    admins: frozenset[str] = frozenset()
    roles: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (user, unit) → roles
    members: set[str] = field(default_factory=set)  # accounts still members (any id form, tests' too)

    def add(self, user: str, unit: str | None, role: str) -> None:
        if unit:
            self.roles.setdefault((user, unit), set()).add(role)

    def is_person(self, user: str) -> bool:
        """A chat account, an administrator or a member; not the system, nor a name already rewritten
        (so a second purge changes nothing)."""
        if user in SYSTEM_ACTORS:
            return False
        return CHAT_ID.fullmatch(user) is not None or user in self.members or user.lower() in self.admins

    def label(self, user: str, unit: str | None, action: str = "") -> str:
        """``user`` as the kept records may name them: unchanged unless a person, else role + unit."""
        if not self.is_person(user):
            return user
        if user in self.admins or user.lower() in self.admins:
            return t("admin.purge.as_admin")
        role = "submitter" if action in _SUBMITTING else self._role(user, unit)
        if unit is None:
            unit = next((u for (who, u) in self.roles if who == user), None)
        name = t(_ROLE_KEYS[role]) if role in _ROLE_KEYS else t("admin.purge.as_someone")
        return t("admin.purge.as_role", role=name, unit=unit) if unit else name

    def _role(self, user: str, unit: str | None) -> str:
        roles = self.roles.get((user, unit), set()) if unit else set()
        if not roles:
            roles = set().union(*(r for (who, _), r in self.roles.items() if who == user))
        return "coordinator" if "coordinator" in roles else next(iter(sorted(roles)), "")

    def detail(self, text: str, unit: str | None, action: str = "") -> str:
        """A detail with every chat id named by role and unit, and every phone number taken out."""
        text = CHAT_ID.sub(lambda m: self.label(m.group(0), unit), text)
        return text if action in _COUNTS else _PHONE.sub(_phone_gone, text)


def _phone_gone(match: re.Match[str]) -> str:
    found = match.group(0)
    if _DATE.fullmatch(found) or sum(c.isdigit() for c in found) < _MIN_DIGITS:
        return found
    return t("admin.purge.phone_gone")


class PseudonymOps(TxCore):
    async def pseudonyms(self, admins: Iterable[str]) -> Pseudonyms:
        """Who was what, from the members (before the purge removes them) and from the audit's joins
        (which outlive a member's removal)."""
        names = Pseudonyms(admins=frozenset(admins))
        for user, unit, role in await self._rows("SELECT user, unit, role FROM members"):
            names.add(user, unit, role)
            names.members.add(user)
        for user, unit, role in await self._rows("SELECT actor, unit, detail FROM audit WHERE action = 'join'"):
            names.add(user, unit, role)
        return names

    async def audit_rewrites(self, names: Pseudonyms) -> list[tuple[int, str, str]]:
        """The audit rows the purge changes: (id, actor, detail) as they will read."""
        out = []
        for row_id, actor, action, unit, detail in await self._rows(
            "SELECT id, actor, action, unit, detail FROM audit ORDER BY id"
        ):
            new_actor, new_detail = names.label(actor, unit, action), names.detail(detail, unit, action)
            if (new_actor, new_detail) != (actor, detail):
                out.append((row_id, new_actor, new_detail))
        return out

    async def pseudonymise(self, names: Pseudonyms) -> int:
        """Rewrite the audit, the contacts' and the scans' authors; the number of audit rows rewritten."""
        rewrites = await self.audit_rewrites(names)
        if rewrites:
            trigger = await self._rows("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,))
            if trigger:
                self._write(f"DROP TRIGGER {_TRIGGER}")
            for row_id, actor, detail in rewrites:
                self._write("UPDATE audit SET actor = ?, detail = ? WHERE id = ?", (actor, detail, row_id))
            if trigger:
                self._write(trigger[0][0])
            self._write(
                "INSERT INTO audit (at, actor, action, unit, case_id, detail) VALUES (?, 'cli', 'pseudonymise', NULL, "
                "NULL, ?)",
                (iso(utcnow()), str(len(rewrites))),
            )
        for unit, by in await self._rows("SELECT unit, updated_by FROM unit_contacts"):
            if (label := names.label(by, unit, "contact")) != by:
                self._write("UPDATE unit_contacts SET updated_by = ? WHERE unit = ?", (label, unit))
        for target, page, unit, by in await self._rows("SELECT target, page, unit, created_by FROM scans"):
            if (label := names.label(by, unit, "scan")) != by:
                self._write("UPDATE scans SET created_by = ? WHERE target = ? AND page = ?", (label, target, page))
        for table, column in _AUTHORS:  # names from the code above, never from input
            for row_id, by in await self._rows(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"):
                if (label := names.label(by, None)) != by:
                    self._write(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (label, row_id))
        return len(rewrites)
