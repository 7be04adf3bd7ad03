"""Photo captions (图片说明) left in the text by the extraction of a page.

A caption is a short line that

- opens with a photo's number: ``①市民在公园赏菊``, ``❷…``, ``图1：…``;
- opens with ``图为`` (``上图``, ``下图``, ``左图``, ``右图``, Traditional ``圖為``);
- or ends with the photo's credit: ``… 记者 王某 摄``, ``…（王某 摄）``,
  ``…（资料图片）``, ``…（受访者供图）``, or an agency's (``… 新华社发``,
  ``…新华社发（王某 摄）``).

A line that is only a credit (``记者 王某 摄``) is a byline, not a caption.

Under a picture's image line the caption's credit is kept apart from it
(``split_credit``), and a credit alone is the picture's credit.
"""

from __future__ import annotations

import re

from .bylines import AGENCY, SPACE, byline_parts

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
# An agency's photo, as the agency sends it: 新华社发, 新华社发（王某 摄）, （中新社发）.
_ISSUED = re.compile(rf"[（(]?{AGENCY}(?:发|發)(?:[（(][^（）()]{{1,30}}[）)])?[）)]?")


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


def _issued(text: str) -> bool:
    """An agency's credit, alone or with the photographer's: ``新华社发``, ``新华社发 王某 摄``."""
    match = _ISSUED.match(text)
    if match is None:
        return False
    rest = text[match.end():].strip(SPACE)
    return not rest or is_credit(rest)


def is_credit(text: str) -> bool:
    """A photo's credit alone: ``记者 王某 摄``, ``（王某 摄）``, ``新华社发``, ``（资料图片）``, ``图/李某``."""
    text = text.strip(SPACE)
    if not text or len(text) > MAX_LENGTH:
        return False
    if _IMAGE_NOTE.fullmatch(text) or _issued(text):
        return True
    if text[0] in "（(" and text[-1] in "）)" and "（" not in text[1:] and "(" not in text[1:]:
        return is_credit(text[1:-1]) and text[1:-1].strip(SPACE).endswith(_PHOTO)
    return byline_parts(text) is not None and (text.endswith(_PHOTO) or text.startswith(("图/", "图／", "圖/", "圖／")))


def split_credit(text: str) -> tuple[str | None, str | None]:
    """A picture's caption line as (caption, credit), each as written or None; the spaces between them dropped.

    The credit is the longest tail of the line that is a credit (``is_credit``),
    starting after the caption's last sentence, a space, or at an opening bracket.
    """
    text = text.strip(SPACE)
    first = max(0, len(text) - MAX_LENGTH)  # a credit is short: a long marked caption is not tried everywhere
    starts = sorted({first} | {m.end() for m in _CREDIT_START.finditer(text, first)}
                    | {i for i in range(first, len(text)) if text[i] in "（("})
    for start in starts:
        if start < len(text) and is_credit(text[start:]):
            caption = text[:start].rstrip(SPACE)
            return caption or None, text[start:].strip(SPACE)
    return text or None, None


def is_caption(text: str) -> bool:
    text = text.strip(SPACE)
    if not text or len(text) > MAX_LENGTH or byline_parts(text) is not None:
        return False
    return bool(_NUMBERED.match(text) or _PHOTO_LEAD.match(text)) or _ends_with_credit(text) or _ends_issued(text)


def _ends_issued(text: str) -> bool:
    """The line ends with an agency's photo credit after some text of its own (``…登船。 新华社发``)."""
    starts = {m.end() for m in _CREDIT_START.finditer(text)} | {i for i, c in enumerate(text) if c in "（("}
    return any(0 < start < len(text) and _issued(text[start:].strip(SPACE)) for start in starts)
