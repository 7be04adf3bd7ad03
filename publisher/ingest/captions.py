"""Photo captions (图片说明) left in the text by the extraction of a page.

A caption is a short line that

- opens with a photo's number: ``①市民在公园赏菊``, ``❷…``, ``图1：…``;
- opens with ``图为`` (``上图``, ``下图``, ``左图``, ``右图``, Traditional ``圖為``);
- or ends with the photo's credit: ``… 记者 王某 摄``, ``…（王某 摄）``,
  ``…（资料图片）``, ``…（受访者供图）``.

A line that is only a credit (``记者 王某 摄``) is a byline, not a caption.
"""

from __future__ import annotations

import re

from .bylines import SPACE, byline_parts

MAX_LENGTH = 200

# ①…⑳, ❶…❿, ⑴…⒇, 图1：, （图①）
_NUMBERED = re.compile(
    r"^(?:[\u2460-\u2473\u2776-\u277f\u2474-\u2487]|[图圖][0-9０-９]+[:：.．]"
    r"|[（(][图圖]?[0-9０-９①-⑳]+[）)])"
)
_PHOTO_LEAD = re.compile(
    r"^(?:[上下左右]?[图圖][为為：:]|本版[图圖]片|[上下左右][图圖](?=[\u4e00-\u9fff]))"
)
_IMAGE_NOTE = re.compile(
    r"[（(](?:资料图片?|資料圖片?|[^（）()]{0,16}供[图圖]|[图圖]片来源[^（）()]*|圖片來源[^（）()]*|视频截图|視頻截圖"
    r"|网络图片|網絡圖片|效果图|效果圖|示意图|示意圖)[）)]$"
)
_PHOTO = ("摄", "攝", "摄影", "攝影")
_CREDIT_START = re.compile(rf"[。！？!?”」{SPACE}]")


def _ends_with_credit(text: str) -> bool:
    """The line ends with a photo credit after some text of its own."""
    if _IMAGE_NOTE.search(text):
        return True
    stripped = text.rstrip(SPACE)
    if stripped.endswith(("）", ")")):
        opening = max(stripped.rfind("（"), stripped.rfind("("))
        credit = stripped[opening + 1:-1].strip(SPACE)
        return opening > 0 and credit.endswith(_PHOTO) and byline_parts(credit) is not None
    if not stripped.endswith(_PHOTO):
        return False
    # The credit starts after the caption's last sentence or space: try each such start.
    for match in _CREDIT_START.finditer(stripped):
        credit = stripped[match.end():].strip(SPACE)
        if credit and match.start() > 0 and byline_parts(credit) is not None:
            return True
    return False


def is_caption(text: str) -> bool:
    text = text.strip(SPACE)
    if not text or len(text) > MAX_LENGTH or byline_parts(text) is not None:
        return False
    return bool(_NUMBERED.match(text) or _PHOTO_LEAD.match(text)) or _ends_with_credit(text)
