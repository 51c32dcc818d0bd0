"""Form fields render through a faster ``html_params`` that writes exactly what WTForms' own
writes: the same attributes, in the same order, escaped the same way."""

import string

import wtforms.widgets.core as widgets_core
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import (
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)

from veiligthuis import forms

WTFORMS_HTML_PARAMS = forms.WTFORMS_HTML_PARAMS

keys = st.text(alphabet=string.ascii_letters + "_-", min_size=1, max_size=12)
values = st.one_of(
    st.booleans(),
    st.integers(),
    st.none(),
    st.text(max_size=20),
    # already-safe markup may hold a raw quote, which must still end up as &quot;
    st.text(max_size=20).map(Markup),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=6))
def test_the_same_attributes_as_wtforms_writes(attributes):
    ours, theirs = forms.html_params(**attributes), WTFORMS_HTML_PARAMS(**attributes)
    assert ours == theirs and type(ours) is type(theirs) is Markup


def test_a_quote_in_markup_and_the_key_spellings():
    attributes = {"data_x_y": Markup('a"b'), "aria_label": "<é>", "class_": "c", "for_": 1}
    assert forms.html_params(**attributes) == WTFORMS_HTML_PARAMS(**attributes)
    assert 'data-x-y="a&quot;b"' in forms.html_params(**attributes)


class _Everything(Form):
    name = StringField("Naam", render_kw={"autocomplete": "off"})
    count = IntegerField("Aantal")
    pick = SelectField(
        "Kies", choices=[SelectChoice("a", 'A "één"'), SelectChoice("b", "<B>")], default="b"
    )
    places = SelectMultipleField(
        "Plaatsen",
        choices=[SelectChoice(1, "Noord"), SelectChoice(2, "Zuid & Oost")],
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


def _rendered() -> str:
    form = _Everything(data={"name": 'x"y', "count": 3, "places": [2]})
    return "".join(
        str(part)
        for field in form
        for part in (field.label(), field(aria_describedby="h", required=True))
    )


def test_a_created_app_renders_fields_through_it_and_the_html_is_unchanged(app, monkeypatch):
    assert widgets_core.html_params is forms.html_params
    assert widgets_core.Input.html_params is forms.html_params
    ours = _rendered()
    monkeypatch.setattr(widgets_core, "html_params", WTFORMS_HTML_PARAMS)
    monkeypatch.setattr(widgets_core.Input, "html_params", staticmethod(WTFORMS_HTML_PARAMS))
    assert ours == _rendered()
