"""Small helpers shared by every area's forms."""

from collections.abc import Iterable

from flask import flash, request
from wtforms import SelectChoice


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def confirmed(message: str) -> bool:
    """Whether a destructive POST carries its tick (``confirm=y``); if not, flash ``message``.

    The tick is checked here on the server, not only by the browser's ``required``: one stray
    click, or a page without JavaScript, never removes anything.
    """
    if request.form.get("confirm") == "y":
        return True
    flash(message, "error")
    return False
