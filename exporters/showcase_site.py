"""展示推广: the final cases as a static website, and each case as a fragment for a CMS.

Static because the office has no web application to run: the folder can be copied onto any web
server, opened from a disk, or its pages pasted into the government site. No script is needed to
read it: plain HTML and one style sheet, laid out for a 375-pixel phone first, printed with each
case on a page of its own. What is on it is chosen by the shell (the publication text where the
office gave one, only pictures with consent) and holds no one's contact: this builder is never
given a contact person, a phone or a chat id.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .publicity_notice import grouped_by
from .text import paragraphs
from .web_pictures import WebPicture


@dataclass(frozen=True)
class ShownPicture:
    picture: WebPicture
    alt: str
    caption: str

    def name(self, case_id: int, number: int) -> str:
        return f"case-{case_id}-{number}.{self.picture.extension}"


@dataclass(frozen=True)
class ShownCase:
    id: int
    title: str
    category: str
    applicant: str
    unit: str
    summary: str
    parts: tuple[tuple[str, str], ...]  # (heading, text)
    pictures: tuple[ShownPicture, ...] = ()

    @property
    def page(self) -> str:
        return f"case-{self.id}.html"


@dataclass(frozen=True)
class Site:
    title: str  # 2024年全省网络文明建设优秀案例
    issuers: tuple[str, ...]
    categories: tuple[str, ...]  # the campaign's order


STYLE = """\
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;
line-height:1.8;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}
header.site,main,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:3px solid #b5121b;padding-top:1.2rem;padding-bottom:.8rem}
header.site p{margin:.2rem 0;color:#555}
h1{font-size:1.5rem;line-height:1.4;margin:.6rem 0}
h2{font-size:1.2rem;line-height:1.4;margin:1.6rem 0 .6rem;color:#b5121b}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
a{color:#0b4f9c}
nav.categories ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem .8rem}
ol.cases{padding-left:1.6rem}
ol.cases li{margin:.5rem 0}
.units{color:#555;font-size:.92rem;display:block}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:1rem 0}
dl.facts dt{font-weight:bold}
dl.facts dd{margin:0}
p.body{text-indent:2em;margin:.4rem 0}
figure{margin:1rem 0}
figure img{display:block;max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#555;text-align:center}
footer.site{border-top:1px solid #ccc;margin-top:2rem;padding-top:.8rem;padding-bottom:2rem;color:#555;font-size:.9rem}
@media print{
@page{size:A4;margin:20mm 18mm}
nav,.back{display:none}
body{font-size:11pt}
header.site,main,footer.site{max-width:none;padding:0}
article.case{break-before:page}
article.case:first-of-type{break-before:auto}
figure,dl.facts{break-inside:avoid}
h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}
}
"""


def _head(title: str, prefix: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{prefix}style.css">\n</head>\n<body>\n'
    )


def _masthead(site: Site, prefix: str) -> str:
    return f'<header class="site"><p><a href="{prefix}index.html">{escape(site.title)}</a></p></header>\n'


def _footer(site: Site) -> str:
    return f'<footer class="site"><p>{escape("　".join(site.issuers))}</p></footer>\n</body>\n</html>\n'


def _article(case: ShownCase, picture_dir: str, heading: str = "h1") -> str:
    out = [f'<article class="case" id="case-{case.id}">', f"<{heading}>{escape(case.title)}</{heading}>"]
    out.append('<dl class="facts">')
    for label, value in (("案例类型", case.category), ("申报单位", case.applicant), ("推荐单位", case.unit)):
        out.append(f"<dt>{label}</dt><dd>{escape(value)}</dd>")
    out.append("</dl>")
    out.append("<h2>案例简介</h2>")
    out += [f'<p class="body">{escape(line)}</p>' for line in paragraphs(case.summary)]
    for part_heading, text in case.parts:
        out.append(f"<h2>{escape(part_heading)}</h2>")
        out += [f'<p class="body">{escape(line)}</p>' for line in paragraphs(text)]
    for number, shown in enumerate(case.pictures, start=1):
        src = f"{picture_dir}{shown.name(case.id, number)}"
        caption = f"<figcaption>{escape(shown.caption)}</figcaption>" if shown.caption else ""
        out.append(
            f'<figure><img src="{escape(src)}" alt="{escape(shown.alt)}" width="{shown.picture.width}" '
            f'height="{shown.picture.height}">{caption}</figure>'
        )
    out.append("</article>")
    return "\n".join(out) + "\n"


def _index(site: Site, cases: list[ShownCase]) -> str:
    groups = grouped_by(site.categories, cases, lambda c: c.category)
    out = [_head(site.title, ""), _masthead(site, "")]
    out.append(f"<main>\n<h1>{escape(site.title)}</h1>")
    out.append(f'<p>共{len(cases)}个案例。<a href="all.html">全部案例（便于打印）</a></p>')
    out.append('<nav class="categories" aria-label="案例类型"><ul>')
    for number, (category, members) in enumerate(groups, start=1):
        out.append(f'<li><a href="#category-{number}">{escape(category)}（{len(members)}）</a></li>')
    out.append("</ul></nav>")
    for number, (category, members) in enumerate(groups, start=1):
        out.append(f'<section id="category-{number}"><h2>{escape(category)}</h2><ol class="cases">')
        for case in members:
            out.append(
                f'<li><a href="cases/{case.page}">{escape(case.title)}</a>'
                f'<span class="units">{escape(case.applicant)}　推荐单位：{escape(case.unit)}</span></li>'
            )
        out.append("</ol></section>")
    out.append("</main>")
    return "\n".join(out) + "\n" + _footer(site)


def _case_page(site: Site, case: ShownCase) -> str:
    back = '<p class="back"><a href="../index.html">返回案例目录</a></p>'
    body = _article(case, "../pictures/")
    return (
        _head(f"{case.title} - {site.title}", "../")
        + _masthead(site, "../")
        + f"<main>\n{back}\n{body}</main>\n"
        + _footer(site)
    )


def _all_page(site: Site, cases: list[ShownCase]) -> str:
    groups = grouped_by(site.categories, cases, lambda c: c.category)
    ordered = [case for _, members in groups for case in members]
    articles = "".join(_article(case, "pictures/", heading="h1") for case in ordered)
    back = '<p class="back"><a href="index.html">返回案例目录</a></p>'
    return (
        _head(f"全部案例 - {site.title}", "")
        + _masthead(site, "")
        + f"<main>\n{back}\n{articles}</main>\n"
        + _footer(site)
    )


def build_site(site: Site, cases: list[ShownCase]) -> dict[str, bytes]:
    """Every file of the site by its path inside the folder: index, one page per case, all cases, pictures."""
    files: dict[str, bytes] = {"style.css": STYLE.encode(), "index.html": _index(site, cases).encode()}
    files["all.html"] = _all_page(site, cases).encode()
    for case in cases:
        files[f"cases/{case.page}"] = _case_page(site, case).encode()
        for number, shown in enumerate(case.pictures, start=1):
            files[f"pictures/{shown.name(case.id, number)}"] = shown.picture.data
    return files


def case_fragment(case: ShownCase) -> str:
    """One case for a CMS editor: plain elements with inline style; its pictures named as in pictures/."""
    html = _article(case, "")
    html = html.replace('<p class="body">', '<p style="text-indent:2em;">').replace(' class="facts"', "")
    html = html.replace(
        "<figure><img ", '<figure style="margin:1em 0;text-align:center;"><img style="max-width:100%;height:auto;" '
    )
    return html.replace(' class="case"', ' lang="zh-CN"')
