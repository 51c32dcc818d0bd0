"""Recruitment in the report: referrers informed beside referrals by source, and partner kinds."""

from datetime import date

import pytest

from tests.methodiek.factories import make_content, publish_content
from tests.partners.conftest import make_partner, referral_data
from tests.reports.conftest import csv_files, report_for
from tests.reports.test_suppression import recover
from veiligthuis.extensions import db
from veiligthuis.groups import service as groups_service
from veiligthuis.models import DomainError
from veiligthuis.partners import service as partners_service
from veiligthuis.partners.models import PartnerKind
from veiligthuis.reports import outreach
from veiligthuis.reports.suppression import MIN_COUNT

__all__ = ["make_partner"]
TODAY = date(2026, 11, 20)
REFERRERS = """# Verwijzers die de begeleiders informeren.
referrers:
  - kind: huisarts
    label: Huisarts
    why: Ziet veel vrouwen.
  - kind: wijkteam
    label: Wijkteam
    why: Kent gezinnen.
  - kind: ggz
    label: GGZ
    why: Behandelt klachten.
"""


def _table(report, key):
    return next(t for t in report.tables if t.key == key)


@pytest.fixture
def referrer_list(app_ctx):
    content = make_content()
    content.documents["werving/verwijzers.yaml"] = REFERRERS
    return publish_content(db.session, content=content)


def _tick(actor, kind, month=date(2026, 3, 1), **fields):
    return outreach.add_contact(
        db.session, actor, kind=kind, month=month, contacted_by=None, today=TODAY, **fields
    )


def _women(group, n, source):
    for _ in range(n):
        data = groups_service.ParticipantData(
            alias="Anna", status="waiting", referral_source=source
        )
        groups_service.add_participant(db.session, group.facilitator_a, group, data)


def test_referrers_informed_stand_beside_the_referrals_of_their_kind(
    referrer_list, make_user, make_group
):
    coordinator = make_user("coordinator")
    group = make_group(first_date=date(2026, 2, 2), participants=0)
    _women(group, 7, "huisarts")
    _women(group, 2, "wijkteam")
    _women(group, 6, "self")  # the smallest other figure: hidden with the two
    for _ in range(3):
        _tick(coordinator, "huisarts", organisation="Praktijk De Linde")
    _tick(coordinator, "wijkteam")
    _tick(coordinator, "ggz", month=date(2026, 10, 1))
    _tick(coordinator, "huisarts", month=date(2025, 12, 1))  # before the period
    db.session.commit()
    report = report_for()
    table = _table(report, "verwijzers_benaderd")
    rows = {r.label: r.cells for r in table.rows}
    assert table.columns == ["keer benaderd", "aanmeldingen"]
    assert (rows["huisarts"][0].shown_n, rows["huisarts"][1].shown_n) == (3, 7)
    # one informed team is a fact about staff work: shown; two women referred are not
    assert rows["wijkteam"][0].shown_n == 1 and rows["wijkteam"][1].is_hidden
    assert rows["anders"][0].shown_n == 1  # GGZ is no referral source of its own
    assert "Onder 'anders' benaderd: GGZ 1." in table.notes
    assert table.total_row.cells[0].shown_n == 5
    # the referrals are the referral-source table's own cells: hidden there, hidden here
    sources = _table(report, "referral_source")
    assert rows["wijkteam"][1] is next(r for r in sources.rows if r.label == "wijkteam").cells[-1]
    hidden = [c for t in report.tables for r in t.all_rows for c in r.cells if c.is_hidden]
    assert hidden and not {id(c) for c in hidden} & recover(report.tables)
    text = csv_files(report)["verwijzers_benaderd.csv"]
    assert "huisarts;3;7" in text and "wijkteam;1;x" in text
    assert "De Linde" not in "\n".join(csv_files(report).values())


def test_only_referrers_of_the_list_and_months_begun(referrer_list, make_user):
    coordinator = make_user("coordinator")
    with pytest.raises(DomainError, match="verwijzer uit de lijst"):
        _tick(coordinator, "politie")
    with pytest.raises(DomainError, match="nog niet begonnen"):
        _tick(coordinator, "huisarts", month=date(2026, 12, 1))
    contact = _tick(coordinator, "huisarts", month=date(2026, 11, 17))
    assert contact.month == date(2026, 11, 1)  # the month, never the day
    assert contact.contacted_by_id == coordinator.id and contact.referrer_label == "Huisarts"


def _referrals(make_partner, actor, kind, name, n, group=None, converted=0):
    partner, token = make_partner(name=name, kind=kind, actor=actor)
    address = partners_service.find_address(db.session, token)
    made = [
        partners_service.submit_referral(db.session, address, referral_data(), date(2026, 4, 2))
        for _ in range(n)
    ]
    for referral in made[:converted]:
        partners_service.convert_to_participant(db.session, actor, referral, group, "active")
    db.session.commit()
    return made


def test_partner_referrals_per_kind_hide_small_counts(make_partner, make_user, make_group):
    actor = make_user("coordinator")
    group = make_group(first_date=date(2026, 5, 4))
    _referrals(make_partner, actor, PartnerKind.GP, "Praktijk Oost", 8, group, converted=5)
    _referrals(make_partner, actor, PartnerKind.GP, "Praktijk West", 2)
    _referrals(make_partner, actor, PartnerKind.HOUSING, "Woonstede", 3)
    _referrals(make_partner, actor, PartnerKind.NEIGHBOURHOOD_TEAM, "Wijkteam Zuid", 6)
    report = report_for()
    table = _table(report, "partners")
    rows = {r.label: r.cells for r in table.rows}
    assert table.columns == ["partners", "aanmeldingen", "bereikt", "gestart", "afgerond"]
    assert [c.shown_n for c in rows["huisartsenpraktijk"]] == [2, 10, 5, 5, 0]
    assert rows["woningcorporatie"][0].shown_n == 1  # organisations: always shown
    assert rows["woningcorporatie"][1].is_hidden  # three women: hidden
    assert rows["wijkteam"][1].is_hidden  # its complement, so the total does not give it away
    assert table.total_row.cells[1].shown_n == 19
    small = [c for r in table.all_rows for c in r.cells[1:] if 0 < c.n < MIN_COUNT]
    assert small and not {id(c) for c in small} & recover(report.tables)
    text = "\n".join(csv_files(report).values())
    assert "Praktijk Oost" not in text and "Woonstede" not in text


def test_partner_figures_survive_the_purge_of_referrals(make_partner, make_user):
    actor = make_user("coordinator")
    made = _referrals(make_partner, actor, PartnerKind.GP, "Praktijk Oost", 7)
    for referral in made[:5]:
        partners_service.record_outcome(
            db.session, actor, referral, outcome="declined", attempts=1, note="", today=TODAY
        )
    db.session.commit()
    before = csv_files(report_for())["partners.csv"]
    assert "huisartsenpraktijk;1;7;5;0;0" in before
    assert partners_service.purge_expired_referrals(db.session, date(2028, 6, 1), 12) == 7
    db.session.commit()
    assert csv_files(report_for())["partners.csv"] == before
