"""PNG images of the printed pages, for proofreading and design review.

WeasyPrint no longer writes PNG, so the PDF is built as usual into a
temporary folder and poppler's pdftoppm rasterises it: the images show
exactly what the print edition holds.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from .build import BuildOptions, build
from .errors import ToolError
from .output import atomic_path


def preview(issue_path: Path, out_dir: Path, options: BuildOptions, dpi: int = 100) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise ToolError("pdftoppm (poppler-utils) is not installed; run `make setup`")
    options = dataclasses.replace(options, json=False, pdf=True, epub=False)
    with tempfile.TemporaryDirectory() as tmp:
        [pdf] = build(issue_path, Path(tmp), options)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "page")], check=True)
        written = []
        for number, image in enumerate(sorted(Path(tmp).glob("page*.png")), start=1):
            with atomic_path(out_dir / f"{pdf.stem}-{number:02d}.png") as target:
                shutil.copyfile(image, target)
            written.append(out_dir / f"{pdf.stem}-{number:02d}.png")
    return written
