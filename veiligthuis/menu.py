"""The staff menu at the top of every page, rendered once per set of roles.

Which links it holds follows from her roles alone (the permissions it asks are role checks),
and a menu costs a tenth of a small page: nine permission checks and ten addresses. It is
rendered for a stand-in that holds nothing but her roles, so a link whose permission would
need more of her (her programmes, her groups) fails at once instead of being kept for others.
"""

from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup


@dataclass(frozen=True)
class _Roles:
    """A logged-in staff member as far as the menu may know her."""

    roles: frozenset[str]
    is_authenticated = True

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def staff_menu() -> Markup:
    """Her menu: kept per app for her set of roles (and the address the app is served under)."""
    key = (frozenset(current_user.roles), request.script_root)
    menus = current_app.extensions.setdefault("veiligthuis.menu", {})
    menu = menus.get(key)
    if menu is None:
        menu = menus[key] = Markup(render_template("_menu.html", user=_Roles(key[0])))
    return menu
