"""A list of recommending units as rows (from .xlsx or .csv), checked into :class:`Unit` models."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .campaign import Unit, UnitKind

_HEADERS = {
    "code": ("代码", "编码", "code"),
    "name": ("名称", "单位名称", "推荐单位", "name"),
    "kind": ("类型", "kind"),
    "quota": ("名额", "推荐名额", "quota"),
    "contact": ("联系人", "contact"),
    "phone": ("电话", "联系电话", "phone"),
}
_CITY = ("city", "市", "地市", "市级")


class UnitListError(ValueError):
    pass


def _columns(header: Sequence[object]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        text = str(cell or "").strip().lower()
        for key, names in _HEADERS.items():
            if text in names:
                found[key] = index
    missing = [_HEADERS[k][0] for k in ("code", "name", "kind") if k not in found]
    if missing:
        raise UnitListError(f"表头缺少列：{'、'.join(missing)}（应含 代码、名称、类型，可选 名额、联系人、电话）")
    return found


def _cell(row: Sequence[object], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    value = row[index] if index is not None and index < len(row) else None
    return "" if value is None else str(value).strip()


def parse_units(rows: Iterable[Sequence[object]]) -> tuple[Unit, ...]:
    rows = iter(rows)
    columns = _columns(next(rows, ()))
    units: list[Unit] = []
    for number, row in enumerate(rows, start=2):

        def cell(key: str, row: Sequence[object] = row) -> str:
            return _cell(row, columns, key)

        if not any(str(c or "").strip() for c in row):
            continue
        code = re.sub(r"\s+", "", cell("code")).lower()
        kind = UnitKind.CITY if cell("kind").lower() in _CITY else UnitKind.OTHER
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
            raise UnitListError(f"第 {number} 行有误（代码须为小写字母、数字、-、_，名称不能为空）：{error}") from error
    codes = [u.code for u in units]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise UnitListError(f"单位代码重复：{'、'.join(duplicates)}")
    if not units:
        raise UnitListError("名单中没有单位。")
    return tuple(units)
