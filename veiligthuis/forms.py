"""Small helpers shared by every area's forms."""

from collections.abc import Iterable

import wtforms.widgets.core as _widgets
from flask import flash, request
from markupsafe import Markup, escape
from wtforms import SelectChoice

#: WTForms' own attribute writer, kept for the test that ours writes the same
WTFORMS_HTML_PARAMS = _widgets.html_params


def html_params(**kwargs) -> Markup:
    """What ``wtforms.widgets.html_params`` writes (the same attributes, order and escaping),
    at a fraction of its cost: it formats every attribute through ``Markup.format``, which was
    a third to a half of rendering a page of filters and choices. Installed for every widget by
    :func:`use_fast_html_params`; ``tests/test_form_rendering.py`` holds the two equal."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = _widgets.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


def use_fast_html_params() -> None:
    """Make every WTForms widget write its attributes with :func:`html_params`."""
    _widgets.html_params = html_params
    _widgets.Input.html_params = staticmethod(html_params)


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
