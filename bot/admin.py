"""Administrators' commands: units, invitations, export, backup, audit."""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from pathlib import Path

import openpyxl

from dialogs.campaign import Campaign
from dialogs.unitlist import parse_units
from exporters.filenames import province_filename, safe_component

from .app import App
from .files import write_atomic
from .outputs import listed, recommended

ROLES = {"submitter": "申报人", "coordinator": "联络人"}


def read_rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    text = path.read_bytes().decode("utf-8-sig")
    return [list(row) for row in csv.reader(io.StringIO(text))]


async def import_units(app: App, path: Path) -> str:
    units = parse_units(read_rows(path))
    async with app.store.atomic() as tx:
        await tx.replace_units(units)
        await tx.audit("cli", "units_import", detail=f"{len(units)} 个单位，来自 {path.name}")
    return f"已导入 {len(units)} 个推荐单位。"


def list_units(campaign: Campaign) -> str:
    return "\n".join(
        f"{u.code}\t{u.name}\t{'市' if u.kind.value == 'city' else '其他'}\t名额 {campaign.quota_for(u)}"
        for u in campaign.units
    )


async def invites(app: App, bot_username: str, unit: str | None, reissue: bool) -> str:
    """Two links per unit (申报人, 联络人); ``reissue`` revokes the old codes first."""
    units = [u for u in app.campaign.units if unit in (None, u.code)]
    if not units:
        raise KeyError(f"未知推荐单位代码：{unit}")
    lines = []
    async with app.store.atomic() as tx:
        for u in units:
            for role, role_zh in ROLES.items():
                if reissue:
                    await tx.revoke_invites(u.code, role)
                current = [i for i in await tx.invites(u.code) if i.role == role]
                if current:
                    code = current[0].code
                else:
                    code = f"{role[0]}{secrets.token_urlsafe(12)}"
                    await tx.create_invite(code, u.code, role)
                    await tx.audit("cli", "invite", unit=u.code, detail=role)
                lines.append(f"{u.name}\t{role_zh}\thttps://t.me/{bot_username}?start={code}")
    return "\n".join(lines)


async def export(app: App, target: Path) -> Path:
    """One zip for the province: every unit's 汇总表, the province table, every recommended form, the pictures."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        province = await app.outputs.province_file()
        archive.writestr(province.name, province.data)
        async with app.store.atomic() as tx:
            cases = await tx.all_cases()
        for unit in app.campaign.units:
            mine = [c for c in cases if c.unit == unit.code]
            if not listed(mine):
                continue
            folder = safe_component(unit.name)
            summary = await app.outputs.summary_file(unit.code)
            archive.writestr(f"{folder}/{summary.name}", summary.data)
            for case in recommended(mine):
                form = await app.outputs.form_file(case)
                archive.writestr(f"{folder}/{form.name}", form.data)
                async with app.store.atomic() as tx:
                    for index, picture in enumerate(case.form.pictures, start=1):
                        data = await tx.picture(picture.sha256)
                        if data is not None:
                            stem = form.name.removesuffix("-推荐表.docx")
                            archive.writestr(f"{folder}/图片/{stem}-图{index}.{picture.extension}", data)
    if target.is_dir() or not target.suffix:
        target = target / province_filename(app.campaign).replace(".xlsx", ".zip")
    write_atomic(target, buffer.getvalue())
    return target


async def backup(app: App, target: Path) -> Path:
    """An online backup: consistent even while the bot is writing."""
    import aiosqlite

    target.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(target) as copy:
        await app.store.db.backup(copy)
    return target


async def audit(app: App, unit: str | None, case_id: int | None) -> str:
    async with app.store.atomic() as tx:
        rows = await tx.audit_log(unit, case_id)
    return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows) or "（无记录）"
