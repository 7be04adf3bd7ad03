"""What `publisher check` reports: findings with stable codes, per edition, as text or JSON.

Every code is declared once here with its severity and a hint, as in Standard
Ebooks' lint: the code is what users search for and silence, so it never
changes meaning; a new check gets a new code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import printable

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    severity: Severity
    title: str
    hint: str


RULES: dict[str, Rule] = {
    # EPUB edition
    "EPUB001": Rule("error", "not a readable EPUB", "the file is not a zip with a container and package document"),
    "EPUB002": Rule("error", "epubcheck error", "fix what epubcheck reports; readers may refuse the book"),
    "EPUB003": Rule("warning", "epubcheck warning", "epubcheck accepts the book, but a reader may not"),
    "EPUB004": Rule("error", "accessibility metadata missing",
                    "EPUB Accessibility 1.1 needs this <meta property> in the package document"),
    "EPUB005": Rule("error", "no page-list", "the navigation document needs <nav epub:type=\"page-list\">, "
                    "which maps the printed pages"),
    "EPUB006": Rule("error", "empty page-list", "the page-list needs one link per printed page"),
    "EPUB007": Rule("error", "embedded font too large", "subset the font to the characters of the book (< 2 MB)"),
    "EPUB008": Rule("error", "script", "the edition must not carry scripts: readers run them, archives refuse them"),
    "EPUB009": Rule("error", "event handler attribute", "on* attributes are scripts; remove them"),
    "EPUB010": Rule("error", "javascript: URL", "a javascript: link is a script; remove it"),
    "EPUB011": Rule("error", "remote resource", "every resource must be inside the book; a reader offline shows "
                    "nothing and a remote server learns who reads"),
    "EPUB012": Rule("error", "source text missing", "a paragraph of the issue is not in the EPUB text; "
                    "the layout or a conversion lost or changed it"),
    "EPUB013": Rule("info", "text fidelity not checked",
                    "the edition's language differs from the source (a converted edition); compare by eye"),
    "EPUB014": Rule("error", "unsafe archive entry", "an entry named with ../ or an absolute path, a symbolic "
                    "link, or a name given twice: unpacking the book would write or point outside its folder, or "
                    "readers would disagree on its content"),
    "EPUB015": Rule("error", "external DTD or entity declaration", "a DOCTYPE with an internal subset or an "
                    "external DTD, or an <!ENTITY>: a parser would fetch, open or expand what it names, so the "
                    "book was not given to epubcheck; EPUB 3 documents use <!DOCTYPE html> alone"),
    "EPUB016": Rule("error", "a file or item named more than once", "a manifest lists each file once and a "
                    "spine each item once (epubcheck's OPF-074, OPF-034); epubcheck reads a document once per name, "
                    "so such a book is not given to it"),
    # Print edition
    "PDF001": Rule("error", "not a readable PDF", "the file is damaged or not a PDF"),
    "PDF002": Rule("error", "font not embedded", "a font that is not embedded prints in whatever the viewer has"),
    "PDF003": Rule("error", "font without ToUnicode", "without a ToUnicode map the text cannot be searched, "
                   "copied or read aloud"),
    "PDF004": Rule("info", "no PDF/A claim", "build with --pdf-variant pdf/a-3u (or pdf/a-2u) for archives"),
    "PDF005": Rule("error", "PDF/A without output intent", "PDF/A needs an output intent with an ICC profile"),
    "PDF006": Rule("error", "PDF/A without document ID", "PDF/A needs the /ID array in the trailer"),
    "PDF007": Rule("error", "PDF/A XMP metadata unusable",
                   "PDF/A needs an XMP metadata stream (/Type /Metadata /Subtype /XML) in the catalog, "
                   "unfiltered for PDF/A-1"),
    "PDF008": Rule("error", "PDF/A-2 with attachments", "PDF/A-2 may embed only PDF/A files; use pdf/a-3u to "
                   "attach the sources"),
    "PDF009": Rule("error", "attachment without AFRelationship",
                   "PDF/A-3 needs /AFRelationship on every attached file"),
    "PDF010": Rule("error", "PDF/A encrypted", "PDF/A forbids encryption"),
    "PDF011": Rule("error", "prohibited line start", "a line begins with a mark the prohibition tables keep off "
                   "a line's head at the layout's level (、。，）”‼・々 …; at the strict level —— or …… and small "
                   "kana but on a paragraph's first line); the line breaker let it through"),
    "PDF012": Rule("error", "prohibited line end", "a line ends with a mark the prohibition tables keep off a "
                   "line's end (（“《￥ …; from the GB-style level a solidus ／)"),
    "PDF013": Rule("error", "justified lines not flush", "fewer than 98% of the justified body lines end flush "
                   "with the column (judged from 20 justified lines on)"),
    "PDF014": Rule("error", "source text missing", "a paragraph of the issue is not in the PDF text layer; "
                   "check fonts (ToUnicode) and the print templates"),
    "PDF015": Rule("warning", "justified lines loose", "the space justification adds between characters is "
                   "uneven: the line breaker should compress punctuation and choose a paragraph's breaks together "
                   "(judged from 20 justified lines on)"),
    "PDF016": Rule("warning", "picture under 200 ppi", "the photograph prints soft: a newspaper asks 170-200 ppi at "
                   "the printed size; give a larger original or a smaller span"),
    "PDF017": Rule("error", "picture under 100 ppi", "the photograph prints in visible pixels; give a larger "
                   "original or a smaller span"),
    # Archive files (METS, ALTO, page images)
    "ARC001": Rule("error", "not a readable METS document", "the file is not XML or its root is not mets:mets"),
    "ARC002": Rule("error", "archive file missing", "a file the METS lists (or a page's ALTO or PDF) is not in the "
                   "package; package the issue again"),
    "ARC003": Rule("error", "archive file changed", "a file does not match the SHA-256 the METS gives for it"),
    "ARC004": Rule("error", "page image unusable", "the page image must open, state its resolution and cover "
                   "the page at it"),
    "ARC005": Rule("error", "a file listed for more than one page", "each page of the physical structure map has "
                   "an image, a PDF and an ALTO file of its own; the page listed again is not checked again"),
    "ALTO001": Rule("error", "not a readable ALTO file", "the file is not ALTO v4 XML with a MeasurementUnit and "
                    "a Page"),
    "ALTO002": Rule("error", "ALTO text does not match the PDF", "every character the PDF draws must be in the "
                    "String on it, and every String must spell what the PDF draws there; the ALTO was made from "
                    "another PDF or changed"),
    "ALTO003": Rule("error", "ALTO box not on its glyph", "a String's box must start and end where the PDF draws "
                    "its glyphs (within 0.5 pt)"),
    "ALTO004": Rule("error", "ALTO box outside the page", "every String must lie on its page"),
    "ALTO005": Rule("error", "ALTO article text differs from the source", "an article read through the ALTO blocks "
                    "the METS points at must be the source article, in reading order"),
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) about an edition, and where."""

    code: str
    message: str
    file: str  # the edition, or the source file for a text-fidelity finding
    location: str | None = None  # "page 2", "EPUB/text/p01.xhtml:14", "a1.txt:7" …

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "location": self.location,
            "hint": self.rule.hint,
        }

    def __str__(self) -> str:
        where = f"{self.file} {self.location}" if self.location else self.file
        return f"{self.severity} {self.code} {where}: {self.message}"


Metric = int | float | str | None


@dataclass(frozen=True)
class EditionReport:
    """The verdict on one edition: what was measured, what was found."""

    file: str
    kind: str  # "pdf" or "epub"
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "metrics": self.metrics,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class CheckReport:
    editions: tuple[EditionReport, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for edition in self.editions for f in edition.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def passed(self) -> bool:
        return self.count("error") == 0

    def to_json(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "counts": {severity: self.count(severity) for severity in SEVERITIES},
            "editions": [e.to_json() for e in self.editions],
        }

    def to_text(self) -> str:
        lines: list[str] = []
        for edition in self.editions:
            # A file under check names its own entries and titles, and epubcheck repeats them: an escape
            # sequence or a line break among them must not rewrite the terminal or forge a line.
            lines.append(f"{printable(edition.file)} ({edition.kind}): {printable(_summary(edition))}")
            for finding in edition.findings:
                lines.append(f"  {printable(str(finding))}")
                lines.append(f"      hint: {finding.rule.hint}")
        counts = ", ".join(_plural(self.count(s), s) for s in SEVERITIES)
        verdict = "passed" if self.passed else "FAILED"
        lines.append(f"{_checked(self.editions)} checked: {counts} — {verdict}")
        return "\n".join(lines) + "\n"


def _checked(reports: tuple[EditionReport, ...]) -> str:
    """What was checked, in words: editions, and a package's METS with the sheets it lists."""
    editions = [r for r in reports if r.kind != "archive"]
    archives = [r for r in reports if r.kind == "archive"]
    parts = [_plural(len(editions), "edition")] if editions else []
    if archives:
        sheets = sum(int(r.metrics.get("sheets") or 0) for r in archives)
        what = "a package's METS" if len(archives) == 1 else f"{len(archives)} packages' METS"
        parts.append(f"{what} (its files' checksums, {_plural(sheets, 'sheet')}: ALTO against the PDF, page image)")
    return " and ".join(parts) or "nothing"


def _summary(edition: EditionReport) -> str:
    shown = ", ".join(f"{key} {value}" for key, value in edition.metrics.items() if value is not None)
    by_code = Counter(f.code for f in edition.findings)
    found = ", ".join(f"{code}×{n}" for code, n in sorted(by_code.items())) or "no findings"
    return f"{shown}; {found}" if shown else found


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Errors first, then by code: the order is stable so reports diff cleanly."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return tuple(sorted(findings, key=lambda f: (rank[f.severity], f.code)))
