"""Methodiek fixtures: a small valid version, written out or imported."""

import pytest

from tests.methodiek.factories import make_content, publish_content
from veiligthuis.extensions import db
from veiligthuis.methodiek.files import write_folder


@pytest.fixture
def folder(tmp_path):
    """A valid methodiek folder in tmp_path."""
    root = tmp_path / "methodiek"
    write_folder(make_content(), root)
    return root


@pytest.fixture
def published(app_ctx):
    """A small published version (2026.1)."""
    return publish_content(db.session)
