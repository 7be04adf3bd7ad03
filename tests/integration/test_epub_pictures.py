"""Pictures in the EPUB: camera JPEGs turned upright and sized for e-readers, every kind of image file an
archive holds as a JPEG or PNG the readers show, the cover with the front page's lead photograph; and the
book still passes epubcheck."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image

from publisher.check.epubcheck import run_epubcheck
from publisher.epub.book import write_epub
from publisher.ingest.issue_yaml import load_issue
from tests.pictures_helpers import QUADRANTS, camera_jpeg, cmyk_red_jpeg, encoded, grey16_png, quadrants

Make = Callable[..., Path]
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}

PAGE = """\
# 市民冬日游园赏景

**晚报讯** 昨天，气温回升，不少市民来到公园游玩赏景，感受冬日暖阳。

![游客在园中漫步](photos/camera.jpg){focus=0.5,0.4}
①游客在园中漫步。 记者 王某 摄

公园管理处介绍，近期园内将举办多场活动，欢迎市民前来。 记者 王某

![红色展板](photos/red.jpg)
图为展板一角。（资料图片）

![灰度图](photos/grey.png){type=graphic}
图为历史照片。（资料图片）

![档案原件](photos/master.tif)
①档案原件。 记者 李某 摄
"""


def test_pictures_of_every_kind_reach_the_book_sized_for_readers(make_issue: Make, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "camera.jpg").write_bytes(camera_jpeg(6, 4000, 3000))  # stored 3000 x 4000, shown landscape
    (photos / "red.jpg").write_bytes(cmyk_red_jpeg())
    (photos / "grey.png").write_bytes(grey16_png())
    (photos / "master.tif").write_bytes(encoded(quadrants(2400, 1800), "TIFF"))
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                      {"a1.txt": PAGE})
    book = write_epub(load_issue(path), tmp_path / "book.epub")
    with zipfile.ZipFile(book) as z:
        page = ElementTree.fromstring(z.read("EPUB/text/p01.xhtml"))
        images = [(img.get("alt"), Image.open(io.BytesIO(z.read("EPUB/" + (img.get("src") or "")[3:]))))
                  for img in page.iterfind(".//x:figure/x:img", NS)]
        opf = ElementTree.fromstring(z.read("EPUB/content.opf"))
        cover = next(i for i in opf.iterfind("opf:manifest/opf:item", NS) if i.get("properties") == "cover-image")
    assert [alt for alt, _ in images] == ["游客在园中漫步", "红色展板", "灰度图", "档案原件"]
    camera, red, grey, master = (image for _, image in images)
    assert camera.format == "JPEG" and camera.size == (1600, 1200)  # upright, the long side 1600
    top_left = camera.convert("RGB").getpixel((200, 150))
    assert isinstance(top_left, tuple) and abs(top_left[0] - QUADRANTS["top left"][0]) < 40
    assert red.format == "JPEG" and red.mode == "RGB"
    pixel = red.getpixel((10, 10))
    assert isinstance(pixel, tuple) and pixel[0] > 200 and pixel[1] < 60  # CMYK red, not inverted
    assert grey.format == "PNG" and grey.mode == "L"
    assert master.format == "JPEG" and master.size == (1600, 1200)  # a TIFF master, as readers show images
    # The front page's lead photograph makes the cover: a photograph, so a JPEG.
    assert cover.get("media-type") == "image/jpeg"
    report = run_epubcheck(book)
    assert (report.fatal, report.errors, report.warnings) == (0, 0, 0)
