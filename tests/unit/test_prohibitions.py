"""The line-start and line-end tables against the references' own lists, through the real breaker.

Each reference's list is written here as the reference gives it (clreq's
prohibition levels and punctuation tables, jlreq's classes cl-01…cl-13, the
web-platform tests' character lists, UAX #14's classes), not read from the
tables under test; for every character and every level the breaker's break
points (``paragraph.prepare``, with the real fonts) must allow or forbid the
break exactly as expected. Where the references disagree, the expectation
says which one wins and why.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.typeset.cjk.breaking import Span, set_paragraph
from publisher.typeset.cjk.paragraph import BreakKind, prepare_paragraph
from publisher.typeset.cjk.prohibitions import LEVELS, LONGEST, Level, prohibitions, tables

SIZE = 9.0
EM = SIZE
ALL: tuple[Level, ...] = LEVELS
STRICT: tuple[Level, ...] = ("strict",)
GB_UP: tuple[Level, ...] = ("gb", "strict")


@dataclass(frozen=True)
class Reference:
    name: str
    marks: tuple[str, ...]  # characters, or sequences that are one mark (——)
    position: str  # "start": may the mark start a line? "end": end one?
    forbidden_at: tuple[Level, ...]  # the levels at which the break must not be made
    why: str = ""


def chars(text: str) -> tuple[str, ...]:
    return tuple(text)


def code_points(*cps: int) -> tuple[str, ...]:
    return tuple(chr(cp) for cp in cps)


CJ = chars("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ")

REFERENCES = [
    # W3C clreq §3.1.4, its levels, with the marks of its Appendix A tables.
    Reference("clreq basic: pause or stop marks (A.1)", chars("。．，、：；！‼？⁇"), "start", ALL),
    Reference("clreq basic: closing quotation marks, brackets, book-title marks (A.3)", chars("」』”’）》〉】〗〕］｝"),
              "start", ALL),
    Reference("clreq basic: connector marks (A.2)", chars("～-–—"), "start", ALL, "a single em dash is a connector"),
    Reference("clreq basic: interpuncts (A.2)", chars("·・‧"), "start", ALL),
    Reference("clreq basic: solidi (A.2), in its Chinese text", chars("/／"), "start", ALL),
    Reference("clreq basic: opening quotation marks, brackets, book-title marks (A.3)", chars("「『“‘（《〈【〖〔［｛"),
              "end", ALL),
    Reference("clreq GB-style: solidi end no line", chars("/／"), "end", GB_UP),
    Reference("clreq strict: two-em dashes and ellipses (A.2)", ("——", "⸺", "……", "⋯⋯"), "start", STRICT),
    # W3C jlreq Appendix A: §3.1.7 keeps cl-02…cl-07, cl-09…cl-11 off a line's head, §3.1.8 cl-01 off its end.
    Reference("jlreq cl-01 opening brackets", code_points(
        0x2018, 0x201C, 0x28, 0x3014, 0x5B, 0x7B, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x2985, 0x3018, 0x3016,
        0xAB, 0x301D), "end", ALL),
    Reference("jlreq cl-02 closing brackets", code_points(
        0x2019, 0x201D, 0x29, 0x3015, 0x5D, 0x7D, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x2986, 0x3019, 0x3017,
        0xBB, 0x301F), "start", ALL),
    Reference("jlreq cl-03 hyphens", code_points(0x2010, 0x301C, 0x30A0, 0x2013), "start", ALL,
              "jlreq's default (strict) convention and clreq's connector marks; CSS's normal level allows them"),
    Reference("jlreq cl-04 dividing punctuation marks", code_points(0x21, 0x3F, 0x203C, 0x2047, 0x2048, 0x2049),
              "start", ALL),
    Reference("jlreq cl-05 middle dots", code_points(0x30FB, 0x3A, 0x3B), "start", ALL),
    Reference("jlreq cl-06 full stops", code_points(0x3002, 0x2E), "start", ALL),
    Reference("jlreq cl-07 commas", code_points(0x3001, 0x2C), "start", ALL),
    Reference("jlreq cl-09 iteration marks", code_points(0x30FD, 0x30FE, 0x309D, 0x309E, 0x3005, 0x303B),
              "start", ALL, "jlreq's very strict convention, as the web-platform tests at normal and strict"),
    Reference("jlreq cl-10 prolonged sound mark", code_points(0x30FC), "start", STRICT,
              "jlreq's very strict convention only; CSS normal allows it (CJ)"),
    Reference("jlreq cl-11 small kana", code_points(
        0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x3063, 0x3083, 0x3085,
        0x3087, 0x308E, 0x3095, 0x3096, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,
        *range(0x31F0, 0x3200)), "start", STRICT, "jlreq's very strict convention only; CSS normal allows them (CJ)"),
    Reference("jlreq cl-12 prefixed abbreviations", code_points(0xA5, 0x24, 0xA3, 0x23, 0x20AC), "end", ALL),
    # cl-13's squared units (㌃ …) and ℓ are bound to a number before them only (§3.1.10): after an
    # ideograph a line may break there (UAX #14 ID and AL), so they are not in this list.
    Reference("jlreq cl-13 postfixed abbreviations (signs)", code_points(0xB0, 0x2032, 0x2033, 0x2103, 0xA2, 0x25,
                                                                       0x2030), "start", ALL),
    # web-platform-tests css/css-text/i18n/{zh,ja}/css-text-line-break-*: each file's charlist.
    Reference("WPT zh-cpm (NOT at line start at normal, strict)", code_points(
        0x30FB, 0xFF1A, 0xFF1B, 0xFF65, 0x203C, 0x2047, 0x2048, 0x2049, 0xFF01, 0xFF1F), "start", ALL),
    Reference("WPT zh-hyphens (NOT at line start at strict)", code_points(0x2010, 0x2013, 0x301C, 0x30A0), "start",
              ALL, "clreq's connector marks and jlreq cl-03 keep them off a line's head at basic too"),
    Reference("WPT zh-in (NOT at line start at normal, strict): leaders", code_points(0x2024, 0x2025, 0xFE19, 0x10AF6),
              "start", ALL),
    Reference("WPT zh-in: the ellipses", code_points(0x2026, 0x22EF), "start", STRICT,
              "clreq's own rule: its basic and GB-style levels let an ellipsis start a line, its strict level not"),
    Reference("WPT zh-iteration (NOT at line start at normal, strict)", code_points(
        0x3005, 0x303B, 0x309D, 0x309E, 0x30FD, 0x30FE), "start", ALL),
    Reference("WPT zh-po (NOT at line start at normal, strict)", code_points(
        0xB0, 0x2030, 0x2032, 0x2033, 0x2035, 0x2103, 0x2109, 0xFE6A, 0xFF05, 0xFFE0), "start", ALL),
    Reference("WPT ja-cj (at line start at normal, NOT at strict)", CJ, "start", STRICT),
    # Unicode LineBreak.txt 15.0.0 (UAX #14): the classes' characters of East Asian width F, W, A or H
    # in the blocks Chinese text draws on (ASCII, Latin-1, General Punctuation, letterlike symbols, math
    # operators, supplemental punctuation, CJK symbols, kana, vertical, small and full/half-width forms).
    Reference("UAX #14 OP", chars("¡¿〈《「『【〔〖〘〚〝︗︵︷︹︻︽︿﹁﹃﹇﹙﹛﹝（［｛｟｢"), "end", ALL),
    Reference("UAX #14 CL", chars("、。〉》」』】〕〗〙〛〞〟︑︒︘︶︸︺︼︾﹀﹂﹄﹈﹐﹒﹚﹜﹞），．］｝｠｡｣､"), "start", ALL),
    Reference("UAX #14 EX", chars("︕︖﹖﹗！？"), "start", ALL),
    Reference("UAX #14 IS", chars("︐︓︔"), "start", ALL),
    Reference("UAX #14 NS", chars("々〜〻〼゛゜ゝゞ゠・ヽヾ﹔﹕：；･ﾞﾟ"), "start", ALL),
    Reference("UAX #14 IN: leaders", chars("․‥︙"), "start", ALL),
    Reference("UAX #14 IN: the ellipsis", chars("…"), "start", STRICT, "clreq's own rule, as for WPT zh-in"),
    Reference("UAX #14 CJ (NS for strict line breaking, ID for normal)", CJ, "start", STRICT),
    Reference("UAX #14 PO", chars("°‰′″‵℃℉﹪％￠"), "start", ALL),
    Reference("UAX #14 PR", chars("¤±№﹩＄￡￥￦"), "end", ALL),
]


def breaks_between(before: str, after: str, level: Level) -> bool:
    """Does the real breaker let a line end between ``before`` and ``after`` in running Chinese text?"""
    text = "文字" + before + after + "文字"
    p = prepare_paragraph((Span(text),), SIZE, "serif", 0.25, level)
    return (2 + len(before), BreakKind.NORMAL) in p.breaks


def allowed(mark: str, position: str, level: Level) -> bool:
    return breaks_between("", mark, level) if position == "start" else breaks_between(mark, "", level)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("reference", REFERENCES, ids=lambda r: r.name)
def test_every_mark_of_every_reference_at_every_level(reference: Reference, level: Level) -> None:
    expected_forbidden = level in reference.forbidden_at
    wrong = [f"U+{ord(m[0]):04X} {m}" for m in reference.marks
             if allowed(m, reference.position, level) == expected_forbidden]
    verb = "may" if expected_forbidden else "may not"
    assert not wrong, f"{reference.name} at {level}: these {verb} {reference.position} a line: {wrong}"


def test_a_mark_is_forbidden_only_where_a_reference_says_so() -> None:
    # Ideographs, kana and the Latin letters around them break freely at every level.
    for level in LEVELS:
        for ch in "文あア字Aa1":
            assert allowed(ch, "start", level) and allowed(ch, "end", level), (ch, level)


def test_two_of_an_inseparable_mark_never_part_at_any_level() -> None:
    for level in LEVELS:
        for pair in ("——", "……", "‥‥", "⋯⋯"):
            assert not breaks_between(pair[0], pair[1], level), (pair, level)


def test_a_url_may_still_break_after_its_solidus_at_every_level() -> None:
    for level in LEVELS:
        rules = prohibitions(level)
        assert rules.at_end("见www.example.cn/") is None  # a Latin letter before it: no 分隔号
        assert (rules.at_end("五十三元／") is not None) == (level != "basic")


# --- the tables themselves -------------------------------------------------------


def test_every_entry_is_the_character_its_code_and_name_say() -> None:
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("publisher.typeset.cjk").joinpath("prohibitions.toml").read_text("utf-8"))
    for kind, table in data["classes"].items():
        assert table.get("start", "basic") in LEVELS and table.get("end", "basic") in LEVELS, kind
        for entry in table["chars"]:
            text = entry["text"]
            assert entry["code"] == " ".join(f"U+{ord(c):04X}" for c in text), entry
            assert entry["name"] == ", ".join(unicodedata.name(c) for c in text), entry
            assert entry["sources"], entry
            assert set(entry["sources"]) <= set(data["sources"]), entry


def test_each_entry_cites_only_sources_the_tables_describe_and_every_source_is_cited() -> None:
    cited = {source for rule in tables().rules for source in rule.sources}
    assert cited == set(tables().sources)


def test_a_mark_has_one_rule_per_position_and_the_breaker_sees_enough_of_it() -> None:
    seen = [(rule.text, rule.position) for rule in tables().rules]
    assert len(seen) == len(set(seen))
    assert max(len(rule.text) for rule in tables().rules) + 1 <= LONGEST


def test_each_level_adds_to_the_one_before() -> None:
    for looser, stricter in itertools.pairwise(LEVELS):
        assert prohibitions(looser).starters <= prohibitions(stricter).starters
        assert prohibitions(looser).enders <= prohibitions(stricter).enders
    assert prohibitions("basic").at_start("——好") is None  # a dash, not a connector
    assert prohibitions("basic").at_start("—好") is not None  # a connector


# --- real text ---------------------------------------------------------------------

# Each case: the sentence with "|" where no line may break, and the levels that forbid it.
REAL_TEXT = [
    ("你们知道吗|‼”大家都笑了起来，说这是今年最好的消息。", ALL),
    ("我们一直在思考|⁇答案是明天就能揭晓，请大家耐心等待。", ALL),
    ("门票价格为五十三元／|人，儿童和老人半价，学生凭证优惠。", GB_UP),
    ("日本选手佐|々木朗希在比赛中表现出色，赢得观众掌声。", ALL),
    ("这家センタ|ー的负责人介绍说，今年客流量明显增加。", STRICT),
    ("活动名为パーティー|・タイム，吸引了很多年轻人前来参加。", ALL),
]


def boundaries(text: str, width_em: float, level: Level) -> set[int]:
    lines = set_paragraph([Span(text)], width_em * EM, SIZE, indent_em=0, level=level)
    ends, at = set(), 0
    for line in lines[:-1]:
        at += len(line.text)
        ends.add(at)
    return ends


@pytest.mark.parametrize(("marked", "forbidden_at"), REAL_TEXT, ids=[t for t, _ in REAL_TEXT])
def test_real_text_never_breaks_where_the_tables_forbid(marked: str, forbidden_at: tuple[Level, ...]) -> None:
    cut = marked.index("|")
    text = marked.replace("|", "")
    widths = [w / 4 for w in range(12, 60)]  # 3 to 15 em: every width puts some line's end near the mark
    for level in LEVELS:
        hits = [w for w in widths if cut in boundaries(text, w, level)]
        if level in forbidden_at:
            assert not hits, f"{level}: broke at {marked!r} at widths {hits}"
        else:
            assert hits, f"{level}: the break is allowed, and some width should take it"
    # The widths do reach the place: with ideographs on both sides of it some line ends there.
    plain = text[:cut - 1] + "字字" + text[cut + 1:]
    assert any(cut in boundaries(plain, w, "strict") for w in widths)


# --- the property ------------------------------------------------------------------

COVERED_MARKS = (
    "、。，．：；！？‼⁇⁈⁉）］｝〕〉》」』】〗〙’”～–—‐〜・·‧／…⋯⸺‥々〻ゝゞヽヾー"
    "ぁぃぅぇぉっゃゅょァィゥェォッャュョ％‰℃°′″（［｛〔〈《「『【〖‘“￥＄"
)
IDEOGRAPHS = "中国人民政府市区今年工作会议表示新闻记者发展经济社会文化"


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.sampled_from([*IDEOGRAPHS, *COVERED_MARKS, "——", "……", "abc", "2022"]), min_size=1,
                    max_size=80),
    width=st.floats(min_value=3, max_value=16),
    level=st.sampled_from(LEVELS),
)
def test_no_printed_line_starts_or_ends_where_the_tables_forbid(pieces: list[str], width: float,
                                                                  level: Level) -> None:
    text = "".join(pieces)
    lines = set_paragraph([Span(text)], width * EM, SIZE, level=level)
    assert "".join(ln.text for ln in lines) == text
    rules = prohibitions(level)
    for ln in lines[1:]:
        assert rules.at_start(ln.text) is None, (ln.text, rules.at_start(ln.text))
    for ln in lines[:-1]:
        visible = ln.text.rstrip(" ")
        assert rules.at_end(visible) is None, (visible, rules.at_end(visible))
