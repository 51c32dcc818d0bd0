"""The public referral form attacked, and the coordinator's partner and queue pages."""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tests.conftest import count_queries, csrf_token_from, login
from tests.partners.conftest import referral_data
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups.models import Participant
from veiligthuis.partners import service
from veiligthuis.partners.models import PartnerKind, PartnerReferral, ReferralAttempt
from veiligthuis.sessions.schedule import today_local
from veiligthuis.wording import find_sensitive_words

GOOD = {
    "alias": "Samira",
    "safe_channel": "phone",
    "contact_detail": "0612345678",
    "safe_times": "dinsdag ochtend",
    "language": "Arabisch",
    "needs_interpreter": "y",
    "needs_childcare": "y",
    "children_2_3": "1",
    "children_4_7": "2",
    "note": "Liefst overdag.",
    "has_consent": "y",
}


class _Page(HTMLParser):
    """The visible text and every address a page refers to."""

    def __init__(self, html):
        super().__init__()
        self.text, self.refs, self.links, self._skip = [], [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._skip = tag in {"style", "script"}
        for name in ("src", "href", "action", "data", "srcset"):
            if attrs.get(name) is not None:
                self.refs.append(attrs[name])
        if tag == "a":
            self.links.append(attrs.get("href"))

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


@pytest.fixture
def partner(make_partner):
    return make_partner(name="Veilig Thuis Midden", kind=PartnerKind.VEILIG_THUIS)


def _assert_neutral(html: str) -> _Page:
    page = _Page(html)
    assert find_sensitive_words(page.all_text) == []
    assert re.search(r"<title>Aanmelding</title>", html)
    assert page.links == []  # no staff links, no links at all
    for ref in page.refs:
        assert not re.match(r"(https?:)?//", ref), ref
        assert ref.startswith("/static/") or ref == "", ref
    return page


def test_the_public_form_is_neutral_and_loads_nothing_from_elsewhere(client, partner):
    _partner, token = partner
    response = client.get(f"/verwijzen/{token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _assert_neutral(html)
    # The partner's name holds a sensitive word, so it is not shown at all.
    assert "Midden" not in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_referral_is_confirmed_with_a_reference_number_only(client, partner):
    partner_obj, token = partner
    response = client.post(f"/verwijzen/{token}", data=GOOD)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    page = _assert_neutral(html)
    referral = db.session.scalars(sa.select(PartnerReferral)).one()
    assert referral.reference in page.all_text
    assert "Samira" not in html  # nothing she typed is echoed back
    assert referral.partner_id == partner_obj.id
    assert referral.childcare == {"2_3": 1, "4_7": 2}
    assert referral.needs_interpreter and referral.has_consent


def test_nothing_about_the_submitter_is_stored(client, partner, app):
    _partner, token = partner
    client.post(
        f"/verwijzen/{token}",
        data=GOOD,
        headers={"User-Agent": "Desk-Browser/9.9", "X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    assert db.session.scalars(sa.select(PartnerReferral)).one()
    columns = {c.name for c in PartnerReferral.__table__.columns}
    assert columns.isdisjoint({"ip", "remote_addr", "user_agent", "created_dt", "submitted_dt"})
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                dumped = " ".join(str(v) for v in row)
                for secret in ("198.51.100.23", "203.0.113.9", "Desk-Browser"):
                    assert secret not in dumped, (table.name, secret)


def test_a_referral_without_consent_is_refused_with_an_explanation(client, partner):
    _partner, token = partner
    data = dict(GOOD)
    del data["has_consent"]
    response = client.post(f"/verwijzen/{token}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "zonder haar toestemming" in html
    assert 'value="Samira"' in html  # nothing typed is lost
    assert db.session.scalars(sa.select(PartnerReferral)).all() == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"alias": ""}, "Vul een voornaam of roepnaam in."),
        ({"alias": "x" * 61}, "Hoogstens 60 tekens."),
        ({"safe_channel": ""}, "Kies hoe wij haar veilig kunnen bereiken."),
        ({"safe_channel": "<b>"}, "Kies hoe wij haar veilig kunnen bereiken."),
        ({"contact_detail": ""}, "Vul het telefoonnummer of e-mailadres in"),
        ({"children_2_3": "veel"}, "Vul een aantal in van 0 tot 9."),
        ({"children_4_7": "-1"}, "Vul een aantal in van 0 tot 9."),
        ({"children_2_3": "0", "children_4_7": "0"}, "Vul in hoeveel kinderen opvang nodig"),
        ({"note": "x" * 501}, "Hoogstens 500 tekens."),
        ({"safe_times": "x" * 121}, "Hoogstens 120 tekens."),
    ],
)
def test_every_field_is_checked_with_a_dutch_message(client, partner, change, message):
    _partner, token = partner
    response = client.post(f"/verwijzen/{token}", data=dict(GOOD, **change))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(PartnerReferral)).all() == []


JUNK = ["\x00", "ä" * 5000, "' OR 1=1 --", "<script>x</script>", "%00", "9" * 400]


def test_junk_never_answers_500(client, partner):
    _partner, token = partner
    fields = [*GOOD, "csrf_token", "submit", "children_0_1", "children_8_12", "extra"]
    for junk in JUNK:
        for name in fields:
            response = client.post(f"/verwijzen/{token}", data=dict(GOOD, **{name: junk}))
            assert response.status_code < 500, (name, junk)
        response = client.post(f"/verwijzen/{token}", data={n: junk for n in fields})
        assert response.status_code < 500
        assert client.get(f"/verwijzen/{token}{junk[:50]}").status_code < 500
        db.session.execute(sa.delete(ReferralAttempt))  # keep the limiter out of the way
        db.session.commit()


def test_unknown_and_revoked_tokens_answer_404_at_once(client, partner, make_user):
    partner_obj, token = partner
    assert client.get("/verwijzen/" + "a" * 43).status_code == 404
    assert client.get("/verwijzen/kort").status_code == 404
    assert client.get(f"/verwijzen/{token}").status_code == 200
    service.revoke_referral_address(db.session, make_user("coordinator"), partner_obj)
    db.session.commit()
    response = client.get(f"/verwijzen/{token}")
    assert response.status_code == 404
    _assert_neutral(response.get_data(as_text=True))
    assert client.post(f"/verwijzen/{token}", data=GOOD).status_code == 404
    assert db.session.scalars(sa.select(PartnerReferral)).all() == []


def test_rate_limited_per_client_address(client, partner, make_partner):
    _partner, token = partner
    _other, other_token = make_partner(name="Huisartsen Oost", kind=PartnerKind.GP)
    for _ in range(service.LIMIT_PER_CLIENT):
        assert client.post(f"/verwijzen/{token}", data=GOOD).status_code == 200
    response = client.post(f"/verwijzen/{token}", data=GOOD)
    assert response.status_code == 429
    assert 'value="Samira"' in response.get_data(as_text=True)
    # Another partner's address from the same client is limited too.
    assert client.post(f"/verwijzen/{other_token}", data=GOOD).status_code == 429
    # Another client at the first address is not.
    other_client = {"REMOTE_ADDR": "192.0.2.44"}
    assert (
        client.post(f"/verwijzen/{token}", data=GOOD, environ_base=other_client).status_code == 200
    )
    count = db.session.scalar(sa.select(sa.func.count(PartnerReferral.id)))
    assert count == service.LIMIT_PER_CLIENT + 1


def test_rate_limited_per_token(client, partner):
    _partner, token = partner
    for n in range(service.LIMIT_PER_TOKEN):
        environ = {"REMOTE_ADDR": f"192.0.2.{n + 1}"}
        assert (
            client.post(f"/verwijzen/{token}", data=GOOD, environ_base=environ).status_code == 200
        )
    environ = {"REMOTE_ADDR": "192.0.2.200"}
    assert client.post(f"/verwijzen/{token}", data=GOOD, environ_base=environ).status_code == 429


def test_the_public_form_needs_its_csrf_token(strict_app, partner):
    _partner, token = partner
    client = strict_app.test_client()
    response = client.post(f"/verwijzen/{token}", data=GOOD)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Het formulier is verlopen" in html
    assert 'value="Samira"' in html  # an expired form keeps what she typed
    assert db.session.scalars(sa.select(PartnerReferral)).all() == []
    page = client.get(f"/verwijzen/{token}").get_data(as_text=True)
    response = client.post(f"/verwijzen/{token}", data=dict(GOOD, csrf_token=csrf_token_from(page)))
    assert response.status_code == 200
    assert "Aanmelding ontvangen" in response.get_data(as_text=True)


# --- the coordinator's side -------------------------------------------------------------------


def test_only_a_coordinator_manages_partners_and_referrals(client, make_user, partner):
    urls = ["/partners", f"/partners/{partner[0].id}", "/partners/statistieken", "/aanmeldingen"]
    for role in ("facilitator", "case_worker", "editor", "volunteer"):
        other = client.application.test_client()
        login(other, make_user(role))
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
    login(client, make_user("coordinator"))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_new_address_is_shown_once_with_a_qr_code(client, make_user, partner):
    partner_obj, old_token = partner
    login(client, make_user("coordinator"))
    # Replacing the working address needs the tick; without it the old one keeps working.
    page = client.post(f"/partners/{partner_obj.id}/adres", follow_redirects=True)
    assert "Vink aan dat het huidige verwijsadres vervalt" in page.get_data(as_text=True)
    assert client.get(f"/verwijzen/{old_token}").status_code == 200
    # A browser's post carries the button's token fields, never the partner's fields.
    response = client.post(
        f"/partners/{partner_obj.id}/adres", data={"csrf_token": "t", "confirm": "y"}
    )
    html = response.get_data(as_text=True)
    match = re.search(r'value="(http[^"]+/verwijzen/([^"]+))"', html)
    assert match
    assert 'src="data:image/svg+xml' in html
    # The partner form under it still shows her as active, so saving it keeps the address.
    assert re.search(r'<input[^>]*checked[^>]*name="is_active"|name="is_active"[^>]*checked', html)
    new_token = match.group(2)
    assert client.get(f"/verwijzen/{new_token}").status_code == 200
    assert client.get(f"/verwijzen/{old_token}").status_code == 404
    # Shown once: the partner page afterwards does not carry it.
    assert new_token not in client.get(f"/partners/{partner_obj.id}").get_data(as_text=True)
    # Without the tick the address keeps working, and she is told so.
    page = client.post(f"/partners/{partner_obj.id}/adres/intrekken", follow_redirects=True)
    assert "Vink aan dat u het verwijsadres wilt intrekken" in page.get_data(as_text=True)
    assert client.get(f"/verwijzen/{new_token}").status_code == 200
    client.post(f"/partners/{partner_obj.id}/adres/intrekken", data={"confirm": "y"})
    assert client.get(f"/verwijzen/{new_token}").status_code == 404


def test_coordinator_adds_a_partner_with_clear_messages(client, make_user):
    login(client, make_user("coordinator"))
    response = client.post("/partners", data={"name": "", "kind": "gp"})
    assert "Vul een naam in." in response.get_data(as_text=True)
    response = client.post("/partners", data={"name": "Wijkteam Noord", "kind": "politie"})
    assert "Kies een soort organisatie uit de lijst." in response.get_data(as_text=True)
    response = client.post(
        "/partners", data={"name": "Wijkteam Noord", "kind": "neighbourhood_team"}
    )
    assert response.status_code == 302


def _submit(client, token, **change):
    assert client.post(f"/verwijzen/{token}", data=dict(GOOD, **change)).status_code == 200
    return db.session.scalars(
        sa.select(PartnerReferral).order_by(PartnerReferral.id.desc())
    ).first()


def test_queue_views_and_outcomes_are_audited(client, make_user, partner):
    _partner, token = partner
    referral = _submit(client, token)
    coordinator = make_user("coordinator")
    login(client, coordinator)
    assert "Samira" in client.get("/aanmeldingen").get_data(as_text=True)
    assert "0612345678" in client.get(f"/aanmeldingen/{referral.id}").get_data(as_text=True)
    response = client.post(
        f"/aanmeldingen/{referral.id}/uitkomst",
        data={"outcome-outcome": "not_reached", "outcome-attempts": ""},
    )
    assert "Vul in na hoeveel pogingen" in response.get_data(as_text=True)
    response = client.post(
        f"/aanmeldingen/{referral.id}/uitkomst",
        data={"outcome-outcome": "not_reached", "outcome-attempts": "3"},
    )
    assert response.status_code == 302
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "PartnerReferral", AuditEntry.actor_id == coordinator.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions[:2] == ["list", "view"] and "update" in actions
    db.session.expire_all()
    assert db.session.get(PartnerReferral, referral.id).status == "not_reached"
    assert "nieuw" not in client.get("/aanmeldingen").get_data(as_text=True).split("<tbody>")[-1]


def test_dashboard_counts_new_referrals_for_the_coordinator_only(client, make_user, partner):
    _partner, token = partner
    _submit(client, token)
    _submit(client, token, alias="Bea")
    login(client, make_user("coordinator"))
    html = client.get("/").get_data(as_text=True)
    assert re.search(r"<strong>2</strong> Nieuwe aanmeldingen", html)
    facilitator = client.application.test_client()
    login(facilitator, make_user("facilitator"))
    assert "Nieuwe aanmeldingen" not in facilitator.get("/").get_data(as_text=True)


def test_accepting_puts_her_on_a_waiting_list_without_retyping(
    client, make_user, make_group, partner
):
    _partner, token = partner
    referral = _submit(client, token)
    group = make_group(name="Linde")
    login(client, make_user("coordinator"))
    response = client.post(
        f"/aanmeldingen/{referral.id}/deelnemer",
        data={"accept-group_id": "999999", "accept-status": "waiting"},
    )
    assert response.status_code == 422
    response = client.post(
        f"/aanmeldingen/{referral.id}/deelnemer",
        data={"accept-group_id": str(group.id), "accept-status": "waiting"},
    )
    assert response.status_code == 302
    participant = db.session.scalars(sa.select(Participant)).one()
    assert (participant.alias, participant.status, participant.group_id) == (
        "Samira",
        "waiting",
        group.id,
    )
    assert participant.referral_source == "veilig_thuis"
    assert f"/deelnemers/{participant.id}" in response.location


def test_the_queue_runs_the_same_queries_for_two_or_twenty_referrals(
    app, client, make_user, partner
):
    _partner, token = partner
    address = service.find_address(db.session, token)
    login(client, make_user("coordinator"))

    def queries_for(n):
        for _ in range(n):
            service.submit_referral(db.session, address, referral_data(), today_local())
        db.session.commit()
        with count_queries(db.engine) as counted:
            assert client.get("/aanmeldingen").status_code == 200
            return counted()

    assert queries_for(2) == queries_for(18)


def test_coordinators_get_a_neutral_mail_only_when_switched_on(app, client, make_user, partner):
    from pathlib import Path

    from veiligthuis.settings import set_setting

    _partner, token = partner
    coordinator = make_user("coordinator")
    folder = Path(app.config["MAIL_FOLDER"])
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    assert client.post(f"/verwijzen/{token}", data=GOOD).status_code == 200
    assert (set(folder.glob("*.eml")) if folder.exists() else set()) == before
    set_setting(db.session, "referral_mail", True)
    db.session.commit()
    assert client.post(f"/verwijzen/{token}", data=GOOD).status_code == 200
    new = set(folder.glob("*.eml")) - before
    mails = [path.read_text() for path in new]
    assert len(mails) == 2  # the coordinator of the partner fixture, and this one
    assert any(coordinator.email in text for text in mails)
    for text in mails:
        assert "Samira" not in text and "Veilig Thuis" not in text and "Midden" not in text
        assert "Subject: Nieuw bericht in de planner" in text


def _count(client, url) -> int:
    with count_queries(db.engine) as counted:
        assert client.get(url).status_code == 200, url
        return counted()


def test_partner_pages_run_the_same_queries_for_two_or_twelve_partners(
    client, make_user, make_partner
):
    boss = make_user("coordinator")
    login(client, boss)

    def add(n):
        for i in range(n):
            _partner, token = make_partner(name=f"Partner {n}-{i}", actor=boss)
            address = service.find_address(db.session, token)
            service.submit_referral(db.session, address, referral_data(), today_local())
        db.session.commit()

    add(2)
    few = {url: _count(client, url) for url in ("/partners", "/partners/statistieken")}
    add(10)
    assert {url: _count(client, url) for url in few} == few
