"""Half-width punctuation to full-width in Chinese context, recoverable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.typeset.punctuation import normalise, restore


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("昨天,省委书记", "昨天，省委书记"),
        ("全体(扩大)会议", "全体（扩大）会议"),
        ("新冠(COVID-19)疫情", "新冠（COVID-19）疫情"),
        ("吗?我;他:好!", "吗？我；他：好！"),
        ("增长5.2%,同比", "增长5.2%，同比"),
        ("时间12:30开始", "时间12:30开始"),
        ("共3,000人", "共3,000人"),
        ("Hello, world (again)", "Hello, world (again)"),
        ("䶮,𠀀", "䶮，𠀀"),
        ('他说:"好的,明天见!"然后', "他说：“好的，明天见！”然后"),
        ('He said "yes" twice', 'He said "yes" twice'),
        # Chinese context is the line breaker's CJK class: circled numbers, ℃ and Extension H count.
        ("38℃,25℃", "38℃，25℃"),
        ("①,Ⓐ", "①，Ⓐ"),
        ("\U00031350,字", "\U00031350，字"),
    ],
)
def test_normalise(source: str, expected: str) -> None:
    assert normalise(source).value == expected


def test_compatibility_ideographs_are_kept() -> None:
    # NFC would turn U+F900 into U+8C48: never normalise Unicode forms.
    assert normalise("\uf900,字").value == "\uf900，字"


@given(st.text(alphabet=st.sampled_from(list('中文abc12 ,()?;:!.%，（）"“”'))))
def test_restore_gives_back_the_source(source: str) -> None:
    text = normalise(source)
    assert len(text.value) == len(source)
    assert restore(text) == source
