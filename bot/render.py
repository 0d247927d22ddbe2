"""Sample 推荐表 and 汇总表, rendered to PDF and PNG, to see the layout a reviewer will print.

``python -m bot.render OUT_DIR`` (and ``casebot render-samples``) writes a maximal sample form (a
300-字 summary, four parts of 2000 字 in all, two pictures) and a city's 汇总表 of four cases,
converts both with LibreOffice and renders every page to PNG. The sample data is also what the
layout tests and the benchmark use, so "maximal" means the same thing everywhere.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from dialogs.campaign import Campaign, Unit, parse_campaign
from dialogs.models import Case, CaseForm, CaseState, PictureRef
from exporters.form_docx import build_form_docx
from exporters.summary_xlsx import build_summary_xlsx

from .files import write_atomic
from .office import convert_to_pdf, pdf_to_pngs

SAMPLE_DATE = datetime.date(2024, 3, 1)
SAMPLE_TIME = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

# A realistic, invented case: exactly 300 字 of summary and 2000 字 in the four parts.
SUMMARY = (
    "为破解网络不文明行为多发、青少年网络素养亟待提升等问题，蜀山区自2022年3月起开展“清风e路”网络文明志愿服务行动，"
    "整合辖区内高校、互联网企业、社区和新闻媒体力量，组建志愿服务队伍42支，注册志愿者1.2万余名。"
    "行动以“线上引导+线下宣讲”为主线，打造“e路同行”网络素养课堂、“清风随手拍”不文明行为线索征集、“网上邻里节”文明实践等品牌活动，"
    "累计开展宣讲活动680余场，线上话题阅读量超过3.6亿次，收集处置不良信息线索1.5万余条。"
    "行动被纳入全区文明创建年度考核，形成了党委领导、网信牵头、部门协同、社会参与的工作格局，"
    "提升了辖区网民的网络文明素养，营造了积极健康、向上向善的网络环境，相关做法被中央和省级媒体推广。"
)
BACKGROUND = (
    "党的二十大报告提出，要健全网络综合治理体系，推动形成良好网络生态。网络文明是新形势下社会文明的重要内容，是建设网络强国的重要领域。"
    "蜀山区是合肥市高校和科研院所最集中的城区，常住人口中青年群体占比较高，互联网企业数量多、网民活跃度高，"
    "网络空间既是群众获取信息、表达诉求的主要渠道，也是各类思想观点交汇交锋的前沿阵地。\n"
    "近年来，网络谣言、网络暴力、低俗信息等问题仍时有发生，部分青少年网络安全意识和辨别能力不足，沉迷网络、遭受网络诈骗等情况屡见不鲜，"
    "广大群众对清朗网络空间的期盼日益强烈。与此同时，网络文明建设工作还存在部门力量分散、社会参与不足、活动形式单一、线上线下衔接不够等短板，"
    "难以适应互联网快速发展的新形势。\n"
    "为深入贯彻落实中央关于加强网络文明建设的意见和省委实施方案，蜀山区委网信办会同区文明办，坚持以人民为中心的发展思想，"
    "把网络文明建设与新时代文明实践中心建设、全国文明城市创建工作统筹推进，于2022年3月启动“清风e路”网络文明志愿服务行动，"
    "着力把网民群众从网络文明的“旁观者”转变为“参与者”和“建设者”，推动网络文明理念深入人心，为建设网络强国、打造清朗网络空间贡献基层力量。"
)
PRACTICE = (
    "一是建强队伍，凝聚网络文明建设合力。依托区新时代文明实践中心，整合辖区12所高校、36家互联网企业、78个社区和区融媒体中心资源，"
    "组建“清风e路”网络文明志愿服务总队，下设理论宣讲、网络素养、公益服务、网络监督等4类专业分队共42支，注册志愿者1.2万余名。"
    "制定志愿者招募、培训、考核、激励办法，建立“积分兑换+星级评定”志愿激励机制，确保队伍招得来、留得住、用得好。\n"
    "二是打造品牌，丰富网络文明实践载体。开设“e路同行”网络素养课堂，围绕防范网络诈骗、抵制网络谣言、保护个人信息等主题，"
    "开发微课程24门，组织志愿者深入校园、社区、企业开展互动式宣讲；开展“清风随手拍”活动，鼓励网民通过微信小程序举报网上不文明行为和不良信息，"
    "由专人分类转办、限时反馈；举办“网上邻里节”，通过社区微信群、短视频平台开展晒家风、讲家训、比文明等活动，推动文明新风从线上延伸到线下。\n"
    "三是健全机制，推动工作常态长效开展。建立区级统筹、街道落实、社区响应的三级工作机制，将网络文明志愿服务纳入全区文明单位、文明社区创建测评体系；"
    "建立网信、公安、教育、市场监管等部门协同处置机制，对网民举报线索实行闭环管理；联合驻区高校成立网络文明研究中心，"
    "定期开展网民网络素养状况调查，为精准施策提供依据。"
)
RESULTS = (
    "行动开展两年来，取得了明显成效。一是网民网络文明素养明显提升。累计开展线上线下宣讲活动680余场，直接覆盖辖区群众23万余人次，"
    "辖区中小学生网络素养课程实现全覆盖。第三方调查显示，辖区网民对网络谣言的辨别能力较行动开展前提高了27个百分点，"
    "涉网诈骗案件数量同比下降31.6%。\n"
    "二是网络生态持续向好。“清风随手拍”平台累计收集网民举报线索1.5万余条，办结率达到98.7%，推动清理各类违法和不良信息4.2万余条，"
    "处置违规账号1300余个，辖区网络空间更加清朗、网络环境更加健康。\n"
    "三是社会参与度大幅提高。“网上邻里节”等活动线上话题累计阅读量超过3.6亿次，参与互动网民超过80万人次，"
    "涌现出“网络文明好网民”“最美网络志愿者”等先进典型156名，形成了人人参与、人人共享的良好氛围。\n"
    "四是品牌影响力不断扩大。行动先后被人民网、新华网、光明网、安徽日报等中央和省级媒体报道50余次，"
    "“清风e路”品牌获评省级优秀志愿服务项目，相关经验做法在全市推广，多个兄弟县区前来交流学习。"
    "通过行动的持续开展，网络文明建设由“部门抓”向“大家干”转变，由“阶段性”向“常态化”转变，为基层网络文明建设积累了可复制、可推广的经验。"
)
LESSONS = (
    "一是必须坚持党的领导，把牢正确方向。网络文明建设是一项系统工程，只有坚持党委统一领导，把网络文明建设纳入意识形态工作责任制和精神文明建设总体布局，"
    "才能统筹各方资源、形成工作合力。\n"
    "二是必须坚持以人民为中心，激发群众参与热情。网民既是网络文明建设的受益者，也是网络文明建设的主体力量。"
    "只有贴近群众需求设计活动载体，用群众喜闻乐见的方式开展宣传引导，才能让网络文明理念真正入脑入心，变“要我参与”为“我要参与”。\n"
    "三是必须坚持线上线下融合，打通服务群众“最后一公里”。网络文明建设既要在网上发力，也要在网下用劲。"
    "依托新时代文明实践阵地，推动网上活动与网下实践相互促进、相得益彰，才能实现网络文明与社会文明同频共振。\n"
    "四是必须坚持建章立制，推动工作常态长效。通过完善队伍管理、线索处置、考核激励等制度机制，把行之有效的做法固定下来，"
    "才能避免“一阵风”，推动网络文明建设持续深入开展。\n"
    "下一步，蜀山区将继续深化“清风e路”网络文明志愿服务行动，进一步扩大志愿者队伍规模，拓展服务领域和服务对象，"
    "加强与互联网平台的合作，探索运用大数据、人工智能等新技术提升网络文明建设智能化水平，努力打造更多具有蜀山特色的网络文明建设品牌。"
)


SAMPLE_CASES = (
    ("“清风e路”网络文明志愿服务行动", "网络空间文明创建", "合肥市蜀山区委网信办"),
    ("“庐州网络文化节”系列活动", "网络空间文化培育", "合肥市委网信办、合肥日报社"),
    ("“合肥好人”网上寻访与宣传推介", "网络空间道德建设", "合肥市文明办"),
    ("“清朗包河”网络生态共治行动", "网络空间生态治理", "合肥市包河区委网信办"),
)
_FONT_PLACES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def sample_campaign() -> Campaign:
    """The packaged 2024 campaign, with a contact person filled in for 合肥."""
    text = resources.files("dialogs.campaigns").joinpath("2024.toml").read_text(encoding="utf-8")
    campaign = parse_campaign(text, "2024.toml")
    units = tuple(
        u.model_copy(update={"contact": "王敏", "phone": "0551-63500000"}) if u.code == "hefei" else u
        for u in campaign.units
    )
    return campaign.with_units(units)


def sample_unit(campaign: Campaign) -> Unit:
    unit = campaign.unit("hefei")
    assert unit is not None, "the 2024 campaign lists 合肥"
    return unit


def sample_pictures() -> list[tuple[bytes, PictureRef]]:
    """Two pictures made in memory: a JPEG photo-like scene and a PNG chart."""
    return [
        _picture(_scene(), "JPEG", "“e路同行”网络素养课堂走进社区"),
        _picture(_chart(), "PNG", "2022—2023年网络文明宣讲活动场次"),
    ]


def sample_form(pictures: list[tuple[bytes, PictureRef]] | None = None) -> CaseForm:
    """A maximal 推荐表: every field answered, the text at its limits, two pictures."""
    refs = [ref for _, ref in (pictures if pictures is not None else sample_pictures())]
    return CaseForm(
        name=SAMPLE_CASES[0][0],
        applicant=SAMPLE_CASES[0][2],
        category=SAMPLE_CASES[0][1],
        unit="hefei",
        period="2022-03",
        contact="李明",
        phone="0551-65100000",
        summary=SUMMARY,
        background=BACKGROUND,
        practice=PRACTICE,
        results=RESULTS,
        lessons=LESSONS,
        pictures=refs,
    )


def sample_cases(count: int = 4, unit: str = "hefei") -> list[Case]:
    """``count`` recommended cases of ``unit`` in rank order, names cycling through the samples."""
    cases = []
    for index in range(count):
        name, category, applicant = SAMPLE_CASES[index % len(SAMPLE_CASES)]
        if count > len(SAMPLE_CASES):
            name = f"{name}（{index + 1}）"
        form = CaseForm(name=name, category=category, applicant=applicant, unit=unit, period="2023-05")
        cases.append(
            Case(
                id=index + 1,
                owner=f"u{index + 1}",
                unit=unit,
                state=CaseState.RECOMMENDED,
                rank=index + 1,
                form=form,
                created_at=SAMPLE_TIME,
                submitted_at=SAMPLE_TIME,
                updated_at=SAMPLE_TIME,
            )
        )
    return cases


def render_samples(out_dir: Path) -> list[Path]:
    """Write the sample .docx and .xlsx to ``out_dir``, convert them, return the page PNGs."""
    out_dir = Path(out_dir)
    campaign = sample_campaign()
    pictures = sample_pictures()
    form = build_form_docx(sample_form(pictures), campaign, pictures=[data for data, _ in pictures], on=SAMPLE_DATE)
    summary = build_summary_xlsx(campaign, sample_unit(campaign), sample_cases(4))
    sources = [out_dir / "sample-form.docx", out_dir / "sample-summary.xlsx"]
    for path, data in zip(sources, (form, summary), strict=False):
        write_atomic(path, data)
    with ThreadPoolExecutor(max_workers=2) as pool:  # each conversion has its own profile
        pdfs = list(pool.map(lambda src: convert_to_pdf(src, out_dir), sources))
    pages: list[Path] = []
    for pdf in pdfs:
        pages.extend(pdf_to_pngs(pdf, out_dir))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.render", description="生成推荐表、汇总表样张（PDF 与逐页 PNG）。"
    )
    parser.add_argument("out_dir", type=Path, help="输出文件夹")
    args = parser.parse_args(argv)
    for page in render_samples(args.out_dir):
        print(page)
    return 0


# ---------------------------------------------------------------- generated pictures


def _picture(image: Image.Image, kind: str, caption: str) -> tuple[bytes, PictureRef]:
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 85} if kind == "JPEG" else {"optimize": True}))
    data = buffer.getvalue()
    ref = PictureRef(
        sha256=hashlib.sha256(data).hexdigest(),
        mime="image/jpeg" if kind == "JPEG" else "image/png",
        width=image.width,
        height=image.height,
        size=len(data),
        caption=caption,
    )
    return data, ref


def _font(size: int) -> ImageFont.ImageFont:
    for place in _FONT_PLACES:
        if Path(place).is_file():
            return ImageFont.truetype(place, size)
    return ImageFont.load_default()


def _scene() -> Image.Image:
    """A lecture hall: a banner, a screen and an audience, in soft colours."""
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):  # a warm wall fading to the floor
        shade = 250 - y // 8
        draw.line([(0, y), (width, y)], fill=(shade, shade - 10, shade - 30))
    draw.rectangle([0, height // 2, width, height], fill=(184, 140, 100))
    draw.rectangle([200, 60, 1400, 150], fill=(190, 30, 45))
    draw.text((800, 105), "“e路同行”网络素养课堂", font=_font(56), fill="white", anchor="mm")
    draw.rectangle([450, 190, 1150, 520], fill=(40, 60, 90), outline=(20, 20, 20), width=6)
    draw.text((800, 300), "防范网络诈骗", font=_font(64), fill=(255, 230, 120), anchor="mm")
    draw.text((800, 400), "争做文明网民", font=_font(64), fill="white", anchor="mm")
    for row in range(4):
        for column in range(12):
            x = 110 + column * 125 + (row % 2) * 40
            y = 640 + row * 90
            draw.ellipse([x, y, x + 60, y + 60], fill=(60 + row * 20, 50, 40))
            draw.rectangle([x - 10, y + 55, x + 70, y + 120], fill=(50 + column * 12, 90, 150 - row * 20))
    return image


def _chart() -> Image.Image:
    """A bar chart of lectures per quarter, the kind of figure a 实施成效 section shows."""
    width, height = 1200, 900
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((600, 60), "网络文明宣讲活动场次（按季度）", font=_font(44), fill="black", anchor="mm")
    values = (32, 58, 71, 86, 94, 105, 112, 122)
    left, bottom, top = 120, 780, 150
    draw.line([(left, top), (left, bottom), (width - 60, bottom)], fill="black", width=3)
    step = (width - 60 - left) // len(values)
    label_font = _font(28)
    for index, value in enumerate(values):
        x = left + 20 + index * step
        bar_top = bottom - int((bottom - top - 40) * value / max(values))
        draw.rectangle([x, bar_top, x + step - 40, bottom], fill=(190, 30, 45))
        draw.text((x + (step - 40) // 2, bar_top - 24), str(value), font=label_font, fill="black", anchor="mm")
        year, quarter = 2022 + index // 4, index % 4 + 1
        draw.text(
            (x + (step - 40) // 2, bottom + 40), f"{year % 100}年Q{quarter}", font=label_font, fill="black", anchor="mm"
        )
    return image


if __name__ == "__main__":
    sys.exit(main())
