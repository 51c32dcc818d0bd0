"""`flask documents warm`: the draaiboek of a group that meets soon is in the cache before the
first facilitator asks for it; groups not meeting soon are left alone."""

from datetime import timedelta

from veiligthuis.extensions import db
from veiligthuis.groups.documents_cli import groups_meeting_soon
from veiligthuis.sessions.schedule import today_local

MARKER = b"%PDF-1.7\n% rendered ahead by the daily command\n"


def test_warm_puts_the_draaiboek_of_a_group_meeting_soon_in_the_cache(
    cache, runner, login_as, make_group, make_version
):
    make_version()
    soon = make_group(name="Linde najaar", first_date=today_local() + timedelta(days=2))
    make_group(name="Eik voorjaar", first_date=today_local() + timedelta(days=60))
    result = runner.invoke(args=["documents", "warm"])
    assert result.exit_code == 0, result.output
    assert "1 draaiboek klaargezet." in result.output
    # one entry: the group meeting in two months was not made ahead
    [entry] = sorted(cache.glob("*.pdf"))
    entry.write_bytes(MARKER)  # what the download gets now proves it came from the cache
    client = login_as(soon.facilitator_a)
    assert client.get(f"/groepen/{soon.id}/draaiboek.pdf").data == MARKER


def test_only_planned_and_running_groups_with_a_meeting_that_takes_place(
    app_ctx, make_group, make_version
):
    make_version()
    day = today_local() + timedelta(days=1)
    meeting = make_group(first_date=day)
    cancelled = make_group(first_date=day)
    cancelled.status = "cancelled"
    past = make_group(first_date=today_local() - timedelta(days=200))
    db.session.commit()
    found = {group.id for group in groups_meeting_soon(db.session, 7)}
    assert meeting.id in found and not found & {cancelled.id, past.id}
