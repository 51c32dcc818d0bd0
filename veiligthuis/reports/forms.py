"""The report's filter (a GET form: it changes nothing, so it carries no CSRF token)."""

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, ValidationError, widgets
from wtforms.validators import InputRequired, NumberRange

from veiligthuis.forms import choices
from veiligthuis.reports.service import COMPARE_CHOICES

_YEAR = "Vul een jaar in tussen 2000 en 2100."


class ReportFilterForm(FlaskForm):
    """A period of whole calendar years, the locations, and what to set side by side."""

    class Meta:
        csrf = False

    jaar_van = IntegerField(
        "Van", validators=[InputRequired(_YEAR), NumberRange(2000, 2100, _YEAR)]
    )
    jaar_tot = IntegerField(
        "Tot en met", validators=[InputRequired(_YEAR), NumberRange(2000, 2100, _YEAR)]
    )
    locaties = SelectMultipleField(
        "Locaties (geen keuze: alle)",
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    vergelijk = SelectField("Naast elkaar", choices=choices(COMPARE_CHOICES.items()), default="")
    programma = SelectField("Programma", coerce=int, default=0, validate_choice=False)

    def __init__(self, *args, locations: list, programmes: Sequence = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.programma.choices = choices(
            [(0, "alle programma's")] + [(p.id, p.name) for p in programmes]
        )
        self.locaties.choices = choices((loc.id, loc.name) for loc in locations)

    def validate_jaar_tot(self, field) -> None:
        if None not in (self.jaar_van.data, field.data) and field.data < self.jaar_van.data:
            raise ValidationError("Het laatste jaar ligt vóór het eerste.")
