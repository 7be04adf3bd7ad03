"""`publisher check`: each finding code fires on an edition broken on purpose, and a good build has none.

Real tools throughout: the editions are built by WeasyPrint and ebooklib, the
broken ones rewritten with zipfile and pikepdf, and every EPUB goes through
the real epubcheck. The reports are made once per module (epubcheck starts a
JVM), several at a time.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from publisher.build import BuildOptions, build
from publisher.check.editions import check_editions
from publisher.check.findings import RULES, CheckReport, EditionReport
from publisher.check.lint import lint_pdf
from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.print.print_options import PrintOptions
from tests.conftest import SEED_FRONT_YAML, SEED_ISSUE, SEED_PAGE, copy_sample

ARCHIVAL = BuildOptions(json=False, print=PrintOptions(variant="pdf/a-3u", attach_sources=True))


def rewrite_epub(source: Path, target: Path, edit: Callable[[str, bytes], bytes], extra: dict[str, bytes]) -> Path:
    """A copy of an EPUB with entries edited and added; ``mimetype`` stays first and stored."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(info.filename, data, compress_type=kind)
        for name, data in extra.items():
            zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def hostile_edit(name: str, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    if name.endswith(".opf"):
        text = re.sub(r'\s*<meta property="(schema:access[^"]*|dcterms:conformsTo)">[^<]*</meta>', "", text)
    elif name.endswith("nav.xhtml"):
        text = re.sub(r'<nav epub:type="page-list".*?</nav>', "", text, flags=re.S)
    elif name.endswith("p01.xhtml"):
        text = text.replace(
            "</body>",
            '<script>alert(1)</script><p onclick="steal()">x</p><a href="javascript:alert(1)">y</a>'
            '<img src="https://tracker.example.com/pixel.png" alt=""/></body>',
        )
    elif name.endswith("epub.css"):
        text = '@import url("https://fonts.example.com/x.css");\n' + text
    else:
        return data
    return text.encode("utf-8")


def bloated_edit(name: str, data: bytes) -> bytes:
    if name.endswith("nav.xhtml"):
        text = data.decode("utf-8")
        text = re.sub(r'(<nav epub:type="page-list"[^>]*>\s*<ol>).*?(</ol>)', r"\1<li><span>—</span></li>\2", text,
                      flags=re.S)
        return text.encode("utf-8")
    if name.endswith("serif-400.otf"):
        return data + bytes(2 * 1024 * 1024)
    if name.endswith(".opf"):
        data = data.replace(b"<dc:date>2022-11-28</dc:date>", b"<dc:date>28/11/2022</dc:date>")  # OPF-053, a warning
        return data.replace(b"<dc:language>zh-Hans</dc:language>", b"<dc:language>zh-Hant</dc:language>")
    return data


def typography_pdf(target: Path) -> Path:
    """A PDF whose lines break where clreq forbids and end ragged (forced breaks, real WeasyPrint)."""
    ragged = ["一二三四五六七八九十", "一二三四五", "一二三四五六七八九十", "一二三四五六"] * 6  # 24 lines, half short
    lines = ["一二三四五六七八九十"] * 3 + ["。开头的一行不可以", "一二三四五六七八九十", "结尾是开括号（", *ragged, "末行。"]
    html = ('<html lang="zh-Hans"><body style="font-family: \'Noto Serif CJK SC\'; font-size: 12pt">'
            f'<p style="margin: 0">{"<br>".join(lines)}</p></body></html>')
    HTML(string=html).write_pdf(target)
    return target


def loose_pdf(target: Path) -> Path:
    """A PDF of 25 flush lines with 0.2 em between their characters, as a loose justification leaves them."""
    lines = "".join('<div style="letter-spacing: 0.2em">甲乙丙丁戊己庚辛壬癸</div>' for _ in range(25))
    html = ('<html lang="zh-Hans"><body style="font-family: \'Noto Serif CJK SC\'; font-size: 12pt">'
            f'{lines}<div>末行。</div></body></html>')
    HTML(string=html).write_pdf(target)
    return target


def pdfa_without_basics(source: Path, target: Path) -> Path:
    """PDF/A-3u without output intent and document ID, with an XMP stream of the wrong subtype, an
    attachment without AFRelationship."""
    with pikepdf.open(source) as pdf:
        del pdf.Root.OutputIntents
        pdf.Root.Metadata.Subtype = pikepdf.Name.Text
        for spec in pdf.attachments.values():
            del spec.obj.AFRelationship
        # fix_metadata_version would rewrite the XMP stream (and undo the change).
        pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable, fix_metadata_version=False)
    data = target.read_bytes()
    # qpdf always writes a trailer /ID; rename the key in place (same length, offsets unchanged).
    data = re.sub(rb"/ID\s*\[", lambda m: b"/XD" + m.group(0)[3:], data)
    target.write_bytes(data)
    return target


def fonts_broken(source: Path, target: Path) -> Path:
    """The first font loses its ToUnicode map, the second its embedded font file."""
    with pikepdf.open(source) as pdf:
        fonts = list(pdf.pages[0].Resources.Font.values())
        del fonts[0].ToUnicode
        descriptor = fonts[1].DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        pdf.save(target)
    return target


def encrypted_2u_with_attachment(source: Path, target: Path) -> Path:
    with pikepdf.open(source) as pdf:
        meta_xmp = pdf.Root.Metadata.read_bytes().replace(b"<pdfaid:part>3</pdfaid:part>", b"<pdfaid:part>2</pdfaid:part>")
        meta_xmp = meta_xmp.replace(b'pdfaid:part="3"', b'pdfaid:part="2"')
        pdf.Root.Metadata.write(meta_xmp)
        pdf.save(target, encryption=pikepdf.Encryption(owner="secret", user="", metadata=False))
    return target


def changed_issue(root: Path) -> Path:
    """The seed issue with one character of a paragraph changed (会议以视频会议形式召开 -> 电话会议)."""
    copy_sample(root)
    (root / "a1.txt").write_text(SEED_PAGE.read_text(encoding="utf-8").replace("会议以视频会议形式召开", "会议以电话会议形式召开"),
                                 encoding="utf-8")
    return root / "issue.yaml"


class Reports:
    def __init__(self, root: Path) -> None:
        self.root = root
        out = root / "built"
        built = build(SEED_ISSUE, out, ARCHIVAL)
        self.pdf = next(p for p in built if p.suffix == ".pdf")
        self.epub = next(p for p in built if p.suffix == ".epub")
        self.changed = load_issue(changed_issue(root / "changed"))
        seed = load_issue(SEED_ISSUE)
        not_zip = root / "not-a-book.epub"
        not_zip.write_bytes(b"PK but not really")
        not_pdf = root / "not-a-pdf.pdf"
        not_pdf.write_bytes(b"%PDF-1.7\nthis is no PDF")
        jobs = {
            "good": lambda: check_editions([self.pdf, self.epub], seed),
            "hostile": lambda: check_editions(
                [rewrite_epub(self.epub, root / "hostile.epub", hostile_edit, {})], self.changed),
            "bloated": lambda: check_editions(
                [rewrite_epub(self.epub, root / "bloated.epub", bloated_edit, {})], seed),
            "unreadable": lambda: check_editions([not_zip, not_pdf]),
            "typography": lambda: check_editions([typography_pdf(root / "typography.pdf")]),
            "loose": lambda: check_editions([loose_pdf(root / "loose.pdf")]),
            "pdfa": lambda: check_editions([pdfa_without_basics(self.pdf, root / "pdfa.pdf")]),
            "fonts": lambda: check_editions([fonts_broken(self.pdf, root / "fonts.pdf")]),
            "encrypted": lambda: check_editions([encrypted_2u_with_attachment(self.pdf, root / "encrypted.pdf")]),
            "changed": lambda: check_editions([self.pdf], self.changed),
        }
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            self.by_name: dict[str, CheckReport] = {name: future.result() for name, future in futures.items()}

    def codes(self, name: str) -> set[str]:
        return {f.code for f in self.by_name[name].findings}

    def edition(self, name: str, index: int = 0) -> EditionReport:
        return self.by_name[name].editions[index]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return Reports(tmp_path_factory.mktemp("check"))


# --- a good build ----------------------------------------------------------


def test_a_good_archival_build_has_no_findings(reports: Reports) -> None:
    report = reports.by_name["good"]
    assert report.findings == [], report.to_text()
    assert report.passed
    pdf, epub = report.editions
    assert pdf.metrics["pdfa"] == "3U"
    assert pdf.metrics["prohibited_starts"] == 0 and pdf.metrics["prohibited_ends"] == 0
    assert isinstance(pdf.metrics["flush_share"], float) and pdf.metrics["flush_share"] >= 0.98
    assert epub.metrics["epubcheck_errors"] == 0 and epub.metrics["epubcheck_warnings"] == 0
    assert epub.metrics["page_list"] == 2  # A1 and A2


# --- EPUB codes ------------------------------------------------------------


def test_epub001_not_a_zip(reports: Reports) -> None:
    [finding] = reports.edition("unreadable", 0).findings
    assert finding.code == "EPUB001" and finding.severity == "error"
    assert "not a zip" in finding.message


def test_epub002_epubcheck_errors(reports: Reports) -> None:
    assert "EPUB002" in reports.codes("hostile")
    assert reports.edition("hostile").metrics["epubcheck_errors"] != 0


def test_epub003_epubcheck_warnings_are_counted(reports: Reports) -> None:
    edition = reports.edition("bloated")
    warnings = [f for f in edition.findings if f.code == "EPUB003"]
    assert warnings and all(f.severity == "warning" for f in warnings)
    assert any("OPF-053" in f.message for f in warnings)
    assert edition.metrics["epubcheck_warnings"] == len(warnings)


def test_epub004_each_missing_accessibility_property(reports: Reports) -> None:
    messages = [f.message for f in reports.edition("hostile").findings if f.code == "EPUB004"]
    assert len(messages) == 6
    for prop in ("schema:accessMode\"", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard",
                 "accessibilitySummary", "dcterms:conformsTo"):
        assert any(prop in m for m in messages), prop


def test_epub005_no_page_list(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("hostile").findings if f.code == "EPUB005"]
    assert finding.location == "EPUB/text/nav.xhtml"


def test_epub006_empty_page_list(reports: Reports) -> None:
    assert "EPUB006" in reports.codes("bloated")
    assert reports.edition("bloated").metrics["page_list"] == 0


def test_epub007_font_over_2_mb(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("bloated").findings if f.code == "EPUB007"]
    assert finding.location == "EPUB/fonts/serif-400.otf"


def test_epub008_script(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("hostile").findings if f.code == "EPUB008"]
    assert finding.location and finding.location.startswith("EPUB/text/p01.xhtml:")


def test_epub009_event_handler(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("hostile").findings if f.code == "EPUB009"]
    assert "onclick" in finding.message


def test_epub010_javascript_url(reports: Reports) -> None:
    assert "EPUB010" in reports.codes("hostile")


def test_epub011_remote_resources_in_markup_and_css(reports: Reports) -> None:
    where = {f.location.split(":")[0] for f in reports.edition("hostile").findings if f.code == "EPUB011" and f.location}
    assert where == {"EPUB/text/p01.xhtml", "EPUB/css/epub.css"}


def test_epub012_source_paragraph_missing(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("hostile").findings if f.code == "EPUB012"]
    assert finding.location and re.search(r"a1\.txt:\d+$", finding.location)
    assert finding.message.endswith("it differs after 「会议以」")  # the last characters that still matched


def test_epub013_converted_edition_skips_fidelity(reports: Reports) -> None:
    codes = reports.codes("bloated")
    assert "EPUB013" in codes and "EPUB012" not in codes


# --- PDF codes -------------------------------------------------------------


def test_pdf001_not_a_pdf(reports: Reports) -> None:
    [finding] = reports.edition("unreadable", 1).findings
    assert finding.code == "PDF001"


def test_pdf002_font_not_embedded(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("fonts").findings if f.code == "PDF002"]
    assert finding.location == "page 1"


def test_pdf003_font_without_tounicode(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("fonts").findings if f.code == "PDF003"]
    assert "Noto" in finding.message


def test_pdf004_no_pdfa_claim_is_information(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("typography").findings if f.code == "PDF004"]
    assert finding.severity == "info"


def test_pdf005_to_007_and_009_pdfa_basics(reports: Reports) -> None:
    codes = reports.codes("pdfa")
    assert {"PDF005", "PDF006", "PDF007", "PDF009"} <= codes
    assert reports.edition("pdfa").metrics["pdfa"] == "3U"


def test_pdf008_and_010_pdfa2_with_attachment_encrypted(reports: Reports) -> None:
    assert {"PDF008", "PDF010"} <= reports.codes("encrypted")
    assert reports.edition("encrypted").metrics["pdfa"] == "2U"


def test_pdf011_prohibited_line_start(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("typography").findings if f.code == "PDF011"]
    assert "“。”" in finding.message and finding.location == "page 1"


def test_pdf012_prohibited_line_end(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("typography").findings if f.code == "PDF012"]
    assert "“（”" in finding.message


def test_pdf013_justified_lines_not_flush(reports: Reports) -> None:
    edition = reports.edition("typography")
    assert "PDF013" in reports.codes("typography")
    assert isinstance(edition.metrics["flush_share"], float) and edition.metrics["flush_share"] < 0.98


def test_pdf015_justified_lines_loose(reports: Reports) -> None:
    edition = reports.edition("loose")
    [finding] = [f for f in edition.findings if f.code == "PDF015"]
    assert finding.severity == "warning" and finding.location == "page 1"
    assert re.search(r"loosest 0\.(199|200) em", finding.message) and "甲乙丙丁" in finding.message
    assert edition.metrics["looseness_p95"] == pytest.approx(0.2, abs=0.002)
    assert edition.metrics["loose_share"] == 1.0
    assert "PDF013" not in reports.codes("loose")  # flush, only loose


def test_pdf015_the_sample_is_even_grey(reports: Reports) -> None:
    pdf = reports.edition("good")
    assert isinstance(pdf.metrics["looseness_p95"], float) and pdf.metrics["looseness_p95"] <= 0.03
    assert isinstance(pdf.metrics["looseness_max"], float) and pdf.metrics["looseness_max"] <= 0.25
    assert pdf.metrics["loose_share"] == 0.0


def test_pdf014_source_paragraph_missing(reports: Reports) -> None:
    [finding] = [f for f in reports.edition("changed").findings if f.code == "PDF014"]
    assert finding.location and re.search(r"a1\.txt:\d+$", finding.location)


def test_every_code_has_a_test_here() -> None:
    # The archive's codes (ARC, ALTO) are tested beside the archive files they check, the codes of books and
    # files from elsewhere (unsafe entries, external declarations) beside the other hostile files.
    source = "".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                     for name in (Path(__file__).name, "test_mets_alto.py", "test_untrusted_check.py"))
    assert [code for code in RULES if f'"{code}"' not in source and f"error {code}" not in source] == []


# --- pictures ----------------------------------------------------------------


@pytest.mark.parametrize(("pixels", "code"), [((500, 375), None), ((380, 285), "PDF016"), ((150, 112), "PDF017")])
def test_check_reports_the_resolution_pictures_print_at(pixels: tuple[int, int], code: str | None,
                                                        tmp_path: Path) -> None:
    from publisher.check.pdf_audit import audit_pdf
    from tests.integration.test_print_pictures import page_with_picture
    from tests.pictures_helpers import encoded, quadrants

    path, _ = page_with_picture(encoded(quadrants(*pixels), "JPEG"), tmp_path, (144.0, 108.0))  # 2 inches wide
    report = audit_pdf(path, "picture.pdf")  # 250, 190 and 75 ppi
    codes = {finding.code for finding in report.findings} & {"PDF016", "PDF017"}
    assert codes == ({code} if code else set())
    assert report.metrics["pictures"] == 1
    assert report.metrics["lowest_ppi"] == round(pixels[0] / 2)


# --- the command line ------------------------------------------------------


def test_check_command_text_and_json(reports: Reports) -> None:
    out = io.StringIO()
    code = main(["check", str(reports.root / "typography.pdf"), "--json"], stdout=out)
    assert code == 1
    data = json.loads(out.getvalue())
    assert data["passed"] is False and data["counts"]["error"] >= 3
    finding = data["editions"][0]["findings"][0]
    assert set(finding) == {"code", "severity", "message", "file", "location", "hint"}
    out = io.StringIO()
    assert main(["check", str(reports.root / "typography.pdf")], stdout=out) == 1
    assert "error PDF011" in out.getvalue() and "hint:" in out.getvalue() and "FAILED" in out.getvalue()


def test_check_command_bad_input(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    err, out = io.StringIO(), io.StringIO()
    code = main(["check", str(tmp_path / "gone.pdf"), str(tmp_path / "notes.txt")], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue().splitlines() == [
        f"{tmp_path / 'gone.pdf'}: edition not found",
        f"{tmp_path / 'notes.txt'}: not an edition: expected a .pdf or .epub file, or the METS document (.xml) of a package",
    ]
    assert out.getvalue() == ""


def test_check_command_bad_issue(tmp_path: Path, reports: Reports) -> None:
    (tmp_path / "issue.yaml").write_text("paper: 晚报\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["check", str(reports.pdf), "--issue", str(tmp_path / "issue.yaml")], stderr=err) == 2
    assert "issue.yaml:1: missing required key `date`" in err.getvalue()


@pytest.mark.slow
def test_build_check_reports_after_building(tmp_path: Path) -> None:
    out = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path), "--check", "--pdf-variant", "pdf/a-2u"], stdout=out)
    text = out.getvalue()
    assert code == 0, text
    assert "2 editions checked: 0 errors, 0 warnings, 0 infos — passed" in text


def test_a_page_of_headlines_and_one_short_paragraph_checks_clean(tmp_path: Path) -> None:
    # The sheet's most common face is the headlines' and its few body lines all
    # start indented: neither may pass for ragged justified text.
    (tmp_path / "a1.txt").write_text("# 只有标题\n\n# 第二篇\n\n## 小标题\n\n# 第三篇\n\n正文一段。\n\n（记者 张三）\n",
                                     encoding="utf-8")
    issue = tmp_path / "issue.yaml"
    issue.write_text(SEED_FRONT_YAML, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(issue), "--out", str(tmp_path / "out"), "--check"], stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "PDF013" not in out.getvalue()
    [pdf] = (tmp_path / "out").glob("*.pdf")
    # Told the body face, the lint takes the paragraph's line for the body, not the masthead's sans
    # lines nor the byline (the parser reads （记者 张三） on its own line as the byline).
    assert lint_pdf(pdf, body_family="Noto Serif CJK SC").body_lines == 1
    assert lint_pdf(pdf).body_lines > 2
