"""Render HTML to PDF with WeasyPrint; resources only from the app's own static folder.

The fetcher refuses the network and any file outside ``veiligthuis/static``: a template (or a
participant's alias in it) can never make the renderer read a local file or call out.

Long documents can be kept in a cache keyed on their content: the SHA-256 of the rendered HTML,
the renderer's version and the static files it may read. Any change to what is printed is a
new key, so nothing is ever invalidated by hand; and since only the view that already built
that exact HTML (after its access checks) can ask for that key, one group's or user's PDF is
never handed to another. Entries are files in PDF_CACHE_FOLDER (point several app servers at
one shared folder) and are deleted CACHE_DAYS after they were made, so a printed copy of
evaluation texts does not outlive the data by more than that.
"""

import functools
import hashlib
import logging
import mimetypes
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
import weasyprint.pdf.fonts
from flask import current_app
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


#: raise when the way we call the renderer changes, to retire every cached PDF at once
CACHE_FORMAT = 1
CACHE_DAYS = 7


@functools.cache
def _renderer_digest() -> str:
    """What besides the HTML decides the PDF: renderer version and every static file."""
    digest = hashlib.sha256(f"weasyprint {weasyprint.__version__}; {CACHE_FORMAT}".encode())
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(STATIC_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(html: str) -> str:
    """The cache key of the PDF for ``html``."""
    return hashlib.sha256(_renderer_digest().encode() + b"\n" + html.encode()).hexdigest()


def _prune(folder: Path, now: float) -> None:
    for entry in folder.glob("*.pdf"):
        try:
            if entry.stat().st_mtime < now - CACHE_DAYS * 86400:
                entry.unlink()
        except FileNotFoundError:  # another server pruned it first
            pass


def _cached(html: str, folder: Path) -> bytes:
    path = folder / f"{cache_key(html)}.pdf"
    try:
        if path.stat().st_mtime >= time.time() - CACHE_DAYS * 86400:
            return path.read_bytes()
    except FileNotFoundError:
        pass
    pdf = _render(html)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _prune(folder, time.time())
    # written whole under a temporary name, then renamed: a reader never sees half a file
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    return pdf


def _render(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


#: a page that touches what the printed documents use: both stylesheets, both fonts in both
#: weights, a table, a bitmap (the QR codes) and an SVG (the charts)
_WARM_UP_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>-</title>
<link rel="stylesheet" href="css/print-fonts.css"><link rel="stylesheet" href="css/print.css">
<link rel="stylesheet" href="css/evaluation-print.css"></head><body>
<h1>Een veilig thuis</h1><p>Vragenlijst <b>blz.</b> <span lang="ar">استبيان <b>استبيان</b></span></p>
<table><tr><th>1</th><td>2</td></tr></table>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==" alt="">
<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiPjxyZWN0IHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz48L3N2Zz4=" alt="">
</body></html>"""


def subsets_fonts_with_harfbuzz() -> bool:
    """Whether WeasyPrint cuts the embedded fonts down with HarfBuzz-Subset (libharfbuzz-subset0).

    Without the library it falls back to fontTools, which reads each font's whole positioning
    table for every PDF: a tenth to a quarter of a second per font, half again the time of a
    draaiboek."""
    fonts = weasyprint.pdf.fonts
    return fonts.harfbuzz_subset is not None and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


def warm_up() -> bytes:
    """Render a tiny document once, so this process's first real PDF skips the start-up.

    The first rendering in a process pays for reading the fonts and for what WeasyPrint sets
    up on first use (lazy imports, header parsing, image decoders); a server worker calls this
    before it takes requests (deploy/gunicorn.conf.py). Returns the PDF it made."""
    _renderer_digest()  # hashes every static file, once per process
    if not subsets_fonts_with_harfbuzz():
        # WeasyPrint's own warning goes to its logger, which nothing here shows
        logging.getLogger(__name__).warning(
            "PDFs are made without HarfBuzz-Subset and take half again as long: "
            "install libharfbuzz-subset0 (docs/deployment.md)"
        )
    return _render(_WARM_UP_HTML)


def render_pdf(html: str, *, cached: bool = False) -> bytes:
    """The PDF for ``html``; relative URLs resolve inside the static folder.

    With ``cached`` the PDF comes from (or goes to) the content-keyed cache: only for documents
    whose every byte follows from the HTML and that hold no secret (never code slips)."""
    folder = current_app.config.get("PDF_CACHE_FOLDER") if cached else None
    if not folder:
        return _render(html)
    return _cached(html, Path(folder))
