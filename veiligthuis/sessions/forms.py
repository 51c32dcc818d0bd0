"""Forms for one meeting, attendance and closure periods."""

import hashlib

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from veiligthuis.forms import choices

DATE_MESSAGE = "Vul een geldige datum in."


class MoveForm(FlaskForm):
    new_date = DateField(
        "Nieuwe datum", validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE
    )
    new_time = TimeField(
        "Begintijd",
        validators=[InputRequired("Vul een geldige tijd in (uu:mm).")],
        invalid_value_message="Vul een geldige tijd in (uu:mm).",
    )
    scope = RadioField(
        "Wat schuift er mee?",
        choices=choices(
            [
                ("one", "Alleen deze bijeenkomst"),
                ("following", "Deze en alle volgende (wekelijks vanaf de nieuwe datum)"),
            ]
        ),
        default="one",
        validators=[InputRequired("Kies wat er meeschuift.")],
    )
    confirm = BooleanField("Ik heb de conflicten gezien en wil toch verplaatsen")
    submit = SubmitField("Verplaatsen")


class CancelForm(FlaskForm):
    reason = StringField("Reden", validators=[DataRequired("Vul een reden in."), Length(max=250)])
    # Without JavaScript a checkbox is the confirmation step: one click never cancels.
    confirm = BooleanField(
        "Ja, deze bijeenkomst gaat niet door",
        validators=[DataRequired("Vink aan dat deze bijeenkomst niet doorgaat.")],
    )
    accept_conflicts = BooleanField("Ik heb de conflicten gezien en wil de vervanger toch plannen")
    submit = SubmitField("Bijeenkomst annuleren")


class SubstituteForm(FlaskForm):
    replaces = SelectField("Vervangt", coerce=int, validate_choice=False)
    substitute = SelectField("Invaller", coerce=int, validate_choice=False)
    submit = SubmitField("Invaller vastleggen")

    def __init__(self, *args, facilitators=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.replaces.choices = choices((u.id, u.name) for u in facilitators)
        self.substitute.choices = choices(
            [(0, "— geen invaller —")] + [(u.id, u.name) for u in candidates]
        )


class NotesForm(FlaskForm):
    notes = TextAreaField(
        "Aantekeningen na de bijeenkomst", validators=[Optional(), Length(max=20000)]
    )
    #: which text she started from (:func:`notes_digest`), to tell a colleague's save meanwhile
    seen = HiddenField()
    submit = SubmitField("Aantekeningen opslaan")


def notes_digest(notes: str | None) -> str:
    """A short fingerprint of a meeting's notes as they were when a form was opened."""
    return hashlib.sha256((notes or "").encode()).hexdigest()[:32]


class ClosureForm(FlaskForm):
    start_date = DateField(
        "Van", validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE
    )
    end_date = DateField(
        "Tot en met", validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE
    )
    reason = StringField("Reden", validators=[DataRequired("Vul een reden in."), Length(max=120)])
    location_id = SelectField("Geldt voor", coerce=int, validate_choice=False)
    submit = SubmitField("Sluitingsperiode toevoegen")

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = choices(
            [(0, "de hele organisatie")] + [(loc.id, loc.name) for loc in locations]
        )
