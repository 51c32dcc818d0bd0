"""Forms of the volunteer pages and the childcare needs of a participant."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional

from veiligthuis.auth.forms import MultiCheckboxField
from veiligthuis.forms import choices
from veiligthuis.partners.forms import ChildcareFields, int_or_none
from veiligthuis.volunteers.models import TASKS

DATE_MESSAGE = "Vul een geldige datum in."


class VolunteerForm(FlaskForm):
    user_id = SelectField(
        "Account", coerce=int_or_none, validate_choice=False, validators=[Optional()]
    )
    has_training = BooleanField("Training gevolgd")
    vog_seen_date = DateField(
        "VOG gezien op",
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
    )
    tasks = MultiCheckboxField("Taken die zij mag doen", choices=choices(TASKS.items()))
    submit = SubmitField("Opslaan")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices((u.id, f"{u.name} ({u.email})") for u in candidates)


class ShiftForm(FlaskForm):
    volunteer_id = SelectField(
        "Vrijwilliger",
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired("Kies een vrijwilliger.")],
    )
    task = SelectField(
        "Taak",
        choices=choices(TASKS.items()),
        validate_choice=False,
        validators=[InputRequired("Kies een taak.")],
    )
    accept_conflicts = BooleanField("Toch inplannen, ondanks het conflict")
    submit = SubmitField("Inplannen")

    def __init__(self, *args, volunteers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteer_id.choices = choices((v.id, v.name) for v in volunteers)


class ChildcareForm(ChildcareFields, FlaskForm):
    #: what the form showed (veiligthuis.meanwhile), to save over a colleague's save meanwhile
    seen = HiddenField()
    submit = SubmitField("Kinderopvang opslaan")

    def counts(self) -> dict[str, int]:
        """The counts typed, by field name (as :mod:`veiligthuis.meanwhile` compares them)."""
        return {f"children_{band}": count for band, count in self.children().items()}
