"""Password rules in the spirit of NIST SP 800-63B, at creation, change and reset."""

import pytest

from tests.conftest import PASSWORD, login
from veiligthuis.auth import service
from veiligthuis.extensions import db
from veiligthuis.models import DomainError

WEAK = ["aaaaaaaaaaaa", "123456789012", "wachtwoord123", "qwertyuiopas", "password1234"]


@pytest.mark.parametrize("password", [*WEAK, "kort-wacht"])
def test_weak_or_short_passwords_are_refused_at_creation(app_ctx, password):
    with pytest.raises(DomainError) as refused:
        service.create_user(
            db.session,
            email="anna@example.org",
            name="Anna Jansen",
            password=password,
            roles={"facilitator"},
        )
    assert refused.value.field == "password"


@pytest.mark.parametrize(
    "password", ["anna.jansen@example.org", "annajansen2024!", "Jansen-Jansen-1"]
)
def test_passwords_derived_from_her_name_or_address_are_refused(app_ctx, password):
    with pytest.raises(DomainError, match="te makkelijk te raden"):
        service.validate_password(password, name="Anna Jansen", email="anna.jansen@example.org")


def test_long_passphrases_are_welcome(app_ctx):
    phrase = "de kat zit op de mat bij het raam en kijkt naar de regen buiten " * 1
    assert len(phrase) >= 64
    service.validate_password(phrase, name="Anna", email="anna@example.org")
    with pytest.raises(DomainError, match="hoogstens 200"):
        service.validate_password("x" * 201 + phrase)


def test_change_refuses_her_own_address(client, make_user):
    user = make_user("case_worker")
    login(client, user)
    page = client.post(
        "/account/wachtwoord",
        data={"pw-current_password": PASSWORD, "pw-new_password": user.email},
    ).get_data(as_text=True)
    assert "te makkelijk te raden" in page


def test_reset_by_a_coordinator_refuses_a_common_password(client, make_user):
    boss = make_user("coordinator")
    user = make_user("facilitator")
    login(client, boss)
    page = client.post(
        f"/beheer/medewerkers/{user.id}",
        data={
            "name": user.name,
            "roles": ["facilitator"],
            "is_enabled": "y",
            "password": "1234567890123",
        },
    ).get_data(as_text=True)
    assert "te makkelijk te raden" in page


def test_cli_create_user_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=["create-user", "a@example.org", "--name", "A", "--role", "editor"],
        input="aaaaaaaaaaaaaaaa\n",
    )
    assert result.exit_code != 0 and "te makkelijk te raden" in result.output
