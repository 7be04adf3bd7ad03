"""The only resources WeasyPrint may load: the layout's and fonts' own files, and data: URLs.

WeasyPrint's default fetcher reads any file:// path and the network; article
text is escaped, but a user layout or a future template bug must still not
be able to pull /etc/passwd into a PDF or reach a server.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .fonts import FONTS_DIR
from .layouts import LAYOUTS_DIR


class LayoutOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``data:`` URLs and files under the allowed folders; refuses everything else."""

    def __init__(self, extra_roots: tuple[Path, ...] = ()) -> None:
        super().__init__(allowed_protocols=("data", "file"))
        self.roots = tuple(root.resolve() for root in (LAYOUTS_DIR, FONTS_DIR, *extra_roots))
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                self.refused.append(url)
                raise PermissionError(f"{url} is outside the layout and font folders")
        elif parts.scheme != "data":
            self.refused.append(url)
            raise PermissionError(f"{url}: only the layout's own files and data: URLs are loaded")
        return super().fetch(url, headers)
