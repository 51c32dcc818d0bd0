"""Render HTML to PDF with WeasyPrint; resources only from the app's own static folder.

The fetcher refuses the network and any file outside ``veiligthuis/static``: a template (or a
participant's alias in it) can never make the renderer read a local file or call out.
"""

from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (Path(__file__).parent / "static").resolve()
#: base URL for print templates: ``{{ pdf_base }}css/print.css`` or relative ``css/print.css``
BASE_URL = STATIC_DIR.as_uri() + "/"


class StaticOnlyFetcher(URLFetcher):
    """Serve ``file://`` URLs inside the static folder and ``data:`` URIs; refuse the rest."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith("file://"):
            raise ValueError(f"refused: {url[:80]}")
        path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise ValueError(f"refused: {url[:80]}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def render_pdf(html: str) -> bytes:
    """The PDF for ``html``; relative URLs resolve inside the static folder."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
