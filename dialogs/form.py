"""The 推荐表's fields as one table: label, kind, whether required, and what the prompt says.

The dialog walks this table; limits come from the campaign, so a new notice changes numbers in
its TOML file, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from .campaign import Campaign
from .models import PARTS, STEPS, Step


class Kind(Enum):
    SHORT = auto()
    CATEGORY = auto()
    UNIT = auto()
    PERIOD = auto()
    PHONE = auto()
    LONG = auto()
    PICTURES = auto()
    REVIEW = auto()


@dataclass(frozen=True)
class Field:
    step: Step
    label: str
    kind: Kind
    hint: str
    required: bool = True


FIELDS: dict[Step, Field] = {
    f.step: f
    for f in (
        Field(Step.NAME, "案例名称", Kind.SHORT, "请填写案例名称（简明扼要，一行）。"),
        Field(Step.APPLICANT, "申报单位", Kind.SHORT, "请填写申报单位全称。"),
        Field(Step.CATEGORY, "申报类别", Kind.CATEGORY, "请选择申报类别（点击按钮，或回复序号、类别名称）："),
        Field(Step.UNIT, "推荐单位", Kind.UNIT, "请选择推荐单位（回复序号或单位全称）："),
        Field(
            Step.PERIOD, "开展实施或发布时间", Kind.PERIOD, "请填写案例开展实施或发布的年月（如 2022年3月、2022-03）。"
        ),
        Field(Step.CONTACT, "联系人", Kind.SHORT, "请填写联系人姓名。"),
        Field(Step.PHONE, "联系方式", Kind.PHONE, "请填写联系人的手机号码或带区号的固定电话。"),
        Field(Step.SUMMARY, "案例简介", Kind.LONG, "请填写案例简介。"),
        Field(Step.BACKGROUND, "一、背景意义", Kind.LONG, "请填写案例内容第一部分“背景意义”。"),
        Field(Step.PRACTICE, "二、主要做法", Kind.LONG, "请填写案例内容第二部分“主要做法”。"),
        Field(Step.RESULTS, "三、实施成效", Kind.LONG, "请填写案例内容第三部分“实施成效”。"),
        Field(Step.LESSONS, "四、经验启示", Kind.LONG, "请填写案例内容第四部分“经验启示”。"),
        Field(Step.PICTURES, "图片资料", Kind.PICTURES, "可附图片资料，请直接发送图片（JPG 或 PNG）。", required=False),
        Field(Step.REVIEW, "核对提交", Kind.REVIEW, ""),
    )
}

FORM_STEPS: tuple[Step, ...] = tuple(s for s in STEPS if s is not Step.REVIEW)


def position(step: Step) -> int:
    return STEPS.index(step) + 1


def label(step: Step) -> str:
    return FIELDS[step].label


def is_part(step: Step) -> bool:
    return step in PARTS


def limit_of(step: Step, campaign: Campaign) -> int:
    """The 字 limit of a text field; the four parts share the content limit."""
    limits = campaign.limits
    if step is Step.SUMMARY:
        return limits.summary_zi
    if is_part(step):
        return limits.content_zi
    if step is Step.CONTACT:
        return limits.contact_zi
    if step is Step.APPLICANT:
        return limits.unit_zi
    return limits.name_zi
