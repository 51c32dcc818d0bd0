"""Fixtures for printed documents: a methodiek version made directly with the models."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import emptied_folder
from tests.documents.factories import build_methodiek_version
from veiligthuis.extensions import db


@pytest.fixture
def cache(app):
    """The PDF cache folder, empty at the start of the test and removed after it."""
    yield from emptied_folder(app.config["PDF_CACHE_FOLDER"])


@pytest.fixture
def make_version(app_ctx):
    """A published methodiek version with twelve plans; groups made after it pin it."""

    def make(label="2026.1", *, realistic=False, titles=None):
        version = build_methodiek_version(
            db.session, label=label, realistic=realistic, titles=titles
        )
        db.session.commit()
        return version

    return make


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a reader of the PDF gets it."""
    assert data[:5] == b"%PDF-", data[:40]
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All text of a PDF."""
    return "\n".join(pdf_pages(data))
