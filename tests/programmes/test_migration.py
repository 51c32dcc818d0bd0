"""The existing women's groups move into the default programme: a database built by the code
at revision 7d2e4b6a1c35 with its demo data upgrades, and every group, method book and staff
member lands in the women's group programme."""

import sqlalchemy as sa

from tests.test_ops_upgrade import demo_upgraded_from
from veiligthuis.extensions import db

BEFORE_PROGRAMMES = "7d2e4b6a1c35"
#: the code as it was at that revision, before programmes
BEFORE_COMMIT = "1811942"


def test_demo_database_upgrades_into_the_default_programme(app, tmp_path):
    with demo_upgraded_from(app, tmp_path, BEFORE_COMMIT, BEFORE_PROGRAMMES):
        with db.engine.connect() as connection:
            programmes = connection.execute(
                sa.text(
                    "SELECT id, kind, session_count, session_minutes, min_participants,"
                    " max_participants, is_default FROM programmes"
                )
            ).all()
            assert len(programmes) == 1
            default_id, kind, count, minutes, low, high, is_default = programmes[0]
            assert (kind, count, minutes, low, high, bool(is_default)) == (
                "women",
                12,
                150,
                6,
                12,
                True,
            )
            groups = connection.execute(sa.text("SELECT programme_id FROM groups")).all()
            assert len(groups) >= 2
            assert {g[0] for g in groups} == {default_id}
            versions = connection.execute(
                sa.text("SELECT programme_id FROM methodiek_versions")
            ).all()
            assert versions and {v[0] for v in versions} == {default_id}
            users = connection.scalar(sa.text("SELECT count(*) FROM users"))
            members = connection.scalar(
                sa.text("SELECT count(*) FROM programme_members WHERE programme_id = :p"),
                {"p": default_id},
            )
            assert users > 0 and members == users
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("groups")}
        assert columns["programme_id"]["nullable"] is False
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("methodiek_versions")}
        assert columns["programme_id"]["nullable"] is False
        # the women's sessions share no theme with another programme's: nothing filled in
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("methodiek_sessions")}
        assert columns["aligned_with"]["nullable"] is True
        with db.engine.connect() as connection:
            assert connection.execute(
                sa.text("SELECT count(*), count(aligned_with) FROM methodiek_sessions")
            ).one()[1:] == (0,)
