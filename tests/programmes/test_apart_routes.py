"""Data strictly apart, route by route: for every role, staff of one programme get nothing of
another programme's group, participants, meetings, support, evaluations, documents, calendars
or method book, whichever way round. The test fails when a new route takes an argument it does
not know, so every staff route is looked at."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.methodiek.factories import publish_content
from veiligthuis.evaluations import service as evaluations
from veiligthuis.extensions import db
from veiligthuis.methodiek import uploads
from veiligthuis.methodiek.cli import PROGRAMME_DIRS
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.models import Attachment
from veiligthuis.methodiek.service import import_content
from veiligthuis.models import utcnow
from veiligthuis.programmes.service import default_programme
from veiligthuis.sessions import cancelling
from veiligthuis.support import service as support
from veiligthuis.support.models import Signal
from veiligthuis.volunteers.models import Shift, Volunteer

#: arguments that name another programme's data: the route must answer 403 or 404
DATA_ARGS = {
    "group_id",
    "participant_id",
    "number",
    "version_id",
    "round_id",
    "contact_id",
    "referral_id",
    "session_id",
    "signal_id",
    "attachment_id",
    "shift_id",
    "filename",
    "kind",
    "path",
    "code",
}
#: arguments of coordinator-only pages (staff, locations, programmes, partners, volunteers...)
#: and of the public and token routes, which hold no programme's data by address
OTHER_ARGS = {
    "user_id",
    "location_id",
    "programme_id",
    "link_id",
    "closure_id",
    "leave_id",
    "target_id",
    "partner_id",
    "volunteer_id",
    "token",
}
ROLE_SETS = [
    ("facilitator",),
    ("case_worker",),
    ("editor",),
    ("facilitator", "case_worker", "editor"),
]
PDF = b"%PDF-1.4\n% apart\n"


def _world(app, make_user, make_group, make_participant, programme, version):
    """A group of ``programme`` with everything a route can name."""
    start = time(10, 0) if programme.is_default else time(19, 0)
    group = make_group(programme=programme, start=start, participants=programme.min_participants)
    assert group.methodiek_version_id == version.id
    case_worker = make_user("case_worker")
    case_worker.programmes = [programme]
    woman = make_participant(group, case_worker=case_worker, alias="Zoraida")
    round_, _codes = evaluations.open_round(
        db.session,
        group.facilitator_a,
        group,
        "sessie",
        group_session=group.sessions[0],
        count=3,
        secret="x" * 32,
        today=date(2026, 9, 7),
    )
    contact = support.log_contact(
        db.session,
        case_worker,
        woman,
        contact_date=date(2026, 9, 8),
        kind="phone",
        minutes=20,
        note="Belde over de kinderen",
        today=date(2026, 9, 9),
    )
    target = support.add_referral_target(db.session, make_user("coordinator"), "Schuldhulp")
    referral = support.add_referral(
        db.session,
        case_worker,
        woman,
        referral_date=date(2026, 9, 8),
        target_id=target.id,
        note="Doorverwezen",
        today=date(2026, 9, 9),
    )
    signal = Signal(participant_id=woman.id, kind="care", detail="Zorg om thuis")
    db.session.add(signal)
    cancelled = group.sessions[-1]
    cancelling.cancel_session(db.session, group.facilitator_a, cancelled, "ziek", confirm=True)
    uploads.store_blob(app.config["UPLOAD_FOLDER"], PDF)
    attachment = Attachment(
        filename="werkblad.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=uploads.sha256_hex(PDF),
        created_dt=utcnow(),
    )
    version.sessions[0].attachments.append(attachment)
    volunteer_user = make_user("volunteer")
    volunteer = Volunteer(user=volunteer_user, has_training=True, tasks=["childcare"])
    db.session.add(volunteer)
    shift = Shift(volunteer=volunteer, group_session=group.sessions[1], task="childcare")
    db.session.add(shift)
    db.session.commit()
    return {
        "group": group,
        "woman": woman,
        "version": version,
        "values": {
            "group_id": group.id,
            "participant_id": woman.id,
            "number": 1,
            "version_id": version.id,
            "round_id": round_.id,
            "contact_id": contact.id,
            "referral_id": referral.id,
            "session_id": cancelled.id,
            "signal_id": signal.id,
            "attachment_id": attachment.id,
            "shift_id": shift.id,
            "filename": version.handouts[0].filename,
            "kind": "sessie",
            "path": version.documents[0].path,
            "code": woman.code,
            "programme_id": programme.id,
            "volunteer_id": volunteer.id,
        },
        "secrets": [group.name, woman.alias, woman.code, "Belde over de kinderen", "Zorg om thuis"],
    }


@pytest.fixture(params=["women", "men"])
def apart(request, app, make_user, make_group, make_participant, men):
    """Their data in one programme, her account in the other."""
    women = default_programme(db.session)
    women_book = publish_content(db.session)
    men_book = import_content(db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men)
    db.session.commit()
    theirs, hers = (women, men) if request.param == "women" else (men, women)
    book = women_book if theirs is women else men_book
    world = _world(app, make_user, make_group, make_participant, theirs, book)
    world["hers"] = hers
    return world


def _routes(app, values):
    skipped = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        unknown = rule.arguments - DATA_ARGS - OTHER_ARGS
        assert not unknown, f"{rule.rule}: classify {sorted(unknown)} in this test"
        if not rule.arguments & DATA_ARGS:
            continue
        if rule.endpoint.startswith("partners."):
            # partner referrals (aanmeldingen) are the coordinator's, before any group
            values = {**values, "referral_id": 1}
        built = {a: values.get(a, 1) for a in rule.arguments}
        yield rule, rule.build(built, append_unknown=False)[1]
    assert skipped == []


@pytest.mark.parametrize("roles", ROLE_SETS, ids="+".join)
def test_staff_of_another_programme_get_nothing_on_any_route(app, make_user, apart, roles):
    user = make_user(*roles)
    user.programmes = [apart["hers"]]
    db.session.commit()
    client = app.test_client()
    login(client, user)
    leaks, open_routes, seen = [], [], 0
    for rule, url in _routes(app, apart["values"]):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            seen += 1
            response = client.get(url) if method == "GET" else client.post(url, data={})
            if response.status_code in (403, 404):
                continue
            body = response.get_data().decode("utf-8", "replace")
            if response.status_code == 200 and response.mimetype != "text/html":
                leaks.append((url, response.mimetype))
            elif method == "POST" or response.status_code not in (200, 302):
                open_routes.append((method, url, response.status_code))
            elif response.status_code == 200 and any(s in body for s in apart["secrets"]):
                leaks.append((url, [s for s in apart["secrets"] if s in body]))
    assert seen > 80
    assert leaks == []
    assert open_routes == []
    pages = ["/", "/groepen", "/ondersteuning", "/methodiek", "/agenda", "/rapportage"]
    pages += ["/mijn-diensten", "/aanmeldingen", "/vrijwilligers/rooster", "/beheer/audit"]
    for page in pages:
        response = client.get(page)
        body = response.get_data(as_text=True)
        assert not [s for s in apart["secrets"] if s in body], page
    # her own calendar feed holds none of their meetings
    client.post("/agenda/vernieuwen")
    db.session.expire_all()
    token = db.session.get(type(user), user.id).feed_token
    if token:
        feed = client.get(f"/agenda/{token}.ics").get_data(as_text=True)
        assert apart["group"].name not in feed and "Zoraida" not in feed


def test_every_role_of_their_own_programme_still_sees_it(app, apart):
    group = db.session.get(type(apart["group"]), apart["group"].id)
    client = app.test_client()
    login(client, group.facilitator_a)
    for url in (
        f"/groepen/{group.id}",
        f"/groepen/{group.id}/deelnemers/{apart['woman'].id}",
        f"/groepen/{group.id}/evaluaties/{apart['values']['round_id']}",
        f"/methodiek/{apart['version'].id}",
        f"/methodiek/bestanden/{apart['values']['attachment_id']}",
    ):
        assert client.get(url).status_code == 200, url
    worker = db.session.get(type(group.facilitator_a), apart["woman"].case_worker_id)
    other = app.test_client()
    login(other, worker)
    assert other.get(f"/ondersteuning/deelnemers/{apart['woman'].id}").status_code == 200
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Signal))
    assert count >= 1
