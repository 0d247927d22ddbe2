"""The 公示 and 公布 notices as plain text and as an HTML fragment for a government website's editor.

Most offices publish through their site's CMS, whose editor takes pasted HTML: so the fragment is
one ``<div>`` of plain elements (headings, paragraphs, one table per category) with no script, no
style sheet, no classes a CMS would strip; only inline widths and borders every editor keeps.
"""

from __future__ import annotations

from html import escape

from .notice_docx import heading_numeral
from .publicity_notice import COLUMNS, Notice, day_text

_CELL = "border:1px solid #000;padding:4px 6px;"


def notice_text(notice: Notice) -> str:
    """The notice as text: paragraphs indented with two ideographic spaces, the list as numbered lines."""
    lines = [notice.title, ""]
    lines += ["\u3000\u3000" + p for p in notice.paragraphs]
    lines += ["", *notice.issuers, day_text(notice.issued_on), "", notice.list_title, ""]
    for index, (category, rows) in enumerate(notice.rows()):
        lines.append(f"{heading_numeral(index)}、{category}（{len(rows)}个）")
        for number, name, applicant, unit in rows:
            lines.append(f"{number}. {name}　申报单位：{applicant}　推荐单位：{unit}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def notice_html(notice: Notice) -> str:
    """The notice as an HTML fragment (UTF-8 text), ready to paste into a CMS editor."""
    out = ['<div lang="zh-CN">', f'<h2 style="text-align:center;">{escape(notice.title)}</h2>']
    out += [f'<p style="text-indent:2em;">{escape(p)}</p>' for p in notice.paragraphs]
    out += [f'<p style="text-align:right;">{escape(name)}</p>' for name in notice.issuers]
    out.append(f'<p style="text-align:right;">{escape(day_text(notice.issued_on))}</p>')
    out.append(f'<h3 style="text-align:center;">{escape(notice.list_title)}</h3>')
    for index, (category, rows) in enumerate(notice.rows()):
        out.append(f"<h4>{escape(heading_numeral(index))}、{escape(category)}（{len(rows)}个）</h4>")
        out.append('<table style="border-collapse:collapse;width:100%;">')
        out.append("<thead><tr>" + "".join(f'<th style="{_CELL}">{escape(c)}</th>' for c in COLUMNS) + "</tr></thead>")
        out.append("<tbody>")
        for row in rows:
            out.append("<tr>" + "".join(f'<td style="{_CELL}">{escape(v)}</td>' for v in row) + "</tr>")
        out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out) + "\n"
