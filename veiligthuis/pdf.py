"""Render HTML to PDF with WeasyPrint; resources only from the app's own static folder.

The fetcher refuses the network and any file outside ``veiligthuis/static``: a template (or a
participant's alias in it) can never make the renderer read a local file or call out.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (Path(__file__).parent / "static").resolve()
#: base URL for print templates: ``{{ pdf_base }}css/print.css`` or relative ``css/print.css``
BASE_URL = STATIC_DIR.as_uri() + "/"

# WeasyPrint decides by the content type whether a response is a stylesheet, font or image.
_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}


class StaticOnlyFetcher(URLFetcher):
    """Serve ``file://`` URLs inside the static folder and ``data:`` URIs; refuse the rest."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"refused: {url[:80]}")
        content_type = _TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_path(url: str) -> Path | None:
    """The file inside the static folder that ``url`` names, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    # resolve() follows "..", and symlinks, before the containment check.
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


def render_pdf(html: str) -> bytes:
    """The PDF for ``html``; relative URLs resolve inside the static folder."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
