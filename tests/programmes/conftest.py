import pytest

from veiligthuis.extensions import db
from veiligthuis.programmes.models import Programme


def add_programme(
    name: str, kind: str, meetings: int, minutes: int, smallest: int, largest: int
) -> Programme:
    """A committed programme of ``meetings`` meetings of ``minutes``, ``smallest`` to
    ``largest`` participants."""
    programme = Programme(
        name=name,
        kind=kind,
        session_count=meetings,
        session_minutes=minutes,
        min_participants=smallest,
        max_participants=largest,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


@pytest.fixture
def men(app_ctx):
    """A men's programme: ten meetings of two hours, five to eight men."""
    return add_programme("Mannengroep", "men", 10, 120, 5, 8)


@pytest.fixture
def children(app_ctx):
    """A children's programme: eight meetings of an hour and a half, four to eight children."""
    return add_programme("Kindergroep", "children", 8, 90, 4, 8)
