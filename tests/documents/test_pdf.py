"""veiligthuis.pdf: the renderer reads only the app's own static files, never the network."""

import http.server
import threading
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text
from tests.pdfcheck import assert_only_shipped_fonts
from veiligthuis.pdf import BASE_URL, STATIC_DIR, StaticOnlyFetcher, render_pdf, static_path


@pytest.fixture
def local_server():
    """A web server on 127.0.0.1 that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's API)
            hits.append(self.path)
            body = b"p::after { content: 'VAN HET NET'; }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_fetcher_serves_static_files_with_their_type():
    response = StaticOnlyFetcher().fetch(BASE_URL + "css/print-fonts.css")
    assert response.headers.get_content_type() == "text/css"
    assert b"@font-face" in response.read()
    response.close()
    font = StaticOnlyFetcher().fetch(BASE_URL + "fonts/NotoSansArabic-Regular.ttf")
    assert font.headers.get_content_type() == "font/ttf"
    font.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        BASE_URL + "../__init__.py",
        BASE_URL + "css/../../pdf.py",
        BASE_URL + "%2e%2e/config.py",
        BASE_URL + "css",  # a folder, not a file
        BASE_URL + "css/geen-bestand.css",
        "file://elders.example.org" + STATIC_DIR.as_posix() + "/css/print.css",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
        "//example.org/x.css",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    assert static_path(url) is None
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyFetcher().fetch(url)


def test_render_reads_no_file_outside_static(tmp_path):
    secret = tmp_path / "geheim.css"
    secret.write_text("p::after { content: 'GEHEIM UIT BESTAND'; }")
    image = tmp_path / "foto.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>GEHEIME FOTO</text></svg>')
    html = (
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        f'<link rel="stylesheet" href="css/../../../{secret.name}">'
        f'<p>Zichtbaar</p><img src="{image.as_uri()}" alt="">'
        '<object data="file:///etc/passwd"></object><iframe src="file:///etc/hostname"></iframe>'
    )
    text = pdf_text(render_pdf(html))
    assert "Zichtbaar" in text
    assert "GEHEIM" not in text
    hostname = Path("/etc/hostname").read_text().strip()
    assert not hostname or hostname not in text


def test_render_calls_nobody_on_the_network(local_server):
    base, hits = local_server
    html = (
        f'<link rel="stylesheet" href="{base}/stijl.css">'
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}"
        f"@font-face {{ font-family: X; src: url({base}/font.ttf) }} p {{ font-family: X }}</style>"
        f'<p>Alleen tekst</p><img src="{base}/foto.png" alt="">'
    )
    text = pdf_text(render_pdf(html))
    assert "Alleen tekst" in text
    assert "VAN HET NET" not in text
    assert hits == []
    # the server does answer: the renderer simply never asked
    import urllib.request

    with urllib.request.urlopen(f"{base}/probe.css", timeout=5) as response:
        assert b"VAN HET NET" in response.read()
    assert hits == ["/probe.css"]


def test_print_stylesheet_and_shipped_fonts_are_used():
    text = pdf_text(
        render_pdf('<link rel="stylesheet" href="css/print.css"><h1>Titel</h1><p>x</p>')
    )
    assert "blz. 1 van 1" in text  # the page counter from print.css
    assert_only_shipped_fonts(
        render_pdf(
            '<link rel="stylesheet" href="css/print-fonts.css">'
            '<link rel="stylesheet" href="css/print.css"><p>Merhaba şğıİ مرحبا</p>'
        )
    )
    for name in (
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        "OFL.txt",
    ):
        assert (STATIC_DIR / "fonts" / name).is_file(), name
