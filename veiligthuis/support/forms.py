"""Forms of the support pages and the care-signal form on the meeting page."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from veiligthuis.forms import choices
from veiligthuis.support.models import CARE_CATEGORIES, CONTACT_KINDS, NOTE_MAX

DATE_MESSAGE = "Vul een geldige datum in."
NOTE_LENGTH = Length(max=NOTE_MAX, message=f"Hoogstens {NOTE_MAX} tekens; houd het kort.")


def _date(label: str, *, required: bool = True) -> DateField:
    validators = [InputRequired(DATE_MESSAGE)] if required else [Optional()]
    return DateField(label, validators=validators, invalid_value_message=DATE_MESSAGE)


class ContactForm(FlaskForm):
    contact_date = _date("Datum van het contact")
    kind = SelectField(
        "Soort contact",
        choices=choices(CONTACT_KINDS.items()),
        validators=[InputRequired("Kies een soort contact.")],
    )
    minutes = IntegerField(
        "Duur in minuten",
        validators=[Optional(), NumberRange(0, 600, "Vul een duur in tussen 0 en 600 minuten.")],
        invalid_value_message="Vul een heel aantal minuten in.",
    )
    note = TextAreaField(
        "Korte notitie",
        validators=[Optional(), NOTE_LENGTH],
        description="Alleen voor uzelf; begeleiders zien dit nooit. Geen namen van anderen.",
    )
    submit = SubmitField("Contact vastleggen")


class RecordForm(FlaskForm):
    has_safety_plan = BooleanField("Er is een veiligheidsplan")
    reviewed_date = _date("Laatst besproken op", required=False)
    is_evaluation_shared = BooleanField(
        "Zij geeft toestemming haar eigen evaluatie te delen in de overdracht"
    )
    submit = SubmitField("Status opslaan")


class ReferralForm(FlaskForm):
    referral_date = _date("Datum van de verwijzing")
    target_id = SelectField("Verwezen naar", coerce=int, validate_choice=False)
    note = TextAreaField("Toelichting", validators=[Optional(), NOTE_LENGTH])
    submit = SubmitField("Verwijzing vastleggen")

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_id.choices = choices(
            [(0, "— kies —")] + [(target.id, target.name) for target in targets]
        )


class CloseSignalForm(FlaskForm):
    closing_note = TextAreaField(
        "Wat is er gedaan?",
        validators=[DataRequired("Schrijf kort wat er met het signaal is gedaan."), NOTE_LENGTH],
    )
    submit = SubmitField("Signaal afsluiten")


class CareSignalForm(FlaskForm):
    participant_id = SelectField("Over deelnemer", coerce=int, validate_choice=False)
    care_date = _date("Datum van wat er speelde")
    category = SelectField(
        "Categorie",
        choices=choices([("", "— kies —"), *CARE_CATEGORIES.items()]),
        validators=[DataRequired("Kies een categorie.")],
    )
    informed = StringField(
        "Wie is al geïnformeerd?",
        validators=[Optional(), Length(max=250, message="Hoogstens 250 tekens.")],
        description="Bijvoorbeeld: collega-begeleider, coördinator. Rollen, geen namen van anderen.",
    )
    note = TextAreaField(
        "Korte feitelijke omschrijving",
        validators=[DataRequired("Schrijf kort en feitelijk wat u zag of hoorde."), NOTE_LENGTH],
        description="Wat zag of hoorde u? Alleen feiten, geen interpretaties.",
    )
    submit = SubmitField("Zorgsignaal doorgeven")

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = choices(
            [(0, "— kies —")] + [(p.id, f"{p.alias} ({p.code})") for p in participants]
        )

    def validate_participant_id(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Kies een deelnemer.")


class MailPreferenceForm(FlaskForm):
    wants_signal_mail = BooleanField(
        "Stuur mij een e-mail als er een nieuw signaal is (zonder gegevens van de deelnemer)"
    )
    submit = SubmitField("Voorkeur opslaan")


class ReferralTargetForm(FlaskForm):
    name = StringField(
        "Nieuw verwijsadres",
        validators=[
            DataRequired("Vul een naam in."),
            Length(max=120, message="Hoogstens 120 tekens."),
        ],
    )
    submit = SubmitField("Toevoegen")
