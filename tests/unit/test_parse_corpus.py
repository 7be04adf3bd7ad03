"""The parser on a corpus of made-up pages of several papers (tests/parse_corpus/).

Each page has its expected JSON and the role of every source line. The JSON
must come out exactly; every character of the page must be in exactly one
field of it (in the page's order once the ``normalised`` offsets are undone).
"""

from __future__ import annotations

import json
import os
import re

import pytest

from publisher.ingest.images import Shelf
from publisher.ingest.parse import article_json, read_page
from publisher.typeset.punctuation import HALF_WIDTH
from tests.conftest import ROOT, SEED_PAGE, SEEDS

CORPUS = ROOT / "tests" / "parse_corpus"
PAGES = {path.stem: path for path in sorted(CORPUS.glob("*.txt"))} | {"seed-a1": SEED_PAGE,
                                                                      "seed-a2": SEEDS / "a2.txt"}
MARKUP = re.compile(r"[\s#*]")
MARKER = re.compile(r"^[ \t\u3000]*\{[A-Za-z][A-Za-z_-]*\}", re.MULTILINE)
# An image line's markup: all but its alt text.
IMAGE = re.compile(r"^!\[([^\]]*)\]\([^)]*\)[ \t]*(?:\{[^}]*\})?$", re.MULTILINE)


def page_json(name: str) -> dict[str, object]:
    page = PAGES[name]
    parsed = read_page(page.read_text(encoding="utf-8"), page.name, Shelf(page.parent))
    return {"articles": [article_json(a) for a in parsed.articles]}


def test_the_corpus_has_pages_of_several_papers_in_both_scripts() -> None:
    pages = [path.read_text(encoding="utf-8") for path in PAGES.values()]
    assert len(PAGES) >= 10
    assert sum("報" in page or "記者" in page for page in pages) >= 3  # Traditional pages
    assert all((CORPUS / f"{name}.json").is_file() and (CORPUS / f"{name}.roles").is_file() for name in PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_parses_to_its_expected_json(name: str) -> None:
    expected_path = CORPUS / f"{name}.json"
    got = page_json(name)
    if os.environ.get("PUBLISHER_SAVE_GOLDEN"):
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def expected_roles(name: str) -> dict[int, str]:
    lines = (CORPUS / f"{name}.roles").read_text(encoding="utf-8").splitlines()
    return {int(number): roles for number, roles in (line.split("\t") for line in lines if line)}


def given_roles(name: str) -> dict[int, str]:
    page = PAGES[name]
    result = {}
    for decision in read_page(page.read_text(encoding="utf-8"), page.name, Shelf(page.parent)).decisions:
        runs = [role for i, role in enumerate(decision.roles) if i == 0 or decision.roles[i - 1] != role]
        result[decision.line] = "+".join(runs)
    return result


@pytest.mark.parametrize("name", PAGES)
def test_every_line_gets_its_role(name: str) -> None:
    assert given_roles(name) == expected_roles(name)


def test_share_of_lines_classified_right() -> None:
    """The figure of the issue's note, over the whole corpus (the sample included)."""
    right = total = 0
    for name in PAGES:
        expected, given = expected_roles(name), given_roles(name)
        total += len(expected)
        right += sum(given.get(line) == roles for line, roles in expected.items())
    assert total >= 200
    assert right / total == 1.0


def restore(text: str, offsets: list[int]) -> str:
    chars = list(text)
    for offset in offsets:
        chars[offset] = HALF_WIDTH[chars[offset]]
    return "".join(chars)


def json_texts(article: dict[str, object]) -> list[str]:
    """The article's texts as the JSON contract orders them, with the source punctuation back."""
    offsets: dict[str, object] = article["normalised"]  # type: ignore[assignment]

    def field(name: str) -> list[str]:
        value = article[name]
        return [restore(value, offsets.get(name, []))] if isinstance(value, str) else []  # type: ignore[arg-type]

    blocks: list[dict[str, object]] = article["blocks"]  # type: ignore[assignment]
    bylines: list[str] = article["bylines"]  # type: ignore[assignment]
    after: list[int] = article["byline_after"]  # type: ignore[assignment]
    byline_offsets: dict[str, list[int]] = offsets.get("bylines", {})  # type: ignore[assignment]
    first = next((i for i, b in enumerate(blocks) if b["kind"] == "paragraph"), None)
    texts = field("kicker") + field("headline") + field("subheadline")
    if first is None:
        texts += field("dateline")
    for index in range(len(blocks) + 1):
        texts += [restore(b, byline_offsets.get(str(i), [])) for i, b in enumerate(bylines) if after[i] == index]
        if index == len(blocks):
            break
        if index == first:
            texts += field("dateline")
        block = blocks[index]
        if block["kind"] == "picture":  # alt text, caption, credit: each its own field
            own: dict[str, list[int]] = block.get("normalised", {})  # type: ignore[assignment]
            texts += [restore(block[key], own.get(key, [])) for key in ("alt", "caption", "credit")  # type: ignore[arg-type]
                      if block[key] is not None]
        else:
            texts.append(restore(block["text"], block.get("normalised", [])))  # type: ignore[arg-type]
    return texts


@pytest.mark.parametrize("name", PAGES)
def test_every_character_is_in_exactly_one_field(name: str) -> None:
    source = MARKUP.sub("", MARKER.sub("", IMAGE.sub(r"\1", PAGES[name].read_text(encoding="utf-8"))))
    articles = page_json(name)["articles"]
    parsed = "".join(MARKUP.sub("", text) for article in articles for text in json_texts(article))  # type: ignore[attr-defined]
    assert parsed == source
