import pytest

from veiligthuis.extensions import db
from veiligthuis.programmes.models import Programme


@pytest.fixture
def men(app_ctx):
    """A men's programme: ten meetings of two hours, five to eight men."""
    programme = Programme(
        name="Mannengroep",
        kind="men",
        session_count=10,
        session_minutes=120,
        min_participants=5,
        max_participants=8,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


@pytest.fixture
def children(app_ctx):
    """A children's programme: eight meetings of an hour and a half, four to eight children."""
    programme = Programme(
        name="Kindergroep",
        kind="children",
        session_count=8,
        session_minutes=90,
        min_participants=4,
        max_participants=8,
    )
    db.session.add(programme)
    db.session.commit()
    return programme
