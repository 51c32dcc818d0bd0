"""The coordinator's programme form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from veiligthuis.auth.forms import MultiCheckboxField
from veiligthuis.forms import choices
from veiligthuis.programmes.models import PROGRAMME_KINDS

NUMBER = "Vul een heel getal in."


class ProgrammeForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=120)])
    kind = SelectField("Voor wie", choices=choices(PROGRAMME_KINDS.items()), validate_choice=False)
    session_count = IntegerField("Aantal bijeenkomsten", validators=[InputRequired(NUMBER)])
    session_minutes = IntegerField(
        "Duur van een bijeenkomst (minuten)", validators=[InputRequired(NUMBER)]
    )
    min_participants = IntegerField(
        "Minimaal aantal deelnemers", validators=[InputRequired(NUMBER)]
    )
    max_participants = IntegerField(
        "Maximaal aantal deelnemers", validators=[InputRequired(NUMBER)]
    )
    members = MultiCheckboxField("Medewerkers in dit programma", coerce=int, validate_choice=False)
    submit = SubmitField("Opslaan")

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members.choices = choices((u.id, u.name) for u in staff)


def programme_values(form: ProgrammeForm) -> dict:
    """The submitted programme as plain values for the service."""
    return {
        "name": form.name.data or "",
        "kind": form.kind.data or "",
        "session_count": form.session_count.data,
        "session_minutes": form.session_minutes.data,
        "min_participants": form.min_participants.data,
        "max_participants": form.max_participants.data,
    }


class KeepApartForm(FlaskForm):
    code_a = StringField(
        "Code van de eerste deelnemer",
        validators=[DataRequired("Vul een code in."), Length(max=16)],
    )
    code_b = StringField(
        "Code van de tweede deelnemer (ander programma)",
        validators=[DataRequired("Vul een code in."), Length(max=16)],
    )
    submit = SubmitField("Scheidingsafspraak vastleggen")


class DeleteKeepApartForm(FlaskForm):
    confirm = BooleanField("Ja, deze scheidingsafspraak vervalt")
    submit = SubmitField("Verwijderen")
