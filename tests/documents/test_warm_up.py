"""A server worker warms the PDF renderer before its first request, with the app's own fonts:
the first PDF a worker prints does not pay WeasyPrint's start-up."""

import logging
import re

import pytest

from tests.documents.conftest import pdf_text
from tests.pdfcheck import assert_only_shipped_fonts, embedded_fonts
from tests.servers import Server
from veiligthuis.pdf import warm_up

# the workers are other processes, on the real clock
pytestmark = pytest.mark.real_clock


def test_the_warm_up_renders_with_both_shipped_fonts_in_both_weights():
    pdf = warm_up()
    assert_only_shipped_fonts(pdf)
    assert {name for name, _family in embedded_fonts(pdf)} == {
        "VT-Sans",
        "VT-Sans-Bold",
        "VT-Arabic",
        "VT-Arabic-Bold",
    }
    assert "Een veilig thuis" in pdf_text(pdf)


def test_every_production_worker_warms_the_renderer_and_freezes_its_start_up_objects(app, tmp_path):
    server = Server(app.config["SQLALCHEMY_DATABASE_URI"], "warm-up-secret", tmp_path)
    try:
        # gunicorn runs post_worker_init before the worker accepts: answered means warmed
        server.wait_healthy()
    finally:
        log = server.stop()
    assert "PDF renderer ready in" in log, log[-3000:]
    # and then sets what it loaded aside from garbage collection: the app, its libraries, fonts
    frozen = re.search(r"(\d+) start-up objects left out of garbage collection", log)
    assert frozen is not None, log[-3000:]
    assert int(frozen.group(1)) > 50_000


def test_a_server_without_harfbuzz_subset_is_told_at_warm_up(monkeypatch, caplog):
    # WeasyPrint then subsets each font with fontTools, which reads the font's whole
    # positioning table for every PDF: half again the time of a draaiboek. The library is
    # made missing where WeasyPrint looks it up, so the rendering really takes that path.
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    with caplog.at_level(logging.WARNING, logger="veiligthuis"):
        pdf = warm_up()
    assert_only_shipped_fonts(pdf)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("veiligthuis")]
    assert any("libharfbuzz-subset0" in message for message in warnings), warnings
