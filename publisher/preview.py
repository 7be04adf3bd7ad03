"""PNG images of the printed pages, for proofreading and design review.

WeasyPrint no longer writes PNG, so the PDF is built as usual into a
temporary folder and poppler's pdftoppm rasterises it: the images show
exactly what the print edition holds. The images are put in place together,
or none is.

A command over ``build``, as ``batch`` is: it sits above the stages it runs,
not in ``print``, which the build imports.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from .atomic import Staging, output_error
from .build import BuildOptions, build
from .errors import InputError, Problem, ToolError, missing_tool
from .limits import PREVIEW_DPI


def preview(issue_path: Path, out_dir: Path, options: BuildOptions, dpi: int = 100) -> list[Path]:
    low, high = PREVIEW_DPI
    if not low <= dpi <= high:
        raise InputError([Problem("command line", None, f"--dpi {dpi}: the resolution must be {low} to {high}")])
    if shutil.which("pdftoppm") is None:
        raise missing_tool("pdftoppm")
    options = dataclasses.replace(options, json=False, pdf=True, epub=False)
    with tempfile.TemporaryDirectory() as tmp:
        [pdf] = build(issue_path, Path(tmp), options)
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "page")], check=True,
                           capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ToolError(f"pdftoppm failed: {exc}") from None
        with Staging(out_dir) as staging:
            for number, image in enumerate(sorted(Path(tmp).glob("page*.png")), start=1):
                try:
                    shutil.copyfile(image, staging.path(out_dir / f"{pdf.stem}-{number:02d}.png"))
                except OSError as exc:
                    raise output_error(exc, out_dir) from None
            return staging.commit()
