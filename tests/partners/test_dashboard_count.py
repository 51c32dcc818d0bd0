"""The coordinator's count of new referrals is read once until anything changes, and a
referral that comes in is counted at once."""

import sqlalchemy as sa

from tests.conftest import page_and_statements
from tests.partners.conftest import referral_data
from veiligthuis.extensions import db
from veiligthuis.partners import service
from veiligthuis.partners.models import ReferralAddress
from veiligthuis.sessions.schedule import today_local


def _count(page: str) -> str:
    return page.split("Nieuwe aanmeldingen")[0].rsplit("<strong>", 1)[1].split("</strong>")[0]


def test_the_count_is_kept_and_a_new_referral_is_counted_at_once(login_as, make_user, make_partner):
    partner, _token = make_partner()
    client = login_as(make_user("coordinator"))
    assert _count(client.get("/").get_data(as_text=True)) == "0"
    page, statements = page_and_statements(client, "/")
    assert _count(page) == "0"
    assert not [s for s in statements if "partner_referrals" in s.lower()], statements
    address = db.session.scalar(
        sa.select(ReferralAddress).where(ReferralAddress.partner_id == partner.id)
    )
    service.submit_referral(db.session, address, referral_data(), today_local())
    db.session.commit()
    assert _count(client.get("/").get_data(as_text=True)) == "1"
