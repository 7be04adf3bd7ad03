"""The print edition with the real WeasyPrint, fonts and poppler: structure, text layer, safety."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfminer.high_level import extract_text

from publisher.build import BuildOptions, build
from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.print.print_options import PrintOptions
from tests.conftest import SEED_ISSUE, SEED_PAGE

Make = Callable[..., Path]
PDF_ONLY = BuildOptions(json=False, pdf=True, epub=False)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: Path) -> str:
    """The text layer in the order it is drawn (``-raw``), the order ``publisher check`` reads."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    [pdf] = build(SEED_ISSUE, tmp_path_factory.mktemp("pdf"), PDF_ONLY)
    return pdf


def issue_with_page(make_issue: Make, page: str, extra: str = "") -> Path:
    return make_issue(
        f"paper: 测试晚报\ndate: 2024-02-29\nissue: 007\n{extra}pages:\n  - {{number: A1, section: 要闻, file: a1.txt}}\n",
        {"a1.txt": page},
    )


def stream_order(pdf: Path) -> list[str]:
    """The text layer as drawn, by poppler and by pdfminer, without their layout analysis.

    On a page made up as a mosaic, a layout analysis that guesses columns from
    glyph positions can run a column of one block on into the block under it;
    the content stream holds the text in reading order.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    raw = pdftotext(pdf)
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)  # no analysis: the characters in the order drawn
    interpreter = PDFPageInterpreter(manager, device)
    drawn = []
    with pdf.open("rb") as stream:
        for page in PDFPage.get_pages(stream):
            interpreter.process_page(page)
            drawn += [item.get_text() for item in device.get_result() if isinstance(item, LTChar)]
    return [raw, "".join(drawn)]


def test_every_paragraph_is_one_run_in_the_text_layer(seed_pdf: Path) -> None:
    issue = load_issue(SEED_ISSUE)
    for extracted in map(squeeze, stream_order(seed_pdf)):
        for article in issue.pages[0].articles:
            for text in article.texts():
                assert squeeze(text.value) in extracted, text.value[:20]


def test_text_layer_has_no_garbage(seed_pdf: Path) -> None:
    for extracted in (pdftotext(seed_pdf), extract_text(seed_pdf)):
        assert "(cid:" not in extracted
        assert not any(0xE000 <= ord(c) <= 0xF8FF for c in extracted)
        assert "\ufffd" not in extracted


def test_source_characters_all_reach_the_pdf(seed_pdf: Path) -> None:
    """Every non-markup character of the page file, after normalisation, is in the text layer in order."""
    from publisher.typeset.punctuation import normalise

    source = normalise(re.sub(r"[#*\s]", "", SEED_PAGE.read_text(encoding="utf-8"))).value
    extracted = squeeze(pdftotext(seed_pdf))
    position = 0
    for char in source:
        position = extracted.find(char, position)
        assert position >= 0, char
        position += 1


def test_fonts_are_embedded_with_tounicode(seed_pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        columns = row.split()
        emb, sub, uni = columns[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert "Noto-Serif-CJK-SC" in out and "Noto-Sans-CJK-SC" in out


def test_page_labels_outline_and_metadata(seed_pdf: Path) -> None:
    with pikepdf.open(seed_pdf) as pdf:
        assert len(pdf.pages) == 2
        labels = pdf.Root.PageLabels.Nums
        assert [str(labels[1].P), str(labels[3].P)] == ["A1", "A2"]
        assert str(pdf.Root.Lang) == "zh-Hans"
        with pdf.open_outline() as outline:
            page, photos = outline.root
            assert photos.title == "A2 城事"
            assert page.title == "A1 要闻"
            assert [c.title for c in page.children] == [
                "从快从严从紧 压紧压实责任 坚决遏制疫情反弹反复",
                "以最大决心最强力度 打好疫情防控阻击战",
                "以快制快 以变应变 坚决遏制疫情扩散蔓延",
                "一着不让防风险 全力以赴保安全",
            ]
        info = pdf.docinfo
        assert str(info.Title) == "江海晚报 2022-11-28"
        assert str(info.Author) == "南通日报社"
        assert str(info.CreationDate).startswith("D:20221128")


def test_masthead_and_page_header(seed_pdf: Path) -> None:
    # White space squeezed: pdftotext reads the CJK–Latin space (a quarter-em
    # gap, no character; tests/integration/test_autospace.py) as a space.
    text = squeeze(pdftotext(seed_pdf))
    for expected in ("江海晚报", "2022年11月28日", "星期一", "农历壬寅年十一月初五", "第0123期", "要闻", "A1"):
        assert expected in text


def test_same_input_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [first] = build(SEED_ISSUE, tmp_path / "a", PDF_ONLY)
    [second] = build(SEED_ISSUE, tmp_path / "b", PDF_ONLY)
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114")
    assert not list((tmp_path / "a").glob(".*part"))


def test_pdfa3_claims_conformance_and_carries_the_sources(tmp_path: Path) -> None:
    options = BuildOptions(json=False, pdf=True, epub=False,
                           print=PrintOptions(variant="pdf/a-3u", attach_sources=True))
    [pdf_path] = build(SEED_ISSUE, tmp_path, options)
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "3U"
        assert len(pdf.Root.OutputIntents) == 1
        assert pdf.trailer.ID
        names = set(pdf.attachments)
        assert names == {"issue.yaml", "a1.txt", "a2.txt", "ads/coffee-festival.png", "photos/chelsea.png",
                         "photos/coffee.png", "photos/hubble_deep_field.jpg", "photos/rocket.jpg"}
        assert pdf.attachments["a1.txt"].get_file().read_bytes() == SEED_PAGE.read_bytes()


def test_pdfa2u_has_no_attachments_and_claims_2u(tmp_path: Path) -> None:
    options = BuildOptions(json=False, pdf=True, epub=False, print=PrintOptions(variant="pdf/a-2u"))
    [pdf_path] = build(SEED_ISSUE, tmp_path, options)
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.open_metadata().pdfa_status == "2U"
        assert not pdf.attachments


def test_markup_in_the_text_prints_literally(make_issue: Make, tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> <img src="file:///etc/passwd"> {{ 7*7 }} {% raw %}'
    path = issue_with_page(make_issue, f"# 标题<b>粗</b>\n\n**晚报讯** 正文{hostile}结束。\n")
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    text = squeeze(pdftotext(pdf_path))
    assert squeeze(f"正文{hostile}结束。") in text
    assert "标题<b>粗</b>" in text
    with pikepdf.open(pdf_path) as pdf:
        assert not pdf.attachments
        for page in pdf.pages:
            assert not list(page.get_images())


def test_a_long_page_runs_over_onto_sheets_of_their_own_labels(make_issue: Make, tmp_path: Path) -> None:
    page = SEED_PAGE.read_text(encoding="utf-8") * 2
    path = issue_with_page(make_issue, page)
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    with pikepdf.open(pdf_path) as pdf:
        count = len(pdf.pages)
        labels = [str(pdf.Root.PageLabels.Nums[i].P) for i in range(1, 2 * count, 2)]
    assert count >= 2
    # Each sheet its own label (the layout's wording); it used to repeat the page's, with 转下页/接上页 in the
    # margins of every sheet whether a story went on or not.
    assert labels == ["A1", "A1续"] + [f"A1续{n}" for n in range(2, count)]
    text = re.sub(r"\s+", "", pdftotext(pdf_path))
    assert "转下页" not in text and "接上页" not in text
    for to in re.findall(r"（下转(\S+?)版）", text):  # a story that breaks names the sheet that answers it
        assert to in labels and f"（上接{labels[labels.index(to) - 1]}版）" in text


def test_page_sizes(make_issue: Make, tmp_path: Path) -> None:
    path = issue_with_page(make_issue, "# 标题\n\n正文。\n", "page_size: broadsheet\n")
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    with pikepdf.open(pdf_path) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert box[2] == pytest.approx(381 / 25.4 * 72, abs=0.1)
    assert box[3] == pytest.approx(578 / 25.4 * 72, abs=0.1)


def test_a_layout_folder_overrides_templates_by_name(make_issue: Make, tmp_path: Path) -> None:
    layout = tmp_path / "mylayout" / "print"
    layout.mkdir(parents=True)
    (layout / "masthead.html").write_text('<header class="masthead"><div class="mh-name">{{ issue.paper }}·特刊</div></header>\n',
                                          encoding="utf-8")
    (layout / "layout.toml").write_text("[type]\nbody = 10.0\n", encoding="utf-8")
    path = issue_with_page(make_issue, "# 标题\n\n正文。\n", "layout: mylayout\n")
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    assert "测试晚报·特刊" in pdftotext(pdf_path)


def test_a_layout_cannot_read_files_outside_it(make_issue: Make, tmp_path: Path) -> None:
    layout = tmp_path / "evil" / "print"
    layout.mkdir(parents=True)
    (layout / "masthead.html").write_text('<img src="file:///etc/hostname"><link rel="stylesheet" href="http://example.com/x.css">\n',
                                          encoding="utf-8")
    path = issue_with_page(make_issue, "# 标题\n\n正文。\n", "layout: evil\n")
    err = __import__("io").StringIO()
    code = main(["build", str(path), "--out", str(tmp_path / "out"), "--pdf"], stderr=err)
    assert code == 2
    assert "outside its folder" in err.getvalue()
    assert not (tmp_path / "out" / "测试晚报-2024-02-29.pdf").exists()


def test_extension_a_renders(make_issue: Make, tmp_path: Path) -> None:
    path = issue_with_page(make_issue, "# 标题\n\n**晚报讯** 刘䶮建立南汉。\n")
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    assert "刘䶮建立南汉。" in squeeze(pdftotext(pdf_path))


def test_a_character_no_font_has_is_an_error(make_issue: Make, tmp_path: Path) -> None:
    path = issue_with_page(make_issue, "# 标题\n\n正文\U000f0001。\n")
    err = __import__("io").StringIO()
    assert main(["build", str(path), "--out", str(tmp_path / "out")], stderr=err) == 2
    message = err.getvalue()
    assert "a1.txt:3" in message and "U+F0001" in message
    assert not (tmp_path / "out").exists()


def test_bad_print_options_are_reported(tmp_path: Path) -> None:
    err = __import__("io").StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path), "--pdf-variant", "pdf/z", "--bleed", "huge"],
                stderr=err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2 and "unknown PDF variant 'pdf/z'" in lines[0] and "bleed 'huge'" in lines[1]


def test_bleed_and_crop_marks_enlarge_the_sheet(tmp_path: Path) -> None:
    options = BuildOptions(json=False, pdf=True, epub=False, print=PrintOptions(bleed="3mm", marks=True))
    [pdf_path] = build(SEED_ISSUE, tmp_path, options)
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.TrimBox]
    assert media[2] - media[0] > trim[2] - trim[0]


def test_preview_writes_png_pages(tmp_path: Path) -> None:
    out = __import__("io").StringIO()
    assert main(["preview", str(SEED_ISSUE), "--out", str(tmp_path), "--dpi", "20"], stdout=out) == 0
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == 2  # a sheet each: A1, and A2 with its photographs
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def lint(pdf: Path, issue_path: Path):  # type: ignore[no-untyped-def]
    from publisher.check.lint import lint_pdf
    from publisher.typeset.geometry import load_geometry

    issue = load_issue(issue_path)
    return lint_pdf(pdf, column_width_pt=load_geometry(issue.page_size, issue.layout).column_width)


def test_typography_lint_on_the_seed(seed_pdf: Path) -> None:
    report = lint(seed_pdf, SEED_ISSUE)
    assert report.prohibited_starts == 0
    assert report.prohibited_ends == 0
    assert report.justified > 150
    assert report.flush_share >= 0.98, [f for f in report.findings if f.code == "PDF013"][:5]


OTHER_PAGE = """\
市民热议城市更新

# 老街换新颜 烟火气更浓
## ——我市推进老旧街区改造见闻

**晚报讯** 11月27日上午10:30,记者来到崇川区的一条老街。改造后的街道宽敞整洁,沿街店铺生意兴隆。据统计,今年1—10月全市共完成老旧小区改造126个,惠及居民3.2万户,完成率达到105.6%,同比增长5.2%。居民王阿姨说:"现在出门就能买到新鲜蔬菜,还有免费的WiFi和共享单车,生活方便多了!"

**相关链接**

据了解,此次改造采用"微更新"模式(即小规模、渐进式改造),注重保留街区历史风貌。项目总投资约2.8亿元,其中中央补助资金6000万元。改造内容包括雨污分流、管线入地、立面整治等12类;其中,雨污分流工程已全部完工。

在改造过程中,街道还邀请了同济大学(Tongji University)的专家团队参与设计……居民们纷纷点赞——"这才是我们想要的家!" 刘䶮等老居民还自发组织了志愿服务队,每周六上午9:00至11:00在街区巡逻。

下一步,我市将继续推进城市更新行动,计划到2025年底前完成全部老旧小区改造任
务,让更多居民享受到改造带来的实惠。 记者 周 敏 通讯员 陈晓东

短讯两则

# 市图书馆延长开放时间

**晚报讯** 从12月1日起,市图书馆每周一至周五开放时间延长至21:00,方便市民下班后借阅。图书馆新增电子阅览座位200个,提供《人民日报》《新华日报》等报刊的数字版。 实习生李小燕
"""


def test_another_page_of_the_paper_sets_cleanly(make_issue: Make, tmp_path: Path) -> None:
    path = issue_with_page(make_issue, OTHER_PAGE)
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    report = lint(pdf_path, path)
    assert report.prohibited_starts == 0 and report.prohibited_ends == 0
    assert report.flush_share >= 0.98, [f for f in report.findings if f.code == "PDF013"][:5]
    extracted = squeeze(pdftotext(pdf_path))
    for article in load_issue(path).pages[0].articles:
        for text in article.texts():
            assert squeeze(text.value) in extracted, text.value[:20]


def test_no_faked_bold_for_characters_the_bold_face_lacks(make_issue: Make, tmp_path: Path) -> None:
    # 𠀁 (Extension B) is only in HanaMinB, which has no bold: in the bold
    # headline and dateline it must be set regular, not smeared into a fake bold.
    path = issue_with_page(make_issue, "# 标题𠀁字\n\n## 副题\n\n**晚报讯𠀁** 正文𠀁内容。\n\n**小标题𠀁**\n\n再一段。\n")
    [pdf_path] = build(path, tmp_path / "out", PDF_ONLY)
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert "HanaMinB" in fonts
    assert not [row for row in fonts.splitlines() if "HanaMin" in row and "Bold" in row]
    assert "标题𠀁字" in squeeze(pdftotext(pdf_path))


def test_pdfua_tags_every_text_of_the_placed_columns(tmp_path: Path) -> None:
    options = BuildOptions(json=False, pdf=True, epub=False, print=PrintOptions(variant="pdf/ua-1"))
    [pdf_path] = build(SEED_ISSUE, tmp_path, options)
    with pikepdf.open(pdf_path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        shown_on: list[int] = []
        for page in pdf.pages:
            open_tags: list[str] = []
            shown = 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    open_tags.append(str(operands[0]))
                elif name == "EMC":
                    open_tags.pop()
                elif name in ("Tj", "TJ", "'", '"'):
                    shown += 1
                    assert open_tags and "/Artifact" not in open_tags  # body text is tagged content
            shown_on.append(shown)
        # The front page is dense; A2, a page of photographs, holds less text.
        assert shown_on[0] > 100 and len(shown_on) == 2 and shown_on[1] > 30


LONG_URL = "https://www.example.cn/news/2022/11/28/covid-prevention-and-control-measures-for-the-city?from=evening&page=1"


def test_a_url_longer_than_the_column_breaks_inside_it_instead_of_overprinting(make_issue: Make,
                                                                               tmp_path: Path) -> None:
    """Issue 11: the run breaks after / . - ? & = and stays in its column; every character is printed."""
    from pdfminer.high_level import extract_pages

    from publisher.check.pdf_audit import text_layer

    body = "详情请登录" + LONG_URL + "查询。市民也可拨打热线电话咨询相关政策，工作人员将耐心解答。"
    page = "# 标题\n\n" + "\n\n".join([body] * 6) + "\n"
    issue = issue_with_page(make_issue, page)
    [pdf] = build(issue, tmp_path / "out", PDF_ONLY)
    # In stream order, as the check reads it (pdftotext's default mode would take a line-end "-" for a hyphen).
    assert LONG_URL in squeeze(text_layer(pdf))
    with pikepdf.open(pdf) as opened:
        width = float(opened.pages[0].mediabox[2])
    rows: dict[float, list[Any]] = {}
    for layout in extract_pages(pdf):
        for c in _all_chars(layout):
            if c.get_text().isascii():
                assert c.x0 > 0 and c.x1 < width - 30, c.get_text()  # not run off the sheet
                rows.setdefault(round(float(c.matrix[5]), 1), []).append(c)
    assert rows
    for row in rows.values():
        row.sort(key=lambda c: c.x0)
        for a, b in itertools.pairwise(row):
            assert b.x0 >= a.x1 - 1.5, (a.get_text(), b.get_text())  # a kerning pair at most, no overprint
    # The URL's lines end flush, as the breaker measured them (kerning pairs kept where a line of Latin only
    # is letter-spaced): `check` found 30 of 42 lines flush, 0.3-3 pt off, with and without --issue.
    for extra in ([], ["--issue", str(issue)]):
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", str(pdf), *extra], stdout=out, stderr=err) == 0, out.getvalue() + err.getvalue()
        assert "flush_share 1.0" in out.getvalue()


def _all_chars(obj: Any) -> Iterator[Any]:
    from pdfminer.layout import LTChar

    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _all_chars(child)
