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
from publisher.typeset.geometry import Geometry, load_geometry
from publisher.typeset.makeup import Block, Sheet, make_up
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
            texts += [line.text for line in piece.lines] if piece.kind == "paragraph" else [piece.text]
    return texts


def overlap(a: Block, b: Block) -> bool:
    return a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height and b.top < a.top + a.height


def check_sheets(sheets: list[Sheet], g: Geometry) -> None:
    pitch = g.line_pitch
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
        for a, b in itertools.combinations(sheet.blocks, 2):
            assert not overlap(a, b), (a, b)


def body_share(p: Page, g: Geometry, masthead: bool) -> float:
    """The share of the sheet's column lines the body text takes (heads not counted)."""
    from publisher.typeset.makeup import _stories

    lines = sum(item.lines for story in _stories(p, g) for item in story.items)
    height = g.sheet_lines - (g.make_up.masthead_lines if masthead else 0)
    return lines / (height * g.columns)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a shrink of whole pages takes minutes
@given(st.lists(st.integers(1, 40), min_size=1, max_size=8), st.integers(0, 1000))
# Found by hypothesis: the stories above could not leave a jumped story its head and three lines, and the
# next story, which fits whole across the width at the foot, was kept narrower than the lead (7 lines short).
@example([37, 22, 27, 13, 37, 31, 19, 19], 112)
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
    alone = page([20], seed=5, spans=(Hint(0, 2, "issue.yaml", 15),))
    with pytest.raises(InputError) as error:
        make_up([alone], g)
    assert "cannot tile a sheet" in str(error.value.problems[0])


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
