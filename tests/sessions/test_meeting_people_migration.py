"""Issue 13: meetings get their own facilitators and room. A database built by the code at
revision 8e4f1a2b3c5d, with its demo groups, upgrades: every meeting is given its group's
people and room (what it showed until then), the columns are required, and it goes back down."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.test_ops_upgrade import demo_upgraded_from
from veiligthuis.extensions import db

BEFORE = "8e4f1a2b3c5d"
#: the code at that revision, before meetings kept their own people and room
BEFORE_COMMIT = "d0ac617"


FILLED = """
SELECT count(*) FROM group_sessions s JOIN groups g ON g.id = s.group_id
WHERE s.facilitator_a_id = g.facilitator_a_id AND s.facilitator_b_id = g.facilitator_b_id
  AND s.room_id = g.room_id
"""


def test_demo_meetings_get_their_groups_people_and_room(app, tmp_path):
    with demo_upgraded_from(app, tmp_path, BEFORE_COMMIT, BEFORE):
        with db.engine.connect() as connection:
            meetings = connection.scalar(sa.text("SELECT count(*) FROM group_sessions"))
            assert meetings >= 24
            assert connection.scalar(sa.text(FILLED)) == meetings
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("group_sessions")}
        for name in ("facilitator_a_id", "facilitator_b_id", "room_id"):
            assert columns[name]["nullable"] is False
        downgrade(revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("group_sessions")}
        assert "room_id" not in columns and "facilitator_a_id" not in columns
        upgrade()
