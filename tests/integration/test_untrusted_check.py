"""`publisher check` on files from elsewhere (issue 24): it opens nothing a file under check names, never
reaches the network, never takes a traceback or an unbounded time, and its findings on our own editions
are true. Real editions throughout, rewritten with zipfile and pikepdf; every EPUB that is safe to give
it goes through the real epubcheck.
"""

from __future__ import annotations

import http.server
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from publisher.build import BuildOptions, build
from publisher.cli import main
from tests.conftest import ROOT, SEED_FRONT_YAML, SEED_PAGE


def check(*paths: Path, issue: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *map(str, paths), *(["--issue", str(issue)] if issue else [])], stdout=out, stderr=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def run_check(*args: str, timeout: float = 180, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`publisher check` in its own process, as a user runs it; a hang fails the test, not the suite."""
    return subprocess.run([*prefix, sys.executable, "-m", "publisher", "check", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                          check=False)


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's front page alone, as an issue of its own."""
    folder = tmp_path_factory.mktemp("front")
    shutil.copyfile(SEED_PAGE, folder / "a1.txt")
    (folder / "issue.yaml").write_text(SEED_FRONT_YAML, encoding="utf-8")
    return folder / "issue.yaml"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory, front: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("editions")
    written = build(front, folder, BuildOptions(json=False))
    return {path.suffix: path for path in written}


def rewrite(source: Path, target: Path, edit: Callable[[str, bytes], bytes | None] = lambda _n, d: d,
            extra: tuple[tuple[zipfile.ZipInfo | str, bytes], ...] = ()) -> Path:
    """A copy of an EPUB with its entries edited (None drops one) and entries added."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
        for entry, data in extra:
            zout.writestr(entry, data)
    return target


def declare(doctype: str, entity_use: str = "") -> Callable[[str, bytes], bytes]:
    """An edit putting ``doctype`` into the package document (and ``entity_use`` into its description)."""
    def edit(name: str, data: bytes) -> bytes:
        if not name.endswith(".opf"):
            return data
        head, rest = data.split(b"?>", 1)
        rest = rest.replace(b"<dc:description>", b"<dc:description>" + entity_use.encode(), 1)
        return head + b"?>\n" + doctype.encode() + rest
    return edit


# --- check reaches out to nothing ------------------------------------------------------------------------------


class _Server:
    """A local HTTP server that records every request made to it."""

    def __init__(self) -> None:
        requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the standard library's name
                requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.requests = requests
        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    serving = _Server()
    yield serving
    serving.close()


def hostile_books(epub: Path, folder: Path, port: int) -> dict[str, tuple[Path, Path]]:
    """EPUBs whose package document asks a parser to fetch, open, block on or expand something; with what."""
    secret = folder / "secret.txt"
    secret.write_text("not for the book\n", encoding="utf-8")
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    laughs = ('<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")
    books = {
        "external DTD": declare(f'<!DOCTYPE package SYSTEM "http://127.0.0.1:{port}/evil.dtd">'),
        "file entity": declare(f'<!DOCTYPE package [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
        "named pipe": declare(f'<!DOCTYPE package SYSTEM "file://{fifo}">'),
        "billion laughs": declare(laughs, "&j;"),
        "public DTD elsewhere": declare(f'<!DOCTYPE package PUBLIC "-//X//DTD x//EN" "http://127.0.0.1:{port}/x.dtd">'),
    }
    found = {name: (rewrite(epub, folder / f"{name.replace(' ', '-')}.epub", edit), secret if "file" in name
                    else fifo) for name, edit in books.items()}
    # The same declaration in UTF-16, which a byte search for "<!DOCTYPE" would miss.
    def utf16(name: str, data: bytes) -> bytes:
        if not name.endswith(".opf"):
            return data
        text = data.decode("utf-8").replace("<?xml version='1.0' encoding='utf-8'?>",
                                            '<?xml version="1.0" encoding="utf-16"?>\n'
                                            f'<!DOCTYPE package SYSTEM "http://127.0.0.1:{port}/u16.dtd">')
        return text.encode("utf-16")
    found["external DTD in UTF-16"] = (rewrite(epub, folder / "utf16.epub", utf16), fifo)
    return found


def test_check_fetches_opens_and_expands_nothing_a_hostile_epub_names(
        editions: dict[str, Path], tmp_path: Path, server: _Server) -> None:
    for name, (book, _named) in hostile_books(editions[".epub"], tmp_path, server.port).items():
        result = run_check(str(book), timeout=120)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert re.search(r"error EPUB015 .*content\.opf:\d+: .*not given to epubcheck", result.stdout), name
        assert "EPUB002" not in result.stdout  # epubcheck never saw it
    assert server.requests == []


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_strace_shows_no_connection_and_no_named_file_opened(
        editions: dict[str, Path], tmp_path: Path, server: _Server) -> None:
    """The whole check (Python, and epubcheck's Java for the book it does run) under strace."""
    books = hostile_books(editions[".epub"], tmp_path, server.port)
    trace = tmp_path / "trace"
    result = run_check(*(str(book) for book, _ in books.values()), str(editions[".epub"]), timeout=300,
                       prefix=("strace", "-f", "-qq", "-e", "trace=connect,openat,open", "-o", str(trace)))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1 edition" not in result.stdout and re.search(r"\(epub\): epubcheck", result.stdout)  # the good one ran
    calls = trace.read_text(encoding="utf-8", errors="replace")
    assert "openat(" in calls  # the trace is real
    assert f"htons({server.port})" not in calls
    assert not re.search(r"connect\(\d+, \{sa_family=AF_INET6?,", calls)  # no network connection at all
    for _, named in books.values():
        assert str(named) not in calls
    assert server.requests == []


def test_unsafe_zip_entries_are_findings(editions: dict[str, Path], tmp_path: Path) -> None:
    link = zipfile.ZipInfo("EPUB/images/link.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    book = rewrite(editions[".epub"], tmp_path / "unsafe.epub",
                   extra=(("../../outside.txt", b"x"), ("/etc/cron.d/job", b"x"), ("C:/Windows/x.dll", b"x"),
                          ("EPUB/a/../../../up.txt", b"x"), (link, b"/etc/passwd")))
    code, out, _ = check(book)
    assert code == 1
    found = re.findall(r"error EPUB014 \S+ (\S+): (.*)", out)
    assert {entry for entry, _ in found} == {"../../outside.txt", "/etc/cron.d/job", "C:/Windows/x.dll",
                                             "EPUB/a/../../../up.txt", "EPUB/images/link.png"}
    assert any("symbolic link" in why for _, why in found) and any("absolute path" in why for _, why in found)


def test_a_name_given_twice_is_a_finding(editions: dict[str, Path], tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        book = rewrite(editions[".epub"], tmp_path / "twice.epub",
                       extra=(("EPUB/text/nav.xhtml", b"<html/>"),))
    code, out, _ = check(book)
    assert code == 1 and re.search(r"error EPUB014 \S+ EPUB/text/nav\.xhtml: the name is given to 2 entries", out)


def test_a_broken_navigation_or_spine_document_is_a_finding(editions: dict[str, Path], tmp_path: Path,
                                                            front: Path) -> None:
    for name, content in (("garbage", b"\x00\xffnot xml at all"), ("empty", b"")):
        book = rewrite(editions[".epub"], tmp_path / f"{name}.epub",
                       lambda entry, data, content=content: content if entry.endswith(("nav.xhtml", "p01.xhtml"))
                       else data)
        code, out, _ = check(book, issue=front)
        assert code == 1, out
        assert "EPUB005" in out and "the navigation document is not well-formed XML" in out
        assert "EPUB012" in out  # the emptied page's texts are missing, found without a traceback


# --- hostile PDFs ---------------------------------------------------------------------------------------------


def _resources(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.pages[0].obj.Resources


def _first_font_a_number(pdf: pikepdf.Pdf) -> None:
    fonts = _resources(pdf).Font
    fonts[next(iter(fonts.keys()))] = 7


def _output_intents_a_dictionary(pdf: pikepdf.Pdf) -> None:
    """A PDF/A-3u claim whose /OutputIntents is one dictionary instead of an array of them."""
    with pdf.open_metadata() as metadata:
        metadata["pdfaid:part"] = "3"
        metadata["pdfaid:conformance"] = "U"
    pdf.Root.OutputIntents = pikepdf.Dictionary(S=pikepdf.Name.GTS_PDFA1)


@pytest.mark.parametrize(("edit", "finding"), [
    (lambda pdf: _resources(pdf).__setitem__("/Font", 5), "PDF001"),
    (lambda pdf: _resources(pdf).__setitem__("/Font", pikepdf.Array([1, 2])), "PDF001"),
    (_first_font_a_number, "PDF001"),
    (lambda pdf: _resources(pdf).__setitem__("/XObject", pikepdf.Dictionary(X9=3)), "PDF001"),
    (lambda pdf: _resources(pdf).__setitem__("/XObject", 3), "PDF001"),
    (_output_intents_a_dictionary, "PDF005"),
], ids=["font-integer", "font-array", "font-entry-number", "xobject-entry-number", "xobject-number",
        "output-intents-dictionary"])
def test_malformed_pdf_structures_are_findings(editions: dict[str, Path], tmp_path: Path,
                                               edit: Callable[[pikepdf.Pdf], None], finding: str) -> None:
    target = tmp_path / "malformed.pdf"
    with pikepdf.open(editions[".pdf"]) as pdf:
        edit(pdf)
        pdf.save(target)
    code, out, _ = check(target)
    assert code == 1 and f"error {finding}" in out, out


def _pdf(target: Path, content: bytes, forms: int = 0) -> Path:
    """A one-page PDF drawing ``content``; with ``forms``, through that many levels of a form drawn ten times."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    drawn = content
    for _ in range(forms):
        form = pdf.make_stream(drawn, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 612, 792],
                               Resources=resources)
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=form), Font=resources.get("/Font"))
        drawn = b"/X Do " * 10
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Resources=resources))
    page.obj.Contents = pdf.make_stream(drawn)
    pdf.pages.append(page)
    pdf.save(target, compress_streams=True)
    return target


@pytest.mark.parametrize(("name", "content", "forms"), [
    ("one line of 200,000 Tj", b"BT /F1 1 Tf 10 700 Td " + b"(a) Tj " * 200_000 + b"ET", 0),
    ("forms drawn ten times, eight deep", b"BT /F1 1 Tf 10 700 Td " + b"(a) Tj " * 10 + b"ET", 8),
])
def test_a_small_pdf_that_draws_without_end_is_read_within_bounds(tmp_path: Path, name: str, content: bytes,
                                                                  forms: int, front: Path) -> None:
    pdf = _pdf(tmp_path / "many.pdf", content, forms)
    assert pdf.stat().st_size < 10_000  # a few kilobytes
    result = run_check(str(pdf), "--issue", str(front), timeout=240)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"error PDF001 .*: not read further: a page draws more than 100,000 characters", result.stdout)
    assert "PDF014" not in result.stdout  # not handed to pdftotext either


def test_a_picture_drawn_through_forms_without_end_is_walked_within_bounds(tmp_path: Path) -> None:
    """The pictures' resolution walk (issue 21) counts a form's instructions each time it is drawn: a photo drawn
    ten times by a form drawn ten times, eight deep (a hundred million pictures), stops at the bound."""
    from publisher.check.pdf_reading import TooMuchContent
    from publisher.check.pictures_audit import drawn_pictures

    pdf = pikepdf.new()
    image = pdf.make_stream(b"\x80" * 300 * 300, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=300,
                            Height=300, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(I=image))
    drawn = b"q 100 0 0 100 0 0 cm /I Do Q " * 10
    for _ in range(8):
        form = pdf.make_stream(drawn, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 612, 792],
                               Resources=resources)
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=form))
        drawn = b"/X Do " * 10
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Resources=resources))
    page.obj.Contents = pdf.make_stream(drawn)
    pdf.pages.append(page)
    target = tmp_path / "pictures.pdf"
    pdf.save(target, compress_streams=True)
    with pikepdf.open(target) as reopened, pytest.raises(TooMuchContent, match="run past 1,000,000 instructions"):
        drawn_pictures(reopened)
    result = run_check(str(target), timeout=240)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"error PDF001 .*: not read further: ", result.stdout), result.stdout
    assert "PDF016" not in result.stdout and "PDF017" not in result.stdout


def test_a_line_of_many_marks_within_the_bounds_is_linted(tmp_path: Path) -> None:
    """The lint's median of a line's gaps is kept as it grows: 50,000 characters on one baseline are measured."""
    from publisher.check.lint import lint_pdf

    report = lint_pdf(_pdf(tmp_path / "line.pdf", b"BT /F1 9 Tf 10 700 Td " + b"(a) Tj " * 50_000 + b"ET"))
    assert report.lines >= 1 and report.prohibited_starts == 0


# --- hostile archive files -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, front: Path) -> Path:
    """The archive folder of the sample front page's package (METS, one sheet's ALTO, PDF and TIFF)."""
    bags = tmp_path_factory.mktemp("bags")
    assert main(["package", str(front), "--out", str(bags)], stdout=io.StringIO()) == 0
    return next(bags.iterdir()) / "data" / "archive"


def _edited_archive(archive: Path, target: Path, alto: Callable[[str], str] | None = None,
                    mets: Callable[[str], str] | None = None) -> Path:
    shutil.copytree(archive, target)
    for name, edit in (("0001.xml", alto), ("mets.xml", mets)):
        if edit is not None:
            path = target / name
            path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target / "mets.xml"


def _string_attribute(name: str, value: str, count: int = 1) -> Callable[[str], str]:
    return lambda text: re.sub(rf'(<String [^>]*?){name}="[^"]*"', rf'\g<1>{name}="{value}"', text, count=count)


@pytest.mark.parametrize(("edit", "finding"), [
    (_string_attribute("HPOS", "nan"), "ALTO001"),
    (_string_attribute("WIDTH", "inf"), "ALTO001"),
    (_string_attribute("VPOS", "-inf"), "ALTO001"),
    (_string_attribute("WIDTH", "1e12", count=40), "ALTO004"),
    (_string_attribute("HEIGHT", "1e9", count=40), "ALTO004"),
], ids=["hpos-nan", "width-inf", "vpos-minus-inf", "width-1e12", "height-1e9"])
def test_alto_measurements_that_are_not_on_the_page(archive: Path, tmp_path: Path, edit: Callable[[str], str],
                                                    finding: str) -> None:
    code, out, _ = check(_edited_archive(archive, tmp_path / "archive", alto=edit))
    assert code == 1 and f"error {finding}" in out, out


def test_a_mets_listing_one_sheet_again_and_again(archive: Path, tmp_path: Path) -> None:
    def repeat(text: str) -> str:
        page = re.search(r'<mets:div [^>]*TYPE="np:page".*?</mets:div>', text, re.S)
        assert page is not None
        return text.replace(page.group(0), page.group(0) * 300)

    code, out, _ = check(_edited_archive(archive, tmp_path / "archive", mets=repeat))
    assert code == 1 and "sheets 300" in out
    [finding] = [line for line in out.splitlines() if "error ARC005" in line]
    assert "299 pages list files already listed for another page, checked once" in finding
    assert "ALTO00" not in out  # the one sheet itself is as it was built


def test_a_book_naming_one_document_thousands_of_times(editions: dict[str, Path], tmp_path: Path,
                                                       front: Path) -> None:
    def amplify(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):
            items = "".join(f'<item id="again{n}" href="text/p01.xhtml" media-type="application/xhtml+xml"/>'
                            for n in range(3000))
            refs = "".join(f'<itemref idref="again{n}"/>' for n in range(3000))
            text = data.decode("utf-8").replace("<manifest>", "<manifest>" + items).replace("</spine>",
                                                                                            refs + "</spine>")
            return text.replace('<itemref idref="again0"/>', '<itemref idref="again0"/>' * 2).encode("utf-8")
        if name.endswith("p01.xhtml"):  # a document of half a megabyte
            return data.replace(b"</body>", b"<p>" + "江海晚报今日新闻。".encode() * 20_000 + b"</p></body>")
        return data

    book = rewrite(editions[".epub"], tmp_path / "amplified.epub", amplify)
    result = run_check(str(book), "--issue", str(front), timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"error EPUB016 \S+ EPUB/content\.opf: \d+ files or items named more than once: "
                     r"EPUB/text/p01\.xhtml is listed 3001 times in the manifest.*; not given to epubcheck",
                     result.stdout), result.stdout
    assert "the spine names 'again0' 2 times" in result.stdout
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    shutil.copy(book, shelf / book.name)
    assert main(["catalog", str(shelf)], stdout=io.StringIO(), stderr=io.StringIO()) == 0


def test_a_file_listed_under_many_ids_is_hashed_once(archive: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.check import alto_audit

    def more_ids(text: str) -> str:
        image = next(m.group(0) for m in re.finditer(r"<mets:file [^>]*>.*?</mets:file>", text, re.S)
                     if "0001.tif" in m.group(0))
        return text.replace(image, image + "".join(image.replace('ID="', f'ID="again{n}', 1) for n in range(2000)))

    mets = _edited_archive(archive, tmp_path / "archive", mets=more_ids)
    hashed: list[Path] = []
    real = alto_audit.sha256

    def counted(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(alto_audit, "sha256", counted)
    code, out, _ = check(mets)
    assert code == 0, out
    assert sorted(p.name for p in hashed) == ["0001.pdf", "0001.tif", "0001.xml"]


@pytest.mark.parametrize("pages", [5_001, 20_000])
def test_a_pdf_of_more_sheets_than_any_issue_is_not_read(tmp_path: Path, pages: int, front: Path) -> None:
    pdf = pikepdf.new()
    tree = pdf.Root.Pages
    content = pdf.make_stream(b"")
    tree.Kids = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page, Parent=tree,
                                                                    MediaBox=[0, 0, 612, 792], Contents=content))
                               for _ in range(pages)])
    tree.Count = pages
    pdf.save(tmp_path / "pages.pdf")
    code, out, _ = check(tmp_path / "pages.pdf", issue=front)
    assert code == 1 and f"error PDF001 {tmp_path / 'pages.pdf'}: {pages:,} pages, more than the limit of 5,000; " \
        "not read further" in out


# --- our own editions judged truly ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["agency-a4", "shenjiang-b2"])
def test_a_line_ending_in_a_half_width_comma_is_flush(tmp_path: Path, page: str) -> None:
    """`check` of our own PDF alone (no --issue, so no known column width): a short column whose widest line
    ends in a `，` set half-width took that comma's full box for the column's edge and judged every other
    line 4.5 pt short of it (PDF013 on a fresh edition)."""
    folder = tmp_path / "issue"
    folder.mkdir()
    shutil.copyfile(ROOT / "tests" / "parse_corpus" / f"{page}.txt", folder / "a1.txt")
    (folder / "issue.yaml").write_text(SEED_FRONT_YAML, encoding="utf-8")
    written = build(folder / "issue.yaml", tmp_path / "out", BuildOptions(json=False, epub=False))
    pdf = next(path for path in written if path.suffix == ".pdf")
    from publisher.check.lint import lint_pdf

    report = lint_pdf(pdf)
    commas = [f for f in report.findings if f.code == "PDF013"]
    assert report.justified > 20 and report.flush_share == 1.0, commas
    code, out, _ = check(pdf)
    assert code == 0 and "PDF013" not in out, out


def test_what_a_book_names_reaches_the_terminal_escaped(editions: dict[str, Path], tmp_path: Path) -> None:
    """Entry names (which epubcheck repeats) and the file's own name were printed raw: an OSC sequence set the
    terminal's title, `ESC [2J` cleared the screen, a line break forged a verdict."""
    forged = "x.xhtml\n1 edition checked: 0 errors, 0 warnings, 0 infos — passed"
    book = rewrite(editions[".epub"], tmp_path / "book\x1b[32m.epub",
                   extra=(("../\x1b]0;PWNED\x07\x1b[2Jevil.xhtml", b"<x/>"), (f"EPUB/{forged}", b"<x/>")))
    code, out, _ = check(book)
    assert code == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f]", out), out  # only the report's own line breaks
    assert "\\x1b]0;PWNED\\x07\\x1b[2Jevil.xhtml" in out and "book\\x1b[32m.epub" in out
    assert "x.xhtml\\n1 edition checked" in out
    assert [line for line in out.splitlines() if line.startswith("1 edition checked")] == [out.splitlines()[-1]]
    assert out.splitlines()[-1].endswith("— FAILED")
