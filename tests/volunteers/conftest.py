"""Factories for volunteers and their shifts."""

import pytest

from tests.partners.conftest import make_partner  # noqa: F401  (a fixture these tests use)
from veiligthuis.extensions import db
from veiligthuis.volunteers import service
from veiligthuis.volunteers.models import Task


@pytest.fixture
def make_volunteer(app_ctx, make_user):
    def make(name=None, tasks=(Task.CHILDCARE, Task.WELCOME, Task.TRANSPORT), trained=True):
        from datetime import date

        user = make_user("volunteer", name=name)
        coordinator = make_user("coordinator")
        volunteer = service.save_volunteer(
            db.session,
            coordinator,
            None,
            user_id=user.id,
            has_training=trained,
            vog_seen_date=date(2026, 8, 1) if trained else None,
            tasks=list(tasks),
        )
        db.session.commit()
        return volunteer

    return make
