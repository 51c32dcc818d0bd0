"""The report's filter (a GET form: it changes nothing, so it carries no CSRF token)."""

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    MonthField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from veiligthuis.forms import choices
from veiligthuis.reports.models import ORGANISATION_MAX, RESPONSE_MAX
from veiligthuis.reports.service import COMPARE_CHOICES

_YEAR = "Vul een jaar in tussen 2000 en 2100."
_TOO_LONG = "Dit is te lang: houd het korter."
_MONTH = "Vul de maand in als jjjj-mm, bijvoorbeeld 2026-03."


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

    def __init__(self, *args, locations: Sequence, programmes: Sequence = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.programma.choices = choices(
            [(0, "alle programma's")] + [(p.id, p.name) for p in programmes]
        )
        self.locaties.choices = choices((loc.id, loc.name) for loc in locations)

    def validate_jaar_tot(self, field) -> None:
        if None not in (self.jaar_van.data, field.data) and field.data < self.jaar_van.data:
            raise ValidationError("Het laatste jaar ligt vóór het eerste.")


class ReferrerContactForm(FlaskForm):
    """Tick a referrer of the method's list off as informed: the month, and by whom."""

    verwijzer = SelectField(
        "Verwijzer", validators=[InputRequired("Kies een verwijzer.")], validate_choice=False
    )
    maand = MonthField(
        "Maand",
        validators=[InputRequired(_MONTH)],
        invalid_value_message=_MONTH,
        description="Alleen de maand, bijvoorbeeld 2026-03.",
    )
    door = SelectField("Benaderd door", coerce=int, validate_choice=False)
    organisatie = StringField(
        "Organisatie of contactpersoon (niet verplicht)",
        validators=[Optional(), Length(max=ORGANISATION_MAX, message=_TOO_LONG)],
    )
    reactie = StringField(
        "Afspraak of reactie (niet verplicht)",
        validators=[Optional(), Length(max=RESPONSE_MAX, message=_TOO_LONG)],
    )

    def __init__(self, *args, referrers: list[dict], staff: Sequence, **kwargs):
        super().__init__(*args, **kwargs)
        self.verwijzer.choices = choices(
            [("", "kies een verwijzer")] + [(r["kind"], r["label"]) for r in referrers]
        )
        self.door.choices = choices((person.id, person.name) for person in staff)
        self._kinds = {r["kind"] for r in referrers}

    def validate_verwijzer(self, field) -> None:
        if field.data not in self._kinds:
            raise ValidationError("Kies een verwijzer uit de lijst.")
