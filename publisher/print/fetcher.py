"""The only resources WeasyPrint may load: the layout's and fonts' own files, and data: URLs.

WeasyPrint's default fetcher reads any file:// path and the network; article
text is escaped, but a layout (perhaps from an untrusted issue folder) or a
future template bug must still not be able to pull /etc/passwd into a PDF,
read a named pipe or /dev/zero, or reach a server. A file is loaded only if
it is a layout file (``layouts.LAYOUT_SUFFIXES``), a regular file within the
size limit, and resolves, symbolic links followed, inside an allowed folder.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..layouts import LAYOUT_SUFFIXES, read_layout_file
from ..limits import SVG_FILES
from ..resources import FONTS_DIR, LAYOUTS_DIR
from ..untrusted import Refused
from .engine import weasyprint
from .svg_guard import TooComplex, check_file

_URLFetcher: Any = weasyprint.urls.URLFetcher


class LayoutOnlyFetcher(_URLFetcher):  # type: ignore[misc]
    """Fetches ``data:`` URLs and files under the allowed folders; refuses everything else."""

    def __init__(self, extra_roots: tuple[Path, ...] = ()) -> None:
        super().__init__(allowed_protocols=("data", "file"))
        self.roots = tuple(root.resolve() for root in (LAYOUTS_DIR, FONTS_DIR, *extra_roots))
        self.refused: list[str] = []
        self.outside: set[str] = set()  # those refused for where they are, not for what they hold
        self.svgs = 0  # SVG images fetched: an SVG's <image> may name itself

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:  # a URLFetcherResponse
        parts = urlsplit(url)
        if parts.scheme == "file":
            try:
                path = Path(unquote(parts.path)).resolve()
            except (OSError, RuntimeError, ValueError):
                path = None
            if path is None or not any(path.is_relative_to(root) for root in self.roots) \
                    or not path.name.lower().endswith(LAYOUT_SUFFIXES):
                self.refused.append(url)
                self.outside.add(url)
                raise PermissionError(f"{url} is outside the layout and font folders")
            try:
                data = read_layout_file(path, path.name)
            except Refused as refused:
                self.refused.append(f"{url} ({refused})")
                raise PermissionError(str(refused)) from None
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self._weigh(url, data, content_type)
            return weasyprint.urls.URLFetcherResponse(path.as_uri(), data, {"Content-Type": content_type})
        if parts.scheme != "data":
            self.refused.append(url)
            self.outside.add(url)
            raise PermissionError(f"{url}: only the layout's own files and data: URLs are loaded")
        response = super().fetch(url, headers)
        if response.content_type == "image/svg+xml":
            data = response.read()
            response.close()
            self._weigh(url[:60], data, response.content_type)
            return weasyprint.urls.URLFetcherResponse(response.url, data, {"Content-Type": response.content_type})
        return response

    def _weigh(self, url: str, data: bytes, content_type: str) -> None:
        """An SVG is weighed before WeasyPrint draws it (``svg_guard``); every file a layout names too,
        when it reads as SVG whatever its name."""
        if content_type != "image/svg+xml" and b"<svg" not in data[:4096]:
            return
        self.svgs += 1
        try:
            if self.svgs > SVG_FILES:
                raise TooComplex(f"more than {SVG_FILES} SVG images drawn in one layout (an SVG that draws itself?)")
            check_file(data)
        except TooComplex as refused:
            self.refused.append(f"{url} ({refused})")
            raise PermissionError(str(refused)) from None
