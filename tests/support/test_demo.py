"""The demo organisation carries realistic support data, once."""

import sqlalchemy as sa

from veiligthuis.auth.service import find_user_by_email
from veiligthuis.demo import seed
from veiligthuis.extensions import db
from veiligthuis.support import service
from veiligthuis.support.demo import seed_support
from veiligthuis.support.models import Referral, ReferralTarget, Signal, SupportContact


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_seed_adds_support_data_once(app_ctx):
    today = service.today_local()
    assert seed(db.session, today) is True
    db.session.commit()
    counts = {m: _count(m) for m in (SupportContact, Referral, ReferralTarget, Signal)}
    assert all(counts.values()), counts
    kinds = set(db.session.scalars(sa.select(Signal.kind)))
    assert {"care", "no_contact", "consecutive_absence", "absence_without_notice"} <= kinds
    mirjam = find_user_by_email(db.session, "mirjam@demo.veiligthuis.nl")
    assert service.open_signal_count(db.session, mirjam, today) > 0
    assert seed(db.session, today) is False
    assert seed_support(db.session, today) is False
    assert {m: _count(m) for m in counts} == counts


def test_demo_support_pages_render(app, client):
    with app.app_context():
        seed(db.session, service.today_local())
        db.session.commit()
    response = client.post(
        "/inloggen", data={"email": "mirjam@demo.veiligthuis.nl", "password": "demo-wachtwoord"}
    )
    assert response.status_code == 302
    page = client.get("/ondersteuning").get_data(as_text=True)
    assert "Signalen" in page and "zorgsignaal van de begeleiding" in page
    with app.app_context():
        signal = db.session.scalars(sa.select(Signal).where(Signal.kind == "care")).first()
        pid = signal.participant_id
    assert client.get(f"/ondersteuning/deelnemers/{pid}").status_code == 200
    assert client.get(f"/ondersteuning/deelnemers/{pid}/overdracht").status_code == 200
