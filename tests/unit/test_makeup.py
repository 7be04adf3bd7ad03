"""Pages of 1–8 articles of random lengths made up on the real fonts: blocks on the grid, nothing lost, order kept."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from publisher.errors import InputError
from publisher.ingest.parse import parse_page
from publisher.model import Hint, Page
from publisher.typeset.blocks import Block
from publisher.typeset.geometry import Geometry, load_geometry
from publisher.typeset.makeup import MadeUpSheet, make_up, notes, section_fronts
from publisher.typeset.stories import Piece
from tests.conftest import SEED_PAGE

SENTENCES = [s + "。" for s in SEED_PAGE.read_text(encoding="utf-8").replace("\n", "").split("。")
             if 8 < len(s) < 90 and "#" not in s and "*" not in s]
HEADS = ["全力以赴保安全", "一着不让防风险 全力以赴保安全", "以快制快 以变应变 坚决遏制疫情扩散蔓延", "前三季度GDP增长5.2%",
         "筑牢群防群控坚固防线", "确保社会秩序平稳有序"]


def geometry() -> Geometry:
    return load_geometry(None)


def page_text(lengths: list[int], seed: int) -> str:
    """A raw page: one article per length (in sentences), each with a headline and paragraphs of 1–4 sentences."""
    rng = random.Random(seed)
    articles = []
    for number, length in enumerate(lengths):
        sentences = [rng.choice(SENTENCES) for _ in range(length)]
        paragraphs, index = [], 0
        while index < len(sentences):
            step = rng.randint(1, 4)
            paragraphs.append("".join(sentences[index:index + step]))
            index += step
        articles.append(f"# {HEADS[(number + seed) % len(HEADS)]}\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(articles) + "\n"


def page(lengths: list[int], seed: int, **hints: object) -> Page:
    return Page("A1", "要闻", Path("a1.txt"), tuple(parse_page(page_text(lengths, seed))), **hints)  # type: ignore[arg-type]


def printed(block: Block) -> list[str]:
    """Every text a block prints, in order: head lines, then each column's lines."""
    texts: list[str] = []
    if block.head is not None:
        for part in (block.head.kicker, block.head.headline, block.head.subheadline):
            texts += list(part.lines) if part else []
    for column in block.columns:
        for piece in column.pieces:
            if piece.kind != "jump":  # furniture the make-up adds where a story breaks, not the story's text
                texts += [line.text for line in piece.lines] if piece.kind == "paragraph" else [piece.text]
    return texts


def overlap(a: Block, b: Block) -> bool:
    return a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height and b.top < a.top + a.height


def check_columns_end_clean(block: Block) -> None:
    """No widow or orphan: a paragraph that goes on from one column to the next leaves neither its first line
    alone at the foot of one nor its last alone at the head of the next; no column ends with a subhead, none but
    the first starts with bylines or a caption."""
    for before, after in itertools.pairwise(block.columns):
        last, first = before.pieces[-1], after.pieces[0]
        assert last.kind != "subhead", last
        assert first.kind not in ("caption",) and not (first.kind == "bylines" and not first.head), first
        if last.kind == "paragraph" and not last.lines[-1].last:  # the paragraph goes on in the next column
            assert first.kind == "paragraph" and first.text == last.text
            assert not (len(last.lines) == 1 and last.lines[0].indent_pt > 0), last  # an orphan: its first line
            assert not (len(first.lines) == 1 and first.lines[0].last), first  # a widow: its last line


def check_sheets(sheets: list[MadeUpSheet], g: Geometry) -> None:
    pitch = g.line_pitch
    assert len({sheet.label for sheet in sheets}) == len(sheets)  # every sheet its own label
    for sheet in sheets:
        bottom = g.sheet_lines * pitch
        for block in sheet.blocks:
            assert block.left >= -0.01 and block.left + block.width <= g.content_width + 0.01
            assert block.top >= sheet.top - 0.01 and block.top + block.height <= bottom + 0.01
            # On the grid: whole columns and whole lines.
            span = round((block.width + g.column_gap) / (g.column_width + g.column_gap))
            assert abs(g.block_width(span) - block.width) < 0.01
            assert abs(round(block.top / pitch) * pitch - block.top) < 0.01
            assert abs(round(block.height / pitch) * pitch - block.height) < 0.01
            if block.head is not None and block.head.headline is not None:
                counts = block.head.headline.characters
                assert min(counts) * 3 >= max(counts), block.head.headline  # no stub
                assert len(counts) <= g.make_up.max_head_lines, block.head.headline
            check_columns_end_clean(block)
        for a, b in itertools.combinations(sheet.blocks, 2):
            assert not overlap(a, b), (a, b)


def body_share(p: Page, g: Geometry, masthead: bool) -> float:
    """The share of the sheet's column lines the body text takes (heads not counted)."""
    from publisher.typeset.stories import set_body

    lines = sum(item.lines for article in p.articles for item in set_body(article, g)[0])
    height = g.sheet_lines - (g.make_up.masthead_lines if masthead else 0)
    return lines / (height * g.columns)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a shrink of whole pages takes minutes
@given(st.lists(st.integers(1, 40), min_size=1, max_size=8), st.integers(0, 1000))
# Found by hypothesis: the stories above could not leave a jumped story its head and three lines, and the
# next story, which fits whole across the width at the foot, was kept narrower than the lead (7 lines short).
@example([37, 22, 27, 13, 37, 31, 19, 19], 112)
# Found by hypothesis: the best whole stories (the lead and a story beside a tall one) never end on one line,
# so no story could break at their foot, and the sheet was left 6 lines short; the next choice's can. The
# two after it were left 3 and 5 lines short the same way (found by a longer run).
@example([15, 21, 36, 21, 34], 0)
@example([2, 28, 26, 40, 34], 112)
@example([1, 34, 27, 40, 37, 27, 23], 929)
# Found by a longer run: the whole stories a sheet could hold were never arranged (the moves' budget was spent
# on choices too large for the sheet), so the sheet was left 9 lines short.
@example([40, 38, 30, 26, 19, 28, 35, 40], 894)
def test_random_pages_are_tiled_in_order_with_nothing_lost(lengths: list[int], seed: int) -> None:
    g = geometry()
    p = page(lengths, seed)
    sheets = make_up([p], g)
    check_sheets(sheets, g)
    # Every line of every article printed once; an article's own texts in order.
    blocks = [b for sheet in sheets for b in sheet.blocks]
    everything = [text for block in blocks for text in printed(block)]
    for article in p.articles:
        words = [t.value for t in article.texts()]
        body = "".join(w for w in words[1:])
        assert "".join(everything).count(body) == 1 or body in "".join(everything)
    source = "".join(t.value.replace(" ", "") for a in p.articles for t in a.texts())
    assert sorted("".join(everything).replace(" ", "")) == sorted(source)
    if len(sheets) == 1:  # on one sheet the page order is the reading order
        assert "".join(everything).replace(" ", "") == source
    # A sheet the text can fill is filled to its last grid line (within one line). Measured over 200 random
    # pages: 98 % of those whose body takes 62 % of the sheet or more, all of those at 75 % or more.
    if body_share(p, g, masthead=False) >= 0.75:
        assert sheets[0].spare_lines <= 1, [s.spare_lines for s in sheets]


def test_the_lead_is_at_the_top_and_widest_with_the_lead_headline() -> None:
    g = geometry()
    [sheet] = make_up([page([30, 12, 18, 9], seed=3)], g)
    lead = sheet.blocks[0]
    assert lead.lead and lead.top == sheet.top and lead.left == 0
    assert all(b.span <= lead.span for b in sheet.blocks)
    assert lead.span >= g.make_up.lead_min_columns
    others = [b.head.headline.size for b in sheet.blocks[1:] if b.head and b.head.headline]
    assert lead.head is not None and lead.head.headline is not None
    assert all(lead.head.headline.size >= size for size in others)


def test_blocks_stand_side_by_side_on_a_full_page() -> None:
    g = geometry()
    [sheet] = make_up([page([20, 15, 15, 10, 8], seed=7)], g)
    assert any(a.top < b.top + b.height and b.top < a.top + a.height for a, b in itertools.combinations(sheet.blocks, 2))
    assert sheet.spare_lines <= 1


def test_a_page_too_long_for_a_sheet_moves_whole_articles_on_never_the_lead() -> None:
    g = geometry()
    p = page([40, 40, 40, 40, 40, 40, 40], seed=11)
    sheets = make_up([p], g)
    assert len(sheets) >= 2
    assert sheets[0].continues and sheets[-1].continued and not sheets[0].continued
    assert sheets[0].blocks[0].lead
    assert sheets[0].spare_lines <= 1
    for sheet in sheets[1:]:
        assert not any(b.lead for b in sheet.blocks)


def test_an_article_longer_than_a_sheet_goes_on_across_sheets() -> None:
    g = geometry()
    text = "# 长文\n\n" + "".join(SENTENCES) * 6 + "\n\n# 短文\n\n" + SENTENCES[0] + "\n"
    p = Page("A1", "要闻", Path("a1.txt"), tuple(parse_page(text)))
    sheets = make_up([p], g)
    assert len(sheets) >= 3
    printed_all = "".join(t for s in sheets for b in s.blocks for t in printed(b))
    assert p.articles[0].blocks[0].text.value in printed_all
    assert all(s.spare_lines == 0 for s in sheets[:-1])


def test_issue_yaml_hints_lead_and_spans_are_honoured() -> None:
    g = geometry()
    p = page([30, 12, 18, 9], seed=5, lead=Hint(2, 3, "issue.yaml", 9), spans=(Hint(1, 2, "issue.yaml", 10),))
    [sheet] = make_up([p], g)
    heads = [b.head.label for b in sheet.blocks if b.head]
    assert heads[0] == p.articles[2].headline.value  # type: ignore[union-attr]
    assert sheet.blocks[0].lead
    second = next(b for b in sheet.blocks if b.head and b.head.label == p.articles[1].headline.value)  # type: ignore[union-attr]
    assert second.span == 2


def test_a_span_hint_that_cannot_be_honoured_is_an_error_at_its_line() -> None:
    g = geometry()
    too_wide = page([30, 12], seed=5, spans=(Hint(1, 9, "issue.yaml", 12),))
    with pytest.raises(InputError) as error:
        make_up([too_wide], g)
    assert str(error.value.problems[0]).startswith("issue.yaml:12:")
    assert "grid has 5" in error.value.problems[0].message
    too_short = page([30, 1], seed=5, spans=(Hint(1, 5, "issue.yaml", 14),))
    with pytest.raises(InputError) as error:
        make_up([too_short], g)
    assert str(error.value.problems[0]).startswith("issue.yaml:14:")
    # A story alone may keep to two columns: the rest of its sheet is left blank beside it, in one place (the
    # make-up used to refuse it: "cannot tile a sheet"). A lead held narrower than lead_min_columns keeps its
    # page's other story beside it.
    [alone] = make_up([page([20], seed=5, spans=(Hint(0, 2, "issue.yaml", 15),))], g)
    assert [b.span for b in alone.blocks] == [2]
    [narrow] = make_up([page([20, 10], seed=5, spans=(Hint(0, 2, "issue.yaml", 15),))], g)
    assert narrow.blocks[0].span == 2 and narrow.blocks[1].left > narrow.blocks[0].left
    # A block too narrow for its headline (more than three lines) is not one the make-up can take.
    squeezed = page([20, 10], seed=5, spans=(Hint(0, 1, "issue.yaml", 16),))
    with pytest.raises(InputError) as error:
        make_up([squeezed], g)
    assert str(error.value.problems[0]) == ("issue.yaml:16: page A1, article 1: its headline does not fit 1 columns "
                                            "in 3 lines")


def test_the_sample_fills_its_sheet_as_a_mosaic() -> None:
    from publisher.ingest.issue_yaml import load_issue
    from tests.conftest import SEED_ISSUE

    issue = load_issue(SEED_ISSUE)
    g = load_geometry(issue.page_size, issue.layout)
    # The front page; its page of photographs (A2) fills once the make-up places the pictures.
    [sheet] = make_up(issue.pages[:1], g)
    check_sheets([sheet], g)
    assert sheet.spare_lines == 0
    assert len({b.span for b in sheet.blocks}) > 1


def marked_page(heads: list[tuple[str, str, int]], seed: int, label: str = "A1") -> Page:
    """A page of articles given as (mark, headline, sentences): ``#`` or ``##``."""
    rng = random.Random(seed)
    text = "\n\n".join(f"{mark} {head}\n\n" + "".join(rng.choice(SENTENCES) for _ in range(length))
                       for mark, head, length in heads)
    return Page(label, "要闻", Path(f"{label.lower()}.txt"), tuple(parse_page(text + "\n")))


def headline_sizes(sheet: MadeUpSheet) -> dict[str, float]:
    return {b.head.label: b.head.headline.size for b in sheet.blocks if b.head and b.head.headline}


def test_the_story_marked_lead_leads_with_the_largest_headline_and_a_brief_gets_a_small_one() -> None:
    g = geometry()
    front = marked_page([("##", "确保社会秩序平稳有序", 14), ("#", "一着不让防风险 全力以赴保安全", 22),
                         ("##", "前三季度GDP增长5.2%", 16), ("##", "筑牢群防群控坚固防线", 2)], seed=4)
    [sheet] = make_up([front], g)
    lead = sheet.blocks[0]
    assert lead.lead and lead.head is not None and lead.head.label == "一着不让防风险 全力以赴保安全"
    sizes = headline_sizes(sheet)
    assert sizes[lead.head.label] == max(sizes.values())
    assert all(size <= sizes[lead.head.label] - g.make_up.rank_step_pt for head, size in sizes.items()
               if head != lead.head.label)
    assert sizes["筑牢群防群控坚固防线"] <= 3 * g.type["body"]  # a brief: two sentences under a small head
    assert sizes[lead.head.label] >= g.make_up.tiers["front_lead"].min_pt


def test_inside_leads_are_clearly_smaller_than_the_front_lead() -> None:
    g = geometry()
    pages = [marked_page([("#", "一着不让防风险 全力以赴保安全", 30), ("##", "确保社会秩序平稳有序", 12)], seed=1),
             marked_page([("#", "以快制快 以变应变", 40), ("##", "前三季度GDP增长5.2%", 10)], seed=2, label="A2"),
             marked_page([("#", "全力以赴保安全", 50)], seed=3, label="A3")]
    sheets = make_up(pages, g)
    front = max(headline_sizes(sheets[0]).values())
    for sheet in sheets[1:]:
        assert max(headline_sizes(sheet).values()) <= g.make_up.inside_lead_ratio * front


def test_a_story_that_breaks_names_the_sheet_it_goes_on_on_and_is_answered_there() -> None:
    g = geometry()
    text = "# 长文\n\n" + "".join(SENTENCES) * 6 + "\n\n## 短文\n\n" + SENTENCES[0] + "\n"
    sheets = make_up([Page("A4", "本地", Path("a4.txt"), tuple(parse_page(text)))], g)
    assert [s.label for s in sheets][:3] == ["A4", "A4续", "A4续2"]
    for here, there in itertools.pairwise(sheets):
        goes = [b for b in here.blocks if b.continues]
        comes = [b for b in there.blocks if b.continued]
        assert len(goes) == len(comes) == 1
        assert goes[0].columns[-1].pieces[-1] == Piece("jump", f"（下转{there.label}版）")
        assert comes[0].columns[0].pieces[0] == Piece("jump", f"（上接{here.label}版）")
    said = notes(sheets)
    assert said[0].startswith("A4: the copy runs ") and said[0].endswith("lines over the sheet; it goes on on "
                                                                          + ", ".join(s.label for s in sheets[1:]))


def test_a_sheet_the_copy_cannot_fill_says_so_and_keeps_its_blank_at_the_foot() -> None:
    g = geometry()
    [sheet] = make_up([marked_page([("#", "全力以赴保安全", 12), ("##", "确保社会秩序平稳有序", 4)], seed=9)], g)
    pitch = g.line_pitch
    assert notes([sheet]) == [f"A1: the copy fills {sheet.filled:.0%} of the sheet"]
    assert 0.1 < sheet.filled < 0.5
    # No block stands below blank height: every block's top is the sheet's top or a gap under another block.
    for block in sheet.blocks:
        above = [b for b in sheet.blocks if b.left < block.left + block.width and block.left < b.left + b.width
                 and b.top < block.top]
        assert block.top == sheet.top or any(
            abs(b.top + b.height + g.make_up.block_gap_lines * pitch - block.top) < 0.01 for b in above)


def test_section_fronts_carry_a_flag_and_the_front_page_an_ear_of_the_inside_leads() -> None:
    g = geometry()
    labels = ["A1", "A2", "B1", "B2", "C1"]
    pages = [marked_page([("#", f"第{n}版头条 全力以赴保安全", 12)], seed=n, label=label)
             for n, label in enumerate(labels)]
    assert section_fronts(pages) == {2, 4}
    sheets = make_up(pages, g)
    assert [s.flag for s in sheets] == [None, None, "B", None, "C"]
    assert [s.masthead for s in sheets] == [True, False, False, False, False]
    assert [(e.label, e.headline) for e in sheets[0].ear] == [(p.label, p.articles[0].headline.value)  # type: ignore[union-attr]
                                                             for p in pages[1:]]
    assert sheets[2].top == g.make_up.flag_lines * g.line_pitch
