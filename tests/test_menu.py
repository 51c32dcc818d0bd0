"""The staff menu is rendered once per set of roles: each role gets its links, a change of her
roles shows at once, nobody gets the menu of another set of roles, and it can ask nothing of
her but her roles."""

import re

import pytest

from tests.conftest import login
from veiligthuis import permissions
from veiligthuis.auth.models import UserRole
from veiligthuis.extensions import db
from veiligthuis.menu import _Roles

EXPECTED = {
    "coordinator": {
        "Groepen",
        "Methodiek",
        "Rapportage",
        "Beheer",
        "Aanmeldingen",
        "Vrijwilligers",
    },
    "facilitator": {"Groepen", "Mijn agenda", "Methodiek"},
    "case_worker": {"Ondersteuning"},
    "editor": {"Methodiek"},
    "volunteer": {"Mijn diensten"},
}


def _menu(client) -> set[str]:
    page = client.get("/account").get_data(as_text=True)
    nav = page.split('<nav aria-label="Hoofdmenu">')[1].split("</nav>")[0]
    return set(re.findall(r">([^<]+)</a>", nav))


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_gets_its_links_on_a_first_and_a_kept_view(app, make_user, role):
    client = app.test_client()
    login(client, make_user(role))
    assert _menu(client) == EXPECTED[role]
    assert _menu(client) == EXPECTED[role]


def test_a_role_given_or_taken_shows_in_her_menu_at_once(app, make_user):
    user = make_user("facilitator")
    client = app.test_client()
    login(client, user)
    assert _menu(client) == EXPECTED["facilitator"]
    db.session.add(UserRole(user_id=user.id, role="case_worker"))
    db.session.commit()
    assert _menu(client) == EXPECTED["facilitator"] | EXPECTED["case_worker"]
    db.session.delete(db.session.get(UserRole, (user.id, "facilitator")))
    db.session.commit()
    assert _menu(client) == EXPECTED["case_worker"]


def test_nobody_gets_the_menu_of_another_set_of_roles(app, make_user):
    clients = {}
    for roles in (("coordinator",), ("volunteer",), ("facilitator", "case_worker")):
        clients[roles] = app.test_client()
        login(clients[roles], make_user(*roles))
    for _round in range(2):
        for roles, client in clients.items():
            assert _menu(client) == set().union(*(EXPECTED[r] for r in roles)), roles


def test_the_menu_is_rendered_for_nothing_but_her_roles(make_group):
    # a permission that needs more of her than her roles cannot be asked in the menu
    stand_in = _Roles(frozenset({"facilitator"}))
    assert permissions.can_list_groups(stand_in)
    with pytest.raises(AttributeError):
        permissions.can_view_group(stand_in, make_group())
