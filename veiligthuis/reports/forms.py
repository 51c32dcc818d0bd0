"""The report's filter (a GET form: it changes nothing, so it carries no CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, ValidationError, widgets

from veiligthuis.forms import choices
from veiligthuis.reports.service import COMPARE_CHOICES


class ReportFilterForm(FlaskForm):
    """A period of whole calendar years, the locations, and what to set side by side."""

    class Meta:
        csrf = False

    jaar_van = SelectField("Van", coerce=int)
    jaar_tot = SelectField("Tot en met", coerce=int)
    locaties = SelectMultipleField(
        "Locaties (geen keuze: alle)",
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    vergelijk = SelectField("Naast elkaar", choices=choices(COMPARE_CHOICES.items()))

    def __init__(self, *args, years: list[int], locations: list, **kwargs):
        super().__init__(*args, **kwargs)
        year_choices = choices((y, str(y)) for y in years)
        self.jaar_van.choices = year_choices
        self.jaar_tot.choices = year_choices
        self.locaties.choices = choices((loc.id, loc.name) for loc in locations)

    def validate_jaar_tot(self, field) -> None:
        if self.jaar_van.data is not None and field.data < self.jaar_van.data:
            raise ValidationError("Het laatste jaar ligt vóór het eerste.")
