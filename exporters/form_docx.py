"""附件1《推荐表》as a Word file, drawn the way the notice draws it.

The builder is pure: a :class:`CaseForm`, the campaign and the picture bytes in, the .docx bytes
out. The layout follows GB/T 9704 (A4, its margins, 仿宋_GB2312 body text, 黑体 headings,
方正小标宋简体 title, "— N —" page numbers on the outer side) so that the printed form can be
signed, stamped and mailed as it is. The parts live in their own modules: the page
(:mod:`exporters.form_page`), the cover (:mod:`exporters.form_cover`) and the table
(:mod:`exporters.form_table`), built from :mod:`exporters.docx_xml`.

Nothing a user typed can make the build fail: text goes through :mod:`exporters.text` first.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from dialogs.campaign import Campaign
from dialogs.models import CaseForm

from .form_cover import COVER_LABELS, add_cover, cover_date
from .form_page import blank_form, set_properties
from .form_table import (
    PART_HEADINGS,
    PICTURE_MAX_HEIGHT,
    PICTURE_MAX_WIDTH,
    TABLE_LABELS,
    add_form_table,
    content_hint,
    summary_hint,
)
from .text import one_line
from .zip_stamps import fix_member_dates

__all__ = [
    "COVER_LABELS",
    "PART_HEADINGS",
    "PICTURE_MAX_HEIGHT",
    "PICTURE_MAX_WIDTH",
    "TABLE_LABELS",
    "build_form_docx",
    "content_hint",
    "cover_date",
    "summary_hint",
]


def build_form_docx(
    form: CaseForm,
    campaign: Campaign,
    *,
    pictures: Sequence[bytes] = (),
    on: datetime.date | None = None,
) -> bytes:
    """Return the 推荐表 of ``form`` as .docx bytes.

    ``pictures[i]`` holds the bytes of ``form.pictures[i]`` (already checked JPEG or PNG). ``on``
    is no longer printed (附件1 leaves the date for the unit to write when it signs); it only
    dates the file's properties, so the same case gives the same bytes.
    """
    doc = blank_form()
    set_properties(doc, campaign.form_title, one_line(form.name), on)
    add_cover(doc, form, campaign)
    add_form_table(doc, form, campaign, pictures)
    buffer = io.BytesIO()
    doc.save(buffer)
    return fix_member_dates(buffer.getvalue())
