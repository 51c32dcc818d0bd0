"""Issue 13: school holidays past the known years; changing a saved group."""

from datetime import date

from tests.groups.test_views import _form


def test_preview_in_2031_says_school_holidays_are_unknown(login_as, make_user, make_location):
    coordinator = make_user("coordinator")
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    client = login_as(coordinator)
    page = client.post(
        "/groepen/nieuw", data=_form(location, a, b, first_date="2031-06-02", preview="1")
    ).get_data(as_text=True)
    assert "schoolvakanties van 2031 zijn nog niet bekend" in page
    assert "sluitingsperiode" in page
    # Within the known years nothing is said.
    page = client.post(
        "/groepen/nieuw", data=_form(location, a, b, first_date="2026-04-20", preview="1")
    ).get_data(as_text=True)
    assert "nog niet bekend" not in page


def test_unknown_school_years_lists_the_years_without_data(app_ctx, make_location):
    from veiligthuis.extensions import db
    from veiligthuis.groups import service

    location = make_location()
    assert service.unknown_school_years(db.session, [date(2029, 12, 1)], location) == []
    # The data ends with the school year 2029-30: its summer holiday is known, autumn 2030 not.
    assert service.unknown_school_years(
        db.session, [date(2030, 6, 1), date(2030, 10, 21), date(2031, 1, 5)], location
    ) == [2030, 2031]


def test_finish_needs_the_checkbox_and_a_finished_group_can_be_reopened(login_as, make_group):
    import sqlalchemy as sa

    from veiligthuis.auth.models import AuditEntry
    from veiligthuis.extensions import db
    from veiligthuis.groups.models import Group, Participant

    group = make_group(participants=6)
    group.status = "running"
    group.participants[0].status = "dropped_out"
    group.participants[0].dropout_reason = "verhuisd"
    db.session.commit()
    client = login_as(group.facilitator_a)
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Ja, sluit de groep af" in page
    response = client.post(f"/groepen/{group.id}/afsluiten", follow_redirects=True)
    assert "Vink aan dat u de groep wilt afsluiten" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "running"
    assert client.post(f"/groepen/{group.id}/afsluiten", data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "completed"
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Groep weer openen" in page
    assert client.post(f"/groepen/{group.id}/heropenen").status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "running"
    statuses = sorted(db.session.scalars(sa.select(Participant.status)).all())
    assert statuses == ["active"] * 5 + ["dropped_out"]
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "finish_group" in actions and "reopen_group" in actions
