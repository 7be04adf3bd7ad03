"""Images made for the picture tests: every shape the issue folders of archives hold, made with Pillow."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageDraw

# The four quadrants of the test picture, upright: a picture whose turn or mirror is wrong shows it.
QUADRANTS = {"top left": (220, 30, 30), "top right": (30, 180, 30), "bottom left": (30, 30, 220),
             "bottom right": (240, 220, 40)}


def quadrants(width: int = 400, height: int = 300) -> Image.Image:
    """An upright RGB picture in four coloured quadrants."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=QUADRANTS["top left"])
    draw.rectangle((half_w, 0, width - 1, half_h - 1), fill=QUADRANTS["top right"])
    draw.rectangle((0, half_h, half_w - 1, height - 1), fill=QUADRANTS["bottom left"])
    draw.rectangle((half_w, half_h, width - 1, height - 1), fill=QUADRANTS["bottom right"])
    return image


# How a camera stores an upright picture for each EXIF orientation: the inverse of the turn the tag asks for.
STORED = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def camera_jpeg(turn: int, width: int = 400, height: int = 300) -> bytes:
    """A JPEG of the quadrant picture stored as a camera held that way stores it, with its EXIF orientation."""
    upright = quadrants(width, height)
    method = STORED[turn]
    stored = upright if method is None else upright.transpose(method)
    exif = Image.Exif()
    exif[0x0112] = turn
    return encoded(stored, "JPEG", quality=92, exif=exif.tobytes())


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB display profile whose red and green primaries are sRGB's green and red (linear tone
    curves): a picture converted through it shows red where its samples say green, so a test sees that
    the profile was applied."""
    desc_text = b"swapped primaries\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_text)) + desc_text
            + b"\0" * 8 + b"\0" * 3 + b"\0" * 67)
    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 0)  # identity
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green (D50)
        (b"gXYZ", _xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red
        (b"bXYZ", _xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
        (b"cprt", b"text" + b"\0" * 4 + b"none\0"),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries, blobs = [], b""
    for signature, data in tags:
        padded = data + b"\0" * (-len(data) % 4)
        entries.append(signature + struct.pack(">II", offset + len(blobs), len(data)))
        blobs += padded
    body = struct.pack(">I", len(tags)) + b"".join(entries) + blobs
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"none" + struct.pack(">I", 0x02100000) + b"mntr" + b"RGB " + b"XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 4 + struct.pack(">I", 0) + b"\0" * 8 + b"\0" * 8
              + struct.pack(">I", 0) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4 + b"\0" * 16
              + b"\0" * 28)
    assert len(header) == 128, len(header)
    return header + body


def cmyk_red_jpeg(width: int = 300, height: int = 200) -> bytes:
    """A process-red CMYK JPEG as Pillow writes one (Adobe, inverted samples)."""
    return encoded(Image.new("CMYK", (width, height), (0, 255, 255, 0)), "JPEG", quality=92)


def grey16_png(width: int = 300, height: int = 200) -> bytes:
    """A 16-bit grey PNG, a ramp from black at the left to white at the right (mean grey about 127)."""
    image = Image.new("I;16", (width, height))
    image.putdata([round(65535 * x / (width - 1)) for _ in range(height) for x in range(width)])
    return encoded(image, "PNG")


# A page of an issue with every kind of picture an archive holds, as the issue on photographs judges them:
# a plain JPEG, a camera JPEG that stands sideways (EXIF 6), a CMYK JPEG, a 16-bit PNG, a photo too small for
# print, a picture story, and a booked advertisement.
PICTURE_PAGE = """\
# 冬日暖阳洒满城市 市民纷纷外出游玩

**晚报讯** 昨天，我市迎来晴好天气，气温回升，不少市民来到公园、河边游玩，感受冬日暖阳。公园管理处介绍，近期园内将举办多场活动，欢迎市民前来游览。

![夜色中的城市街道](photos/night.jpg)
图为城市夜景。 记者 王某 摄

入夜后，濠河两岸的灯光亮起，游客沿河漫步，欣赏夜景。据介绍，今年以来，我市新建改造了多处滨水步道和口袋公园，方便市民休闲健身。“晚饭后来走一走，很舒服。”家住崇川区的市民张先生说。

相关部门提醒，冬季昼夜温差较大，市民外出时注意增减衣物，做好防护。 记者 王某

## 老街焕新颜

**晚报讯** 经过半年改造，老城区一条百年老街近日重新开放。街区保留了原有的石板路和老建筑，引入了特色小吃、手工艺品等业态，吸引了不少市民前来打卡。

![改造后的老街入口](photos/camera.jpg){focus=0.5,0.4}
①改造后的老街入口。 记者 李某 摄

街区负责人介绍，改造中坚持“修旧如旧”，对老建筑进行了加固和修缮，同时完善了排水、照明等基础设施。周末期间，街区还将举办民俗表演等活动。 记者 李某

## 红色展览开展

**晚报讯** 昨天，一场主题展览在市博物馆开展，展出图片、实物等展品二百余件，展期持续至明年三月。

![展览海报](photos/red-cmyk.jpg){span=1}
图为展览海报。（资料图片）

观众可通过预约参观，每周一闭馆。博物馆还推出了线上展厅，市民在家也能参观。 记者 周某

![历史照片](photos/gradient16.png)
图为历史照片翻拍件。（资料图片）

![旧照片](photos/small.jpg)
①市民翻看旧照片。 记者 周某 摄
"""


def picture_issue(folder: Path) -> Path:
    """An issue with the picture page above and its images, in ``folder``; its issue.yaml's path."""
    photos = folder / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    (photos / "night.jpg").write_bytes(encoded(quadrants(1600, 1200), "JPEG", quality=90))
    (photos / "camera.jpg").write_bytes(camera_jpeg(6, 1800, 1350))
    (photos / "red-cmyk.jpg").write_bytes(cmyk_red_jpeg(900, 1200))
    (photos / "gradient16.png").write_bytes(grey16_png(1500, 1000))
    (photos / "small.jpg").write_bytes(encoded(quadrants(240, 180), "JPEG", quality=90))
    ads = folder / "ads"
    ads.mkdir(exist_ok=True)
    (ads / "shop.png").write_bytes(encoded(quadrants(2000, 300), "PNG"))
    (folder / "a1.txt").write_text(PICTURE_PAGE, encoding="utf-8")
    (folder / "issue.yaml").write_text(
        "paper: 晚报\ndate: 2022-11-28\npages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n"
        "    ads:\n      - {file: ads/shop.png, columns: 5, height: 30mm}\n", encoding="utf-8")
    return folder / "issue.yaml"
