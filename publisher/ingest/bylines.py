"""Bylines (署名) as evening papers write them.

A byline is one or more *segments*, each a role and names as written:
``记者朱文君 李彤``, ``见习记者 刘某``, ``本报记者 张某 李某``, ``文/图 本报记者 王某``,
``图/李某``, ``王某 摄``, optionally opened by a mark (``□ ■ ●``) and runs of
spaces: ``□晚报记者   王某某``. A line of several roles is several bylines
(``记者张三 通讯员李四``), each kept as written; names are never split or
merged. In parentheses, ``（记者 王某 通讯员 李某）`` is one byline, and so is an
agency credit closing an article, ``（据新华社）``.

After the role, a name must start with a surname (``publisher.ingest.surnames``):
``记者调查`` or ``记者手记`` is a column name, not a byline.
"""

from __future__ import annotations

import re

from .surnames import NOT_NAMES, starts_with_surname

MARKS = "□■●○◎◆◇▲△★☆▼▽"
SPACE = " \t\u3000"
# A paragraph that ends with one of these ends a sentence.
SENTENCE_END = tuple("。！？…”」』）)：；.!?\"'")

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_ORG = rf"(?:本报|本報|晚报|晚報|[{_HAN}]{{1,6}}?(?:晚报|日报|晚報|日報|报|報|社|台|网|網))"
_GRADE = r"(?:首席|资深|資深|见习|見習|实习|實習|特约|特約|摄影|攝影|驻站|駐站)"
ROLE = re.compile(
    rf"(?:{_ORG})?{_GRADE}?(?:记者|記者)"
    rf"|(?:{_ORG})?(?:特约|特約)?(?:通讯员|通訊員)"
    rf"|(?:{_ORG})?(?:实习生|實習生)"
    r"|撰稿|撰文|编译|編譯|(?:责任|責任)?(?:编辑|編輯)"
)
# ``文/图`` (text and pictures by), ``文/`` or ``图/`` before a role or a name.
_LABEL_PAIR = re.compile(rf"(?:文[/／][图圖]|[图圖][/／]文)(?=[{SPACE}])")
_LABEL = re.compile(r"(?:文|图|圖|摄影|攝影|摄|攝)[/／]")
# What may close a byline after the names: a photo credit or a report (记者 王某／金門報導).
_SUFFIX = re.compile(
    r"(?:摄影报道|攝影報道|摄影|攝影|摄|攝|报道|報道|報導|整理|采写|採寫|文[/／][图圖]"
    rf"|[/／][{_HAN}]{{0,6}}?(?:报道|報道|報導))(?=[{SPACE}]|$)"
)
_PHOTO = ("摄", "攝")
_NAME = re.compile(rf"[{_HAN}·•]+")
_SPACES = re.compile(rf"[{SPACE}]*")
AGENCY = (
    r"(?:新华社|新華社|中新社|中新网|中新網|中央社|人民网|人民網|央视新闻|央視新聞|央视网|央視網|央广网|央廣網"
    r"|法新社|路透社|美联社|美聯社|共同社|塔斯社|韩联社|韓聯社|澎湃新闻|澎湃新聞)"
)
# A source credit closing an article: （据新华社）, (综合新华社、央视新闻), （来源：人民网）, （新华社电）.
_CREDIT = re.compile(
    r"[（(](?:(?:据|據|综合|綜合|来源[:：]|來源[:：]|摘自|转自|轉自|编译自|編譯自)[^（）()]{1,30}"
    rf"|{AGENCY}(?:电|電|供稿)?)[）)]"
)
MAX_LENGTH = 60
MAX_NAMES = 8


def _skip_space(text: str, pos: int) -> int:
    match = _SPACES.match(text, pos)
    return match.end() if match else pos


def _is_name(token: str, previous: str | None) -> bool:
    """A person's name as a byline writes it, or a part of a name spaced out (``周 敏``)."""
    if "·" in token or "•" in token:  # a transliterated name: 阿依古丽·买买提
        return all(token.replace("•", "·").split("·")) and len(token) <= 16
    if token in NOT_NAMES:
        return False
    if previous is not None and len(previous) == 1 and len(token) <= 2:
        return True  # the given name after a spaced-out surname
    return 1 <= len(token) <= 4 and starts_with_surname(token)


def _segment(text: str, pos: int) -> int | None:
    """The end of one byline segment starting at ``pos``, or None if none starts there."""
    labelled = False
    if pair := _LABEL_PAIR.match(text, pos):
        pos, labelled = _skip_space(text, pair.end()), True
    elif label := _LABEL.match(text, pos):
        pos, labelled = _skip_space(text, label.end()), True
    if role := ROLE.match(text, pos):
        pos, labelled = _skip_space(text, role.end()), True
        if text[pos:pos + 1] in ("：", ":"):  # 记者：王某
            pos = _skip_space(text, pos + 1)
    names: list[str] = []
    end = pos
    while len(names) < MAX_NAMES and (match := _NAME.match(text, pos)):
        token = match.group()
        previous = names[-1] if names else None
        if ROLE.match(token) or _SUFFIX.match(text, pos):
            break
        if token.endswith(_PHOTO) and len(token) > 1 and _is_name(token[:-1], previous):
            names.append(token[:-1])  # 王某摄: the credit glued to the name
            end, labelled = match.end(), True
            break
        if not _is_name(token, previous):
            break
        names.append(token)
        end = match.end()
        pos = _skip_space(text, end)
    if not names:
        return None
    if suffix := _SUFFIX.match(text, _skip_space(text, end)):
        end, labelled = suffix.end(), True
    return end if labelled else None


def _segments(text: str) -> list[str] | None:
    """The bylines ``text`` consists of, each as written, or None if it is anything else."""
    pos = 1 if text[0] in MARKS else 0
    pos = _skip_space(text, pos)
    start, parts = 0, []
    while pos < len(text):
        end = _segment(text, pos)
        if end is None:
            return None
        parts.append(text[start:end])
        pos = start = _skip_space(text, end)
    return parts or None


def byline_parts(text: str) -> list[str] | None:
    """The bylines a whole line consists of (as written), or None if it is not a byline line."""
    text = text.strip(SPACE)
    if not text or len(text) > MAX_LENGTH:
        return None
    if _CREDIT.fullmatch(text):
        return [text]
    if text[0] in "（(" and text[-1] in "）)":
        inner = text[1:-1].strip(SPACE)
        return [text] if inner and "（" not in inner and "(" not in inner and _segments(inner) else None
    return _segments(text)


def trailing_bylines(text: str, glued_ok: bool) -> tuple[str, list[str]] | None:
    """A paragraph's text and the bylines after its last sentence, or None.

    A byline separated by spaces is taken. One glued to the sentence
    (``…的热闹。”本报记者 张某 李某``) is taken when it is in parentheses, holds
    spaces (running text has none) or ``glued_ok`` says the paragraph ends
    there; otherwise ``…他说。记者王某`` may be a sentence cut by the column
    extraction, continued in the next block.
    """
    stop = max(0, len(text) - MAX_LENGTH - 1)
    for cut in range(len(text) - 1, stop, -1):
        if text[cut - 1] not in SENTENCE_END or text[cut] in SENTENCE_END:
            continue
        tail = text[cut:]
        parts = byline_parts(tail)
        if parts is None:
            continue
        spaced = tail[0] in SPACE
        bracketed = tail.lstrip(SPACE)[0] in "（(" or tail[0] in MARKS
        if spaced or bracketed or glued_ok or any(c in SPACE for c in tail.strip(SPACE)):
            return text[:cut].rstrip(SPACE), parts
        return None
    return None
