"""A list of recommending units as rows (from .xlsx or .csv), checked into :class:`Unit` models."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .campaign import Unit, UnitKind
from .wording import t

# The column titles a unit list may use, by column; the first of each is the one named in messages.
_HEADER_KEYS = {
    "code": "unitlist.header.code",
    "name": "unitlist.header.name",
    "kind": "unitlist.header.kind",
    "quota": "unitlist.header.quota",
    "contact": "unitlist.header.contact",
    "phone": "unitlist.header.phone",
}


def _headers() -> dict[str, tuple[str, ...]]:
    return {column: (*t(key).split(), column) for column, key in _HEADER_KEYS.items()}


def _city_words() -> tuple[str, ...]:
    return ("city", *t("unitlist.city").split())


class UnitListError(ValueError):
    pass


def _columns(header: Sequence[object]) -> dict[str, int]:
    headers = _headers()
    found = {}
    for index, cell in enumerate(header):
        text = str(cell or "").strip().lower()
        for key, names in headers.items():
            if text in names:
                found[key] = index
    missing = [headers[k][0] for k in ("code", "name", "kind") if k not in found]
    if missing:
        raise UnitListError(t("unitlist.missing_columns", columns=t("dialog.sep.list").join(missing)))
    return found


def _cell(row: Sequence[object], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    value = row[index] if index is not None and index < len(row) else None
    return "" if value is None else str(value).strip()


def parse_units(rows: Iterable[Sequence[object]]) -> tuple[Unit, ...]:
    rows = iter(rows)
    columns = _columns(next(rows, ()))
    units: list[Unit] = []
    city = _city_words()
    for number, row in enumerate(rows, start=2):

        def cell(key: str, row: Sequence[object] = row) -> str:
            return _cell(row, columns, key)

        if not any(str(c or "").strip() for c in row):
            continue
        code = re.sub(r"\s+", "", cell("code")).lower()
        kind = UnitKind.CITY if cell("kind").lower() in city else UnitKind.OTHER
        quota = cell("quota")
        try:
            units.append(
                Unit(
                    code=code,
                    name=cell("name"),
                    kind=kind,
                    quota=int(float(quota)) if quota else None,
                    contact=cell("contact"),
                    phone=cell("phone"),
                )
            )
        except ValueError as error:
            raise UnitListError(t("unitlist.bad_row", row=number, error=error)) from error
    codes = [u.code for u in units]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise UnitListError(t("unitlist.duplicates", codes=t("dialog.sep.list").join(duplicates)))
    if not units:
        raise UnitListError(t("unitlist.empty"))
    return tuple(units)
