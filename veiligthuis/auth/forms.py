"""Login and staff-account forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from veiligthuis.auth.models import ROLES
from veiligthuis.forms import choices


class EmptyForm(FlaskForm):
    """A POST-only button: carries the CSRF token and nothing else."""

    submit = SubmitField("Bevestigen")


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in.")])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])
    submit = SubmitField("Inloggen")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StaffForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=120)])
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul een e-mailadres in."),
            Email("Vul een geldig e-mailadres in.", check_deliverability=False),
            Length(max=254),
        ],
    )
    roles = MultiCheckboxField("Rollen", choices=choices(ROLES.items()))
    password = PasswordField(
        "Wachtwoord",
        validators=[Optional()],
        description="Minstens 12 tekens; een zin van een paar woorden werkt goed.",
    )
    is_enabled = BooleanField("Account actief", default=True)
    #: which programmes' groups, participants and method books she works with
    programme_ids = MultiCheckboxField("Programma's", coerce=int, validate_choice=False)
    submit = SubmitField("Opslaan")

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_ids.choices = choices((p.id, p.name) for p in programmes)

    def validate_programme_ids(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Kies minstens één programma.")

    def validate_roles(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Kies minstens één rol.")


class LeaveForm(FlaskForm):
    start_date = DateField(
        "Van",
        validators=[DataRequired("Vul een geldige datum in.")],
        invalid_value_message="Vul een geldige datum in.",
    )
    end_date = DateField(
        "Tot en met",
        validators=[DataRequired("Vul een geldige datum in.")],
        invalid_value_message="Vul een geldige datum in.",
    )
    reason = StringField("Omschrijving", validators=[Optional(), Length(max=120)])
    submit = SubmitField("Verlof vastleggen")


class CodeForm(FlaskForm):
    code = StringField(
        "Code uit de app",
        validators=[DataRequired("Vul de zescijferige code in."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField("Verder")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")]
    )
    new_password = PasswordField(
        "Nieuw wachtwoord",
        validators=[DataRequired("Vul een nieuw wachtwoord in.")],
        description="Minstens 12 tekens; een zin van een paar woorden werkt goed.",
    )
    submit = SubmitField("Wachtwoord wijzigen")


class TwoFactorOffForm(FlaskForm):
    """Switching two-step login off needs both factors: a stolen session alone cannot."""

    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])
    code = StringField(
        "Code uit de app of herstelcode",
        validators=[DataRequired("Vul de code in."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField("Uitzetten")
