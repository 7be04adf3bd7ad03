"""Each sheet of the print edition as a PDF of its own, as NDNP's page-level PDF.

The page is copied with its resources (embedded font subsets, images), and
the edition's PDF/A identification (XMP metadata, output intent) and language
come along, so a page PDF is as archival as the edition it was cut from. The
file identifier is derived from the content, so the same edition cuts to the
same bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..pdflib import pikepdf

_CARRIED = ("/Metadata", "/OutputIntents", "/Lang", "/MarkInfo", "/ViewerPreferences")


def split_sheets(edition: Path, targets: list[Path]) -> list[Path]:
    """Write sheet i of ``edition`` to ``targets[i]``."""
    with pikepdf.open(edition) as source:
        if len(source.pages) != len(targets):
            raise ValueError(f"{edition.name} has {len(source.pages)} sheets, {len(targets)} targets given")
        for index, target in enumerate(targets):
            with pikepdf.new() as page_pdf:
                page_pdf.pages.append(source.pages[index])
                for key in _CARRIED:
                    if key in source.Root:
                        value = source.Root[key]
                        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
                            # Containers are copied with what they refer to; copy_foreign wants an indirect one.
                            value = page_pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))
                        page_pdf.Root[key] = value
                page_pdf.save(target, deterministic_id=True, fix_metadata_version=False)
    return targets
