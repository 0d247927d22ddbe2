"""Sealed scans, the pure part: what `/scan` names, what a scan certifies, and when it is out of date.

The paper forms go to the province with the unit's seal; a coordinator sends back a scan of each
sealed 推荐表 and of the sealed 汇总表. A scan certifies the paper as it was printed, so it records a
fingerprint of what that paper showed: a case's form, or the 汇总表's list and order. When the
fingerprint of today's data differs, the paper in the scan is no longer the one to send, and the
scan is marked as needing a new one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import FieldError
from .models import Case
from .numbers import read_case_id
from .wording import t

Status = Literal["none", "sealed", "stale"]
STATUS_KEYS: dict[Status, str] = {
    "none": "scans.status.none",
    "sealed": "scans.status.sealed",
    "stale": "scans.status.stale",
}


@dataclass(frozen=True)
class ScanTarget:
    case_id: int | None  # None: the unit's 汇总表

    def key(self, unit: str) -> str:
        """How the store names the scan: ``case:12`` or ``summary:hefei``."""
        return f"case:{self.case_id}" if self.case_id is not None else f"summary:{unit}"


def parse_target(arg: str) -> ScanTarget | str:
    """`/scan 12` or `/scan 汇总表`; a string result explains what to send instead."""
    word = arg.strip()
    if not word:
        return t("scans.usage")
    if word in t("scans.summary_words").split():
        return ScanTarget(None)
    case_id = read_case_id(word)
    if case_id is None:
        return t("scans.bad_target", typed=word[:20])
    return ScanTarget(case_id)


def parse_waiting(waiting: str) -> tuple[str, str] | None:
    """(target key, scan id) from a session's ``waiting`` value ``scan:<target>:<scan id>``."""
    kind, _, rest = waiting.partition(":")
    target, _, scan_id = rest.rpartition(":")
    if kind != "scan" or not target or not scan_id:
        return None
    return target, scan_id


def waiting_for(target: str, scan_id: str) -> str:
    return f"scan:{target}:{scan_id}"


def case_fingerprint(case: Case) -> str:
    """What a sealed 推荐表 shows: the whole form as submitted."""
    return hashlib.sha256(case.form.model_dump_json().encode()).hexdigest()


def summary_fingerprint(recommended: Sequence[Case]) -> str:
    """What a sealed 汇总表 shows: the recommended cases, in order, as they read."""
    rows = [(c.id, c.rank, case_fingerprint(c)) for c in recommended]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def status(recorded: str | None, current: str) -> Status:
    if recorded is None:
        return "none"
    return "sealed" if recorded == current else "stale"


def status_zh(state: Status) -> str:
    return t(STATUS_KEYS[state])


def check_pdf(data: bytes, most: int) -> None:
    """A scan sent as a file must be a whole PDF of a sensible size."""
    if not data.startswith(b"%PDF-"):
        raise FieldError(t("scans.not_pdf"))
    if len(data) > most:
        raise FieldError(t("scans.pdf_too_large", size=f"{len(data) / 1024 / 1024:.1f}", most=most // 1024 // 1024))
    if b"%%EOF" not in data[-2048:]:
        raise FieldError(t("scans.pdf_broken"))


def what_zh(target: ScanTarget, case: Case | None) -> str:
    """The paper a scan is of, for messages: 《清朗网络共建行动》（编号 12）的推荐表, or 本单位汇总表."""
    if target.case_id is None or case is None:
        return t("scans.what.summary")
    return t("scans.what.case", name=case.form.name or "", id=case.id)
