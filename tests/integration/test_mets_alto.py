"""The archive files of a package: METS (NDNP issue profile) and ALTO valid, ALTO exactly the PDF's text and glyphs.

The ALTO is compared with the PDF read back by pdfminer.six, not with what
the toolkit thinks it drew; the schemas are the official ones, read from
`shared/schemas/` beside the repository (the project may not hold copies),
so that the suite runs offline; the schema tests are skipped where that
folder is absent.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections import defaultdict
from pathlib import Path

import bagit
import pytest
import xmlschema
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent
from PIL import Image

from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from tests.conftest import shared_schemas
from tests.integration.test_package import SLUG, catalogued_issue

SCHEMAS = shared_schemas()
NS = {"mets": "http://www.loc.gov/METS/", "mods": "http://www.loc.gov/mods/v3",
      "alto": "http://www.loc.gov/standards/alto/ns-v4#", "xlink": "http://www.w3.org/1999/xlink"}
INCH1200 = 1200 / 72  # ALTO units per point
# The schemas import these by their published addresses; the suite answers with local copies.
LOCAL = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": (SCHEMAS or Path()) / "xlink.xsd",
    # W3C's schema for the xml: namespace, as the xmlschema package ships it.
    "http://www.loc.gov/mods/xml.xsd": Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd",
}


class _Offline(etree.Resolver):
    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        local = LOCAL.get(system_url)
        return self.resolve_filename(str(local), context) if local is not None else None


def schema(name: str) -> etree.XMLSchema:
    if SCHEMAS is None:
        pytest.skip("the official schemas are read from shared/schemas/ beside the repository, which is absent")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


@pytest.fixture(scope="module")
def bag(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("archive")
    issue = catalogued_issue(base / "issue")
    assert main(["package", str(issue), "--out", str(base / "bags")], stdout=io.StringIO()) == 0
    return base / "bags" / SLUG


@pytest.fixture(scope="module")
def mets(bag: Path) -> etree._ElementTree:
    return etree.parse(str(bag / "data" / "archive" / "mets.xml"))


def altos(bag: Path) -> list[Path]:
    return sorted((bag / "data" / "archive").glob("0*.xml"))


def test_the_bag_validates_and_lists_every_archive_file(bag: Path) -> None:
    bagit.Bag(str(bag)).validate()
    names = {p.name for p in (bag / "data" / "archive").iterdir()}
    assert names == {"mets.xml", "0001.xml", "0001.tif", "0001.pdf"}


def test_mets_validates_against_the_official_mets_and_mods_schemas(mets: etree._ElementTree) -> None:
    mets_schema = schema("mets-1-12-1.xsd")
    assert mets_schema.validate(mets), mets_schema.error_log
    mods_schema = schema("mods-3-6.xsd")
    records = mets.findall(".//mods:mods", NS)
    assert len(records) == 1 + 1 + 4  # the issue, its one page, its four articles
    for record in records:
        assert mods_schema.validate(etree.ElementTree(record)), mods_schema.error_log


def test_every_alto_validates_against_the_official_alto_4_schema(bag: Path) -> None:
    alto_schema = schema("alto-4-4.xsd")
    for path in altos(bag):
        document = etree.parse(str(path))
        assert alto_schema.validate(document), alto_schema.error_log
        assert document.findtext(".//alto:MeasurementUnit", namespaces=NS) == "inch1200"
        page = document.find(".//alto:Page", NS)
        assert page is not None and page.get("LANG") == "zh-Hans"
        assert {"TextBlock", "TextLine", "String"} <= {etree.QName(e).localname for e in page.iter()}


def test_ndnp_required_elements(bag: Path, mets: etree._ElementTree) -> None:
    """What NDNP's issue profile requires of an issue METS, page by page, and of its files."""
    root = mets.getroot()
    assert root.get("TYPE") == "urn:library-of-congress:ndnp:mets:newspaper:issue"
    assert root.get("PROFILE") == "urn:library-of-congress:mets:profiles:ndnp:issue:v1.5"
    assert root.find("mets:metsHdr", NS).get("CREATEDATE") == "2022-11-28T00:00:00Z"
    issue_mods = root.find("mets:dmdSec[@ID='issueModsBib']//mods:mods", NS)
    assert issue_mods.findtext("mods:relatedItem[@type='host']/mods:identifier[@type='lccn']", namespaces=NS) \
        == "sn 86012345"
    assert issue_mods.findtext("mods:relatedItem[@type='host']/mods:identifier[@type='issn']", namespaces=NS) \
        == "0317-8471"
    issued = issue_mods.find("mods:originInfo/mods:dateIssued", NS)
    assert issued.get("encoding") == "iso8601" and issued.text == "2022-11-28"
    part = issue_mods.find("mods:relatedItem[@type='host']/mods:part", NS)
    assert part.findtext("mods:detail[@type='issue']/mods:number", namespaces=NS) == "0123"
    assert part.findtext("mods:detail[@type='edition']/mods:number", namespaces=NS) == "1"
    assert part.findtext("mods:detail[@type='edition']/mods:caption", namespaces=NS) == "第一版"
    assert issue_mods.findtext("mods:originInfo/mods:publisher", namespaces=NS) == "南通日报社"
    assert issue_mods.findtext("mods:titleInfo/mods:title", namespaces=NS) == "江海晚报"

    physical = root.find("mets:structMap[@TYPE='physical']/mets:div[@TYPE='np:issue']", NS)
    assert physical.get("DMDID") == "issueModsBib"
    pages = physical.findall("mets:div[@TYPE='np:page']", NS)
    assert [(p.get("ORDER"), p.get("ORDERLABEL")) for p in pages] == [("1", "A1")]
    files = {f.get("ID"): f for f in root.iterfind(".//mets:file", NS)}
    for sequence, page in enumerate(pages, start=1):
        page_mods = root.find(f"mets:dmdSec[@ID='{page.get('DMDID')}']//mods:mods", NS)
        assert page.get("DMDID") == f"pageModsBib{sequence}"
        assert page_mods.findtext("mods:part/mods:extent[@unit='pages']/mods:start", namespaces=NS) == str(sequence)
        assert page_mods.findtext("mods:part/mods:detail[@type='page number']/mods:number", namespaces=NS) == "A1"
        assert page_mods.findtext("mods:note[@type='agencyResponsibleForReproduction']", namespaces=NS)
        assert page_mods.find("mods:relatedItem[@type='original']/mods:physicalDescription/mods:form[@type='print']",
                              NS) is not None
        pointed = [files[f.get("FILEID")] for f in page.findall("mets:fptr", NS)]
        assert {(f.get("USE"), f.get("MIMETYPE")) for f in pointed} == {
            ("master", "image/tiff"), ("derivative", "application/pdf"), ("ocr", "text/xml")}
        for file in pointed:
            path = bag / "data" / "archive" / file.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href")
            assert file.get("CHECKSUMTYPE") == "SHA-256"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == file.get("CHECKSUM")
            assert int(file.get("SIZE")) == path.stat().st_size
    for path in altos(bag):
        alto = etree.parse(str(path))
        page = alto.find(".//alto:Page", NS)
        assert page.get("ID") and page.get("PHYSICAL_IMG_NR") == "1" and page.get("PRINTED_IMG_NR") == "A1"
        assert alto.findtext(".//alto:sourceImageInformation/alto:fileName", namespaces=NS) == "0001.tif"
        assert alto.find(".//alto:PrintSpace", NS) is not None


def _pdf_chars(path: Path) -> tuple[float, float, list[tuple[str, float, float, float, float]]]:
    """The page size and every drawn character (text, left, top, right, bottom in points from the top left)."""
    [page] = list(extract_pages(str(path), laparams=None))
    chars: list[tuple[str, float, float, float, float]] = []

    def walk(item: LTComponent) -> None:
        if isinstance(item, LTChar):
            if item.get_text().strip():
                chars.append((item.get_text(), item.x0, page.height - item.y1, item.x1, page.height - item.y0))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    walk(page)
    return page.width, page.height, chars


def test_alto_is_the_pdfs_text_on_the_pdfs_glyphs(bag: Path) -> None:
    """Every character pdfminer finds in the sheet's PDF is in the one String on it, and nothing else is."""
    for path in altos(bag):
        width, height, chars = _pdf_chars(path.with_suffix(".pdf"))
        alto = etree.parse(str(path))
        page = alto.find(".//alto:Page", NS)
        assert abs(float(page.get("WIDTH")) / INCH1200 - width) < 0.1
        assert abs(float(page.get("HEIGHT")) / INCH1200 - height) < 0.1
        strings = [(s.get("CONTENT"), *(float(s.get(k)) / INCH1200 for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")))
                   for s in alto.iterfind(".//alto:String", NS)]
        assert sum(len(s[0]) for s in strings) == len(chars)
        for content, left, top, w, h in strings:  # inside the page
            assert left >= 0 and left + w <= width and top >= 0 and top + h <= height, content
        held: dict[int, list[tuple[str, float, float, float, float]]] = defaultdict(list)
        for char in chars:
            x, y = (char[1] + char[3]) / 2, (char[2] + char[4]) / 2
            on = [i for i, (content, left, top, w, h) in enumerate(strings)
                  if char[0] in content and left - 0.5 <= x <= left + w + 0.5 and top <= y <= top + h]
            assert on, f"{char[0]} at {x:.1f},{y:.1f} is in no String"
            held[min(on, key=lambda i: abs(strings[i][1] - char[1]))].append(char)
        worst = 0.0
        for index, (content, left, _top, w, _h) in enumerate(strings):
            glyphs = sorted(held[index], key=lambda c: c[1])
            assert "".join(c[0] for c in glyphs) == content
            worst = max(worst, abs(glyphs[0][1] - left), abs(glyphs[-1][3] - (left + w)))
        assert worst < 0.5


def test_each_article_reads_as_its_source_through_the_blocks_the_mets_points_at(bag: Path,
                                                                             mets: etree._ElementTree) -> None:
    issue = load_issue(bag / "data" / "source" / "issue.yaml")
    blocks: dict[tuple[str, str], str] = {}
    files = {f.get("ID"): f.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href") for f in mets.iterfind(".//mets:file", NS)}
    for file_id, href in files.items():
        if href.endswith(".xml"):
            for block in etree.parse(str(bag / "data" / "archive" / href)).iterfind(".//alto:TextBlock", NS):
                blocks[(file_id, block.get("ID"))] = "".join(s.get("CONTENT") for s in block.iterfind(".//alto:String", NS))
    logical = mets.find("mets:structMap[@TYPE='logical']/mets:div[@TYPE='issue']", NS)
    sections = logical.findall("mets:div[@TYPE='section']", NS)
    assert [s.get("LABEL") for s in sections] == ["要闻"]
    divs = logical.findall(".//mets:div[@TYPE='article']", NS)
    articles = [a for page in issue.pages for a in page.articles]
    assert len(divs) == len(articles) == 4
    for div, article in zip(divs, articles, strict=True):
        parts = {part.get("TYPE"): "".join(blocks[(a.get("FILEID"), a.get("BEGIN"))]
                                           for a in part.iterfind(".//mets:area", NS))
                 for part in div.findall("mets:div", NS)}
        assert parts["kicker"] == article.kicker.value
        assert parts["headline"] == article.headline.value.replace(" ", "")
        assert parts.get("byline", "") == "".join(b.value for b in article.bylines).replace(" ", "")
        text = "".join(blocks[(a.get("FILEID"), a.get("BEGIN"))] for a in div.iterfind(".//mets:area", NS))
        assert text == "".join("".join(t.value.split()) for t in article.texts())


def test_page_images_open_in_pillow_at_the_stated_resolution(bag: Path) -> None:
    for path in altos(bag):
        page = etree.parse(str(path)).find(".//alto:Page", NS)
        with Image.open(path.with_suffix(".tif")) as image:
            assert image.format == "TIFF" and image.mode == "RGB"
            assert image.info["dpi"] == (300, 300) and image.info["compression"] == "tiff_lzw"
            assert image.size == (round(float(page.get("WIDTH")) / 4), round(float(page.get("HEIGHT")) / 4))
            image.load()  # the whole image decodes


@pytest.fixture
def copy(bag: Path, tmp_path: Path) -> Path:
    """A copy of the bag's archive folder to spoil."""
    shutil.copytree(bag / "data" / "archive", tmp_path / "archive")
    return tmp_path / "archive"


def check(archive: Path, *issue: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", str(archive / "mets.xml"), *issue], stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def _edit_alto(archive: Path, old: str, new: str) -> None:
    path = archive / "0001.xml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Keep the METS checksum right: the finding under test is the ALTO's, not ARC003.
    mets = archive / "mets.xml"
    lines = mets.read_text(encoding="utf-8")
    element = etree.parse(str(mets)).find(".//mets:file[@ID='ocrFile1']", NS)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    mets.write_text(lines.replace(element.get("CHECKSUM"), digest).replace(f'SIZE="{element.get("SIZE")}"',
                                                                          f'SIZE="{path.stat().st_size}"', 1),
                    encoding="utf-8")


def test_check_passes_the_archive_of_a_package(bag: Path) -> None:
    code, out = check(bag / "data" / "archive", "--issue", str(bag / "data" / "source" / "issue.yaml"))
    assert code == 0, out
    assert "(archive): sheets 1, strings " in out and "no findings" in out
    # What was checked, said as it is: a package's METS, not an edition.
    assert out.splitlines()[-1] == ("a package's METS (its files' checksums, 1 sheet: ALTO against the PDF, page "
                                    "image) checked: 0 errors, 0 warnings, 0 infos — passed")


def test_check_alto002_a_string_that_is_not_the_pdfs_text(copy: Path) -> None:
    _edit_alto(copy, 'CONTENT="晚" WC="1"', 'CONTENT="晓" WC="1"')
    code, out = check(copy)
    assert code == 1 and "error ALTO002" in out and "「晓」" in out


def test_check_alto003_a_string_off_its_glyph(copy: Path) -> None:
    text = (copy / "0001.xml").read_text(encoding="utf-8")
    start = text.index('CONTENT="晚"')
    hpos = text.rindex('HPOS="', 0, start)
    value = text[hpos + 6:text.index('"', hpos + 6)]
    _edit_alto(copy, text[hpos:start], text[hpos:start].replace(f'HPOS="{value}"', f'HPOS="{int(value) - 20}"'))
    code, out = check(copy)
    assert code == 1 and "error ALTO003" in out


def test_check_alto004_a_string_outside_the_page(copy: Path) -> None:
    _edit_alto(copy, 'WIDTH="13200" HEIGHT="20400"', 'WIDTH="1200" HEIGHT="20400"')
    code, out = check(copy)
    assert code == 1 and "error ALTO004" in out


def test_check_alto001_an_unreadable_alto(copy: Path) -> None:
    _edit_alto(copy, "<MeasurementUnit>inch1200</MeasurementUnit>", "<MeasurementUnit>furlong</MeasurementUnit>")
    code, out = check(copy)
    assert code == 1 and "error ALTO001" in out and "furlong" in out


def test_check_alto005_an_article_that_reads_differently_from_its_source(copy: Path, bag: Path) -> None:
    # The kicker's first character changed: the source check names the article and where it differs.
    _edit_alto(copy, 'CONTENT="吴" WC="1"', 'CONTENT="昊" WC="1"')
    code, out = check(copy, "--issue", str(bag / "data" / "source" / "issue.yaml"))
    assert code == 1 and "error ALTO005" in out and "a1.txt:" in out


def test_check_arc002_and_arc003_missing_and_changed_files(copy: Path) -> None:
    (copy / "0001.tif").unlink()
    with (copy / "0001.pdf").open("ab") as pdf:
        pdf.write(b"%")
    code, out = check(copy)
    assert code == 1 and "error ARC002" in out and "0001.tif is listed in the METS but missing" in out
    assert "error ARC003" in out and "0001.pdf does not match its SHA-256" in out


def test_check_arc001_not_a_mets_document(tmp_path: Path) -> None:
    (tmp_path / "mets.xml").write_text("<alto/>", encoding="utf-8")
    code, out = check(tmp_path)
    assert code == 1 and "error ARC001" in out and "not mets:mets" in out


def test_check_arc004_a_page_image_not_at_its_resolution(copy: Path) -> None:
    with Image.open(copy / "0001.tif") as image:
        size = image.size
    Image.new("L", size, 255).save(copy / "0001.tif", dpi=(150, 150))  # the pixels of 300 dpi, stated as 150
    mets = copy / "mets.xml"
    element = etree.parse(str(mets)).find(".//mets:file[@ID='masterFile1']", NS)
    mets.write_text(mets.read_text(encoding="utf-8").replace(
        element.get("CHECKSUM"), hashlib.sha256((copy / "0001.tif").read_bytes()).hexdigest()), encoding="utf-8")
    code, out = check(copy)
    assert code == 1 and "error ARC004" in out and "is 3300×5100 px, the page at 150 dpi is 1650×2550" in out


def test_check_of_a_hostile_package_reads_nothing_outside_it(copy: Path, tmp_path: Path) -> None:
    """Archives come from elsewhere: a link out of the package, a pipe, a bad ORDER give findings, no hang."""
    (tmp_path / "secret.pdf").write_bytes((copy / "0001.pdf").read_bytes())
    (copy / "0001.pdf").unlink()
    (copy / "0001.pdf").symlink_to(tmp_path / "secret.pdf")
    (copy / "0001.tif").unlink()
    os.mkfifo(copy / "0001.tif")  # opened for its checksum, it would block check for ever
    mets = copy / "mets.xml"
    mets.write_text(mets.read_text(encoding="utf-8").replace('ORDER="1"', 'ORDER="first"', 1), encoding="utf-8")
    code, out = check(copy)
    assert code == 1
    assert "file otherDerivativeFile1 has no location inside the package" in out
    assert "0001.tif is listed in the METS but missing" in out
