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
