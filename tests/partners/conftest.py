"""Factories for partners and referrals."""

import pytest

from veiligthuis.extensions import db
from veiligthuis.partners import service
from veiligthuis.partners.models import PartnerKind


@pytest.fixture
def make_partner(app_ctx, make_user):
    def make(name="Woonstede", kind=PartnerKind.HOUSING, actor=None):
        actor = actor or make_user("coordinator")
        partner = service.save_partner(db.session, actor, None, name=name, kind=kind)
        token = service.new_referral_address(db.session, actor, partner)
        db.session.commit()
        return partner, token

    return make


def referral_data(**overrides) -> service.ReferralData:
    values = {
        "alias": "Samira",
        "safe_channel": "phone",
        "contact_detail": "0612345678",
        "safe_times": "dinsdag tussen 10 en 12",
        "is_voicemail_ok": False,
        "language": "Arabisch",
        "needs_interpreter": True,
        "has_consent": True,
        "childcare": {"2_3": 1, "4_7": 2},
        "note": "Wil graag in een groep overdag.",
    }
    values.update(overrides)
    return service.ReferralData(**values)
