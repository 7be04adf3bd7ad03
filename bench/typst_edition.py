"""The benchmark issue set by Typst, the tool a user who wants good Chinese typesetting would pick instead.

The same parsed articles (``publisher.ingest.issue_yaml.load_issue``) in the same
geometry (``publisher.typeset.geometry``), handed to ``bench/layouts/typst/issue.typ``
as JSON: Typst reads them as data, never as markup. Photographs are read by
Typst itself from the issue's folder, which is the compilation's root (the
template is copied there). Needs the optional
``bench`` extra (PyPI ``typst``); ``make test`` does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent / "layouts" / "typst" / "issue.typ"


def available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def version() -> str:
    from importlib.metadata import version as installed

    return installed("typst")


def issue_data(issue_yaml: Path) -> dict[str, Any]:
    """The issue as the Typst template reads it: geometry in pt, pages of articles of plain strings."""
    from publisher.ingest.issue_yaml import load_issue
    from publisher.model import Picture
    from publisher.typeset.geometry import load_geometry

    issue = load_issue(issue_yaml)
    g = load_geometry(issue.page_size, issue.layout)
    pages = []
    for page in issue.pages:
        articles = []
        for article in page.articles:
            dateline = article.dateline.value if article.dateline else None
            blocks: list[dict[str, str | None]] = []
            for block in article.blocks:
                if isinstance(block, Picture):
                    blocks.append({"kind": "picture", "file": "/" + block.image.file,
                                   "text": block.caption_with_credit(), "dateline": None})
                elif block.kind == "subhead":
                    blocks.append({"kind": "subhead", "text": block.text.value, "dateline": None})
                else:
                    blocks.append({"kind": "paragraph", "text": block.text.value, "dateline": dateline})
                    dateline = None
            if dateline is not None:  # a dateline with no paragraph after it
                blocks.insert(0, {"kind": "paragraph", "text": "", "dateline": dateline})
            articles.append({
                "kicker": article.kicker.value if article.kicker else None,
                "headline": article.headline.value if article.headline else None,
                "subheadline": article.subheadline.value if article.subheadline else None,
                "blocks": blocks,
                "bylines": [b.value for b in article.bylines],
            })
        pages.append({"label": page.label, "section": page.section, "articles": articles})
    return {
        "title": issue.title,
        "paper": issue.paper,
        "date": f"{issue.date_text} {issue.weekday}",
        "geometry": {
            "width": g.width, "height": g.height, "columns": g.columns, "column_gap": g.column_gap,
            "margin_top": g.margin_top, "margin_bottom": g.margin_bottom,
            "margin_inside": g.margin_inside, "margin_outside": g.margin_outside,
            "body": g.type["body"], "pitch": g.line_pitch,
        },
        "pages": pages,
    }


def compile_pdf(data: dict[str, Any], out: Path, root: Path) -> Path:
    """Set ``data`` (``issue_data``) with Typst into the PDF ``out``; ``root``: the issue's folder."""
    import typst

    template = root / ".typst-issue.typ"
    template.write_bytes(TEMPLATE.read_bytes())
    try:
        typst.compile(str(template), output=str(out), root=str(root),
                      sys_inputs={"issue": json.dumps(data, ensure_ascii=False)})
    finally:
        template.unlink()
    return out


def column_width(data: dict[str, Any]) -> float:
    """The width of one of the Typst edition's columns (pt): every body line is set to it."""
    g = data["geometry"]
    text_width = g["width"] - g["margin_inside"] - g["margin_outside"]
    return float((text_width - (g["columns"] - 1) * g["column_gap"]) / g["columns"])
