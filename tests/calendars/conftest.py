"""Fixtures for calendars: reuse the methodiek factory of the documents tests."""

import pytest

from tests.documents.factories import build_methodiek_version
from veiligthuis.extensions import db


@pytest.fixture
def make_version(app_ctx):
    """A published methodiek version with twelve plans; groups made after it pin it."""

    def make(label="2026.1"):
        version = build_methodiek_version(db.session, label=label)
        db.session.commit()
        return version

    return make


def parse_both(data: bytes):
    """The calendar parsed by icalendar and by vobject (an independent parser)."""
    import icalendar
    import vobject

    text = data.decode("utf-8")
    return icalendar.Calendar.from_ical(data), vobject.readOne(text)


def vevents(calendar) -> list:
    """The VEVENTs of an icalendar Calendar, in file order."""
    return [c for c in calendar.walk("VEVENT")]
