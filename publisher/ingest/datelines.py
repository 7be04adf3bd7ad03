"""Datelines (电头) that open an article's first paragraph, bold or not.

The forms seen on evening papers' pages:

- the paper's own: ``本报讯``, ``本报11月27日讯``, ``本报北京11月27日电``,
  ``晚报讯``, ``X报讯``, ``X晚报讯``, Traditional ``本報訊``, ``香港X報訊``;
- agencies: ``新华社北京11月27日电``, ``中央社記者王某台北27日電``, ``据新华社电``;
- ``晚报综合消息``, ``本报综合消息``;
- any of them with the reporters inside: ``本报讯（记者 王某 通讯员 李某）``,
  ``晚报讯(记者 王某)``, ``新华社北京11月27日电（记者张三）``.

The dateline keeps the reporters as written: it is one field of the article.
"""

from __future__ import annotations

import re

from .bylines import ROLE, SPACE

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_DATE = r"(?:[0-9０-９]{1,2}月)?[0-9０-９]{1,2}日"
_PLACE = rf"[{_HAN}]{{0,4}}?"
_AGENCY = r"(?:新华社|新華社|中新社|中新网|中新網|中央社|法新社|路透社|美联社|美聯社|共同社|塔斯社|韩联社|韓聯社)"
# Forms distinctive enough to be taken even when the text follows without a space.
_STRONG = (
    rf"本[报報]{_PLACE}(?:{_DATE})?[讯訊电電]"
    rf"|{_AGENCY}(?:[记記]者[{_HAN}·]{{1,8}}?)?[{_HAN}]{{0,8}}?{_DATE}[电電]"
    rf"|[据據]{_AGENCY}[电電]"
)
# Forms that could open a sentence too (他在接受本报讯问时…): a space or the reporters must follow.
_WEAK = (
    rf"[{_HAN}]{{1,10}}?(?:晚报|日报|早报|时报|晚報|日報|早報|時報|报|報)[讯訊]"
    rf"|[{_HAN}]{{0,8}}(?:综合消息|綜合消息)"
)
_REPORTERS = rf"[{SPACE}]*[（(](?=[^（）()]*(?:{ROLE.pattern}))[^（）()\n]{{1,40}}[）)]"
_DATELINE = re.compile(
    rf"^(?P<dateline>(?:(?:{_STRONG})(?:{_REPORTERS})?|(?:{_WEAK})(?:(?:{_REPORTERS})|(?=[{SPACE}]|$))))"
    rf"[{SPACE}]*(?P<rest>.*)$"
)
# A bold line alone that reads as a dateline.
_DATELINE_WORD = re.compile(r"(讯|訊|电|電|消息|报道|報道)$")


def split_dateline(text: str) -> tuple[str, str] | None:
    """``(dateline, rest of the paragraph)`` when ``text`` opens with a dateline."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    return match["dateline"], match["rest"]


def is_dateline(text: str, bold: bool = False) -> bool:
    """A whole line that is a dateline: ``本报讯``, ``新华社北京11月27日电``, ``本报讯（记者 王某）``.

    A bold line alone needs less: any ``**…讯**``, ``**…电**``, ``**…消息**``.
    """
    found = split_dateline(text)
    return (found is not None and not found[1]) or (bold and _DATELINE_WORD.search(text) is not None)
