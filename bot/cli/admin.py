"""Administrators' commands: units, invitations, export, backup, audit."""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from bot.app import App
from bot.disk.atomic import write_atomic
from bot.disk.outputs import FORM_SUFFIX, UnknownUnit, listed, recommended
from bot.usecases.package import sealed_scans
from bot.usecases.panel.actions import PANEL_ACTION_KEYS
from dialogs.campaign import Campaign
from dialogs.models import CaseState
from dialogs.unitlist import UnitListError, parse_units
from dialogs.wording import t
from exporters.filenames import province_filename, safe_component

ROLE_KEYS = {"submitter": "admin.submitter", "coordinator": "admin.coordinator"}
ACTION_KEYS = {
    "submit": "admin.audit.actions.submit",
    "resubmit": "admin.audit.actions.resubmit",
    "join": "admin.audit.actions.join",
    "remove_member": "admin.audit.actions.remove_member",
    "extend": "admin.audit.actions.extend",
    "invite": "admin.audit.actions.invite",
    "units_import": "admin.audit.actions.units_import",
    "up": "admin.audit.actions.up",
    "down": "admin.audit.actions.down",
    "recommend": "admin.audit.actions.recommend",
    "withdraw": "admin.audit.actions.withdraw",
    "rank": "admin.audit.actions.rank",
    "return": "admin.audit.actions.return",
    "release": "admin.audit.actions.release",
    "revert": "admin.audit.actions.revert",
    "cutoff": "admin.audit.actions.cutoff",
    "purge": "admin.audit.actions.purge",
    "pseudonymise": "admin.audit.actions.pseudonymise",
    "contact": "admin.audit.actions.contact",
    "scan": "admin.audit.actions.scan",
    **PANEL_ACTION_KEYS,
}


class Refused(Exception):
    """A command the administrator must correct (a missing file, a file in the way); the text says how."""


def _role(role: str) -> str:
    return t(ROLE_KEYS[role]) if role in ROLE_KEYS else role


# -- units -------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[object]]:
    """The rows of a .xlsx or .csv unit list; every way it can fail names the file and the problem."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise Refused(t("admin.import_errors.missing", path=path))
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise Refused(t("admin.import_errors.bad_type", path=path, suffix=suffix or path.name))
    try:
        if suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            return [list(row) for row in csv.reader(io.StringIO(text))]
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except UnicodeDecodeError:
        raise Refused(t("admin.import_errors.bad_csv", path=path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, ValueError) as error:
        raise Refused(t("admin.import_errors.bad_xlsx", path=path, reason=type(error).__name__)) from None
    except OSError as error:
        raise Refused(t("admin.import_errors.unreadable", path=path, reason=error.strerror or error)) from None


async def import_units(app: App, path: Path, force: bool = False) -> str:
    """Replace the unit list. A unit left out that has cases or members is never dropped silently:
    the import is refused with what would be orphaned, or, forced, the unit is retired: its cases
    stay in the database and in the province export under its old name."""
    try:
        units = parse_units(read_rows(path))
    except UnitListError as error:
        raise Refused(t("admin.import_errors.bad_content", path=path, reason=error)) from None
    listed = {u.code for u in units}
    removed = {u.code: u for u in app.campaign.units if u.code not in listed}
    async with app.store.atomic() as tx:
        used = await tx.unit_use(list(removed))
        lines = [
            t("admin.orphan_line", code=u.code, name=removed[u.code].name, cases=u.cases, members=u.members)
            for u in used
        ]
        if used and not force:
            raise Refused("\n".join([t("admin.orphans_refused", path=path), *lines, t("admin.orphans_force")]))
        await tx.replace_units(units)
        for unit in units:  # a contact in the list fills the header only where none is set yet
            if unit.contact and unit.phone and await tx.fill_unit_contact(unit.code, unit.contact, unit.phone, "cli"):
                await tx.audit("cli", "contact", unit=unit.code, detail=f"{unit.contact} {unit.phone}")
        await tx.unretire_units(sorted(listed))
        await tx.retire_units([removed[u.code] for u in used])
        detail = t("admin.import_detail", count=len(units), file=path.name)
        if used:
            detail = t(
                "admin.import_forced_detail", detail=detail, codes=t("dialog.sep.list").join(u.code for u in used)
            )
        await tx.audit("cli", "units_import", detail=detail)
    if used:
        return "\n".join([t("admin.imported", count=len(units)), t("admin.orphans_kept"), *lines])
    return t("admin.imported", count=len(units))


def list_units(campaign: Campaign) -> str:
    return "\n".join(
        t(
            "admin.unit_line",
            code=u.code,
            name=u.name,
            kind=t("admin.city") if u.kind.value == "city" else t("admin.other"),
            quota=campaign.quota_for(u),
        )
        for u in campaign.units
    )


def _known(campaign: Campaign, unit: str | None) -> None:
    if unit is not None and campaign.unit(unit) is None:
        raise UnknownUnit(t("service.unknown_unit", code=unit))


# -- invitations -------------------------------------------------------------------------------


def invite_usage(app: App, bot_username: str) -> list[str]:
    """How a code is used on each channel this installation runs (the terminal when none is set up)."""
    settings = app.settings
    lines = [t("admin.invites.how")]
    if settings.telegram_token.get_secret_value() or bot_username:
        lines.append(
            t("admin.invites.telegram_link", bot=bot_username) if bot_username else t("admin.invites.telegram_no_link")
        )
    if settings.wecom_corp_id:
        lines.append(t("admin.invites.wecom"))
    if len(lines) == 1:
        lines.append(t("admin.invites.terminal"))
    return lines


async def invites(app: App, bot_username: str, unit: str | None, reissue: bool) -> str:
    """Two codes per unit (申报人, 联络人), with Telegram links when the bot's username is known.

    ``reissue`` revokes the old codes first.
    """
    _known(app.campaign, unit)
    bot_username = bot_username.lstrip("@")
    units = [u for u in app.campaign.units if unit in (None, u.code)]
    lines = [t("admin.invites.header") if bot_username else t("admin.invites.header_no_link")]
    async with app.store.atomic() as tx:
        for u in units:
            for role in ROLE_KEYS:
                if reissue:
                    await tx.revoke_invites(u.code, role)
                current = [i for i in await tx.invites(u.code) if i.role == role]
                if current:
                    code = current[0].code
                else:
                    code = f"{role[0]}{secrets.token_urlsafe(12)}"
                    await tx.create_invite(code, u.code, role)
                    await tx.audit("cli", "invite", unit=u.code, detail=role)
                row = [u.name, _role(role), code]
                if bot_username:
                    row.append(f"https://t.me/{bot_username}?start={code}")
                lines.append("\t".join(row))
    return "\n".join([*lines, "", *invite_usage(app, bot_username)])


# -- export and backup -------------------------------------------------------------------------


async def export(app: App, target: Path) -> Path:
    """One zip for the province: every unit's 汇总表, the province table, every recommended form, the pictures."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        province = await app.outputs.province_file()
        archive.writestr(province.name, province.data)
        async with app.store.atomic() as tx:
            cases = await tx.all_cases()
        for unit in app.campaign.all_units:
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
                            name = t(
                                "admin.picture_name",
                                stem=form.name.removesuffix(FORM_SUFFIX),
                                index=index,
                                ext=picture.extension,
                            )
                            archive.writestr(f"{folder}/{t('admin.pictures_folder')}/{name}", data)
            for name, data in await sealed_scans(app.outputs, unit.code):
                archive.writestr(f"{folder}/{name}", data)  # name carries the 盖章扫描件 folder
    if target.is_dir() or not target.suffix:
        target = target / province_filename(app.campaign).replace(".xlsx", ".zip")
    write_atomic(target, buffer.getvalue())
    return target


def backup_refusal(target: Path) -> str | None:
    """Why a backup must not be written to ``target`` without --force (something is already there)."""
    return t("cli.backup_exists", path=target) if target.exists() else None


async def backup(app: App, target: Path, force: bool = False) -> Path:
    """An online backup, consistent even while the bot is writing; never over an existing file unless forced."""
    import aiosqlite

    refusal = None if force else backup_refusal(target)
    if refusal is not None:
        raise Refused(refusal)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    async with aiosqlite.connect(partial) as copy:
        await app.store.db.backup(copy)
    partial.replace(target)
    return target


# -- audit -------------------------------------------------------------------------------------


def _detail(action: str, detail: str) -> str:
    """The stored detail in words: a role, or a state and rank, as the audit log records them."""
    if action == "join" or action == "invite":
        return _role(detail)
    if action in ("submit", "resubmit"):
        state, _, rank = detail.partition(" ")
        words = [CaseState(state).zh if state in {s.value for s in CaseState} else state]
        if rank.isdigit():
            words.append(t("admin.audit.rank", rank=rank))
        return " ".join(words)
    return detail


async def audit(app: App, unit: str | None, case_id: int | None) -> str:
    """The audit log in the campaign's local time, with Chinese action names."""
    _known(app.campaign, unit)
    async with app.store.atomic() as tx:
        rows = await tx.audit_log(unit, case_id)
    if not rows:
        return t("admin.no_records")
    zone = app.campaign.zone
    lines = [t("admin.audit.header", zone=app.campaign.timezone)]
    for at, actor, action, unit_code, case, detail in rows:
        when = datetime.fromisoformat(at).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        name = t(ACTION_KEYS[action]) if action in ACTION_KEYS else action
        cells = [when, actor, name, unit_code or "", "" if case is None else str(case), _detail(action, detail)]
        lines.append("\t".join(cells))
    return "\n".join(lines)
