"""The campaign definition: everything the notice fixes, as data.

Next year's notice is a new TOML file, never a code change, so every number, date, category and
unit the dialog or the exporters use is read from a :class:`Campaign`. Parsing takes text, not a
path: reading the file is the shell's job.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .panel.criteria import PanelSettings
from .publicity.calendar import WorkCalendar
from .wording import t

# The submitters' cut-off, when the campaign file names none: this many days before the deadline, so
# the unit has time to rank, print, sign and seal the paper that must reach the province by then.
DEFAULT_CUTOFF_DAYS = 3


class CampaignError(ValueError):
    """The campaign file is not usable; the message names the bad key."""


class UnitKind(StrEnum):
    CITY = "city"
    OTHER = "other"


class YearMonth(BaseModel):
    """A calendar month, the precision the notice uses for the implementation window."""

    model_config = ConfigDict(frozen=True)
    year: int = Field(ge=1900, le=2999)
    month: int = Field(ge=1, le=12)

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        year, _, month = text.partition("-")
        return cls(year=int(year), month=int(month))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1

    def zh(self) -> str:
        return t("campaign.year_month", year=self.year, month=self.month)


class Category(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    description: str = ""


class Unit(BaseModel):
    """A recommending unit (推荐单位)."""

    model_config = ConfigDict(frozen=True)
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    name: str = Field(min_length=1, max_length=60)
    kind: UnitKind
    quota: int | None = Field(default=None, ge=0, description="overrides the kind's quota")
    contact: str = ""
    phone: str = ""


class Limits(BaseModel):
    model_config = ConfigDict(frozen=True)
    name_zi: int = Field(default=60, ge=1)
    unit_zi: int = Field(default=60, ge=1)
    contact_zi: int = Field(default=20, ge=1)
    summary_zi: int = Field(ge=1)
    content_zi: int = Field(ge=1)
    pictures_min: int = Field(default=0, ge=0)
    pictures_max: int = Field(ge=0)
    picture_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    picture_pixels: int = Field(default=40_000_000, ge=10_000)
    # Characters (letters, digits and punctuation; whitespace does not count) one answer may hold, so
    # that a run of Latin letters, 1 字 by Word's count, cannot carry 100 000 letters onto the form.
    line_chars: int = Field(default=300, ge=1)  # name, applicant, contact
    summary_chars: int = Field(default=1500, ge=1)  # the summary
    content_chars: int = Field(default=12_000, ge=1)  # each content part; a whole 2 000-字 body pasted at once fits
    picture_edge: int = Field(default=3000, ge=100)  # a longer edge is scaled down before the picture is kept


class Quotas(BaseModel):
    model_config = ConfigDict(frozen=True)
    city: int = Field(ge=0)
    other: int = Field(ge=0)


class Duplicates(BaseModel):
    """How alike two cases must be (0..1, after normalising) to count as the same case."""

    model_config = ConfigDict(frozen=True)
    clear: float = Field(default=0.9, gt=0, le=1)
    near: float = Field(default=0.6, gt=0, le=1)


class Window(BaseModel):
    """开展实施或发布时限, inclusive months."""

    model_config = ConfigDict(frozen=True)
    start: YearMonth
    end: YearMonth

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return YearMonth.parse(value)
            except ValueError as exc:
                raise ValueError(t("campaign.bad_month", value=repr(value))) from exc
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start.ordinal() > self.end.ordinal():
            raise ValueError(t("campaign.start_after_end"))
        return self

    def contains(self, month: YearMonth) -> bool:
        return self.start.ordinal() <= month.ordinal() <= self.end.ordinal()

    def zh(self) -> str:
        return t("campaign.window", start=self.start.zh(), end=self.end.zh())


class Submission(BaseModel):
    """四、申报方式: where the paper forms (sealed) and the electronic version go; the 报送说明 reads these."""

    model_config = ConfigDict(frozen=True)
    office: str = ""  # the receiving office, e.g. 省委网信办网络社会工作处
    address: str = ""  # postal address for the sealed paper forms
    mailbox: str = ""  # e-mail address for the electronic version
    phone: str = ""  # the receiving office's telephone, as the notice writes it


class Campaign(BaseModel):
    model_config = ConfigDict(frozen=True)
    year: int = Field(ge=2000, le=2999)
    title: str = Field(min_length=1)
    issuer: str = ""
    timezone: str = "Asia/Shanghai"
    deadline: date
    cutoff: date | None = None  # submitters' last day; None: DEFAULT_CUTOFF_DAYS before the deadline
    window: Window
    limits: Limits
    quotas: Quotas
    duplicates: Duplicates = Duplicates()
    reminder_days: tuple[int, ...] = (3, 1)
    categories: tuple[Category, ...] = Field(min_length=1)
    units: tuple[Unit, ...] = ()
    # false (the default): on Telegram and WeCom a unit is joined only by its invitation code; true: a chat
    # user of no unit may choose one from the list at step 4 and submit into its quota
    open_units: bool = False
    # units removed from the list by a forced import: their cases stay, listed under the old name
    retired_units: tuple[Unit, ...] = ()
    submission: Submission = Submission()
    # 开展实施时间 written into the 汇总表's 备注 (附件1 has no field for it); a campaign may turn it off
    period_in_remarks: bool = True
    # 法定节假日 and 调休 working days, on which a 公示期's 工作日 are counted (dialogs/publicity/calendar.py)
    calendar: WorkCalendar = WorkCalendar()
    # 评审: the criteria, the 承诺书, the groups (see dialogs.panel.criteria)
    panel: PanelSettings = PanelSettings()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception as exc:  # ZoneInfoNotFoundError or a malformed key
            raise ValueError(t("campaign.unknown_zone", value=repr(value))) from exc
        return value

    @model_validator(mode="after")
    def _unique(self) -> Campaign:
        codes = [u.code for u in self.units]
        if len(codes) != len(set(codes)):
            raise ValueError(t("campaign.duplicate_units"))
        names = [c.name for c in self.categories]
        if len(names) != len(set(names)):
            raise ValueError(t("campaign.duplicate_categories"))
        if self.cutoff is not None and self.cutoff > self.deadline:
            raise ValueError(t("campaign.cutoff_after_deadline"))
        self.panel.check_categories(tuple(names))
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def deadline_at(self) -> datetime:
        """The last moment a submission is accepted: the end of the deadline day, local time."""
        end = datetime.combine(self.deadline, datetime.min.time(), self.zone)
        return end + timedelta(days=1) - timedelta(minutes=1)

    @property
    def submitters_cutoff(self) -> date:
        """The last day submitters may submit or revise (the unit's coordinators rank until the deadline)."""
        if self.cutoff is not None:
            return self.cutoff
        return self.deadline - timedelta(days=DEFAULT_CUTOFF_DAYS)

    @property
    def all_units(self) -> tuple[Unit, ...]:
        """The listed units, then the retired ones: whatever may own a case, for exports."""
        return self.units + self.retired_units

    @property
    def form_title(self) -> str:
        return t("campaign.form_title", year=self.year)

    @property
    def summary_title(self) -> str:
        return t("campaign.summary_title", year=self.year)

    @cached_property
    def _units_by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.all_units}

    def unit(self, code: str) -> Unit | None:
        return self._units_by_code.get(code)

    def quota_for(self, unit: Unit) -> int:
        if unit.quota is not None:
            return unit.quota
        return self.quotas.city if unit.kind is UnitKind.CITY else self.quotas.other

    def with_units(self, units: tuple[Unit, ...], retired: tuple[Unit, ...] = ()) -> Campaign:
        """The same campaign with an imported unit list (validated again, caches rebuilt); ``retired``
        are units no longer listed whose cases are kept."""
        listed = {u.code for u in units}
        data = self.model_dump()
        data["units"] = [u.model_dump() for u in units]
        data["retired_units"] = [u.model_dump() for u in retired if u.code not in listed]
        return Campaign.model_validate(data)


def parse_campaign(text: str, source: str = "campaign") -> Campaign:
    """Parse and validate a campaign TOML text; errors name the key and the rule."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignError(t("campaign.toml_error", source=source, error=exc)) from exc
    try:
        return Campaign.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or t("campaign.root")
            problems.append(f"  {key}: {err['msg']}")
        raise CampaignError(t("campaign.invalid", source=source, problems="\n".join(problems))) from exc
