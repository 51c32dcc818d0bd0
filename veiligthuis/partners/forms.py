"""The public referral form, and the coordinator's partner, outcome and acceptance forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from veiligthuis.forms import choices
from veiligthuis.partners.models import (
    ALIAS_MAX,
    CHILD_AGE_BANDS,
    NOTE_MAX,
    OUTCOMES,
    PARTNER_KINDS,
    REFERRAL_CHANNELS,
)
from veiligthuis.partners.service import CONSENT_MESSAGE, MAX_CHILDREN_PER_BAND


def int_or_none(value) -> int | None:
    """A select's value as an id; junk becomes None, refused with a Dutch message later."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # Beyond a database integer PostgreSQL would refuse the query itself.
    return number if 0 < number < 2**31 else None


CHILD_MESSAGE = f"Vul een aantal in van 0 tot {MAX_CHILDREN_PER_BAND}."


def _children(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(0, MAX_CHILDREN_PER_BAND, CHILD_MESSAGE)],
        invalid_value_message=CHILD_MESSAGE,
    )


class ChildcareFields:
    """Children per age band: counts only, never names."""

    children_0_1 = _children(CHILD_AGE_BANDS["0_1"])
    children_2_3 = _children(CHILD_AGE_BANDS["2_3"])
    children_4_7 = _children(CHILD_AGE_BANDS["4_7"])
    children_8_12 = _children(CHILD_AGE_BANDS["8_12"])

    def children(self) -> dict[str, int]:
        """The counts typed, per age band."""
        return {band: getattr(self, f"children_{band}").data or 0 for band in CHILD_AGE_BANDS}

    def child_fields(self) -> list:
        """The count fields, in age order."""
        return [getattr(self, f"children_{band}") for band in CHILD_AGE_BANDS]


class PublicReferralForm(ChildcareFields, FlaskForm):
    alias = StringField(
        "Voornaam of roepnaam",
        validators=[
            InputRequired("Vul een voornaam of roepnaam in."),
            Length(max=ALIAS_MAX, message=f"Hoogstens {ALIAS_MAX} tekens."),
        ],
        description="Geen achternaam nodig. Een roepnaam die zij zelf kiest mag ook.",
    )
    safe_channel = RadioField(
        "Hoe kunnen wij haar veilig bereiken?",
        choices=choices(REFERRAL_CHANNELS.items()),
        validators=[InputRequired("Kies hoe wij haar veilig kunnen bereiken.")],
        validate_choice=False,
    )
    contact_detail = StringField(
        "Telefoonnummer of e-mailadres",
        validators=[Optional(), Length(max=254, message="Hoogstens 254 tekens.")],
        description="Alleen een nummer of adres dat alleen zij gebruikt.",
    )
    safe_times = StringField(
        "Wanneer is contact veilig?",
        validators=[Optional(), Length(max=120, message="Hoogstens 120 tekens.")],
        description="Bijvoorbeeld: dinsdag en donderdag tussen 10 en 12 uur.",
    )
    is_voicemail_ok = BooleanField("Een bericht inspreken of achterlaten mag")
    language = StringField(
        "Taal waarin zij het liefst praat",
        validators=[Optional(), Length(max=40, message="Hoogstens 40 tekens.")],
    )
    needs_interpreter = BooleanField("Er is een tolk nodig")
    needs_childcare = BooleanField("Zij heeft opvang voor haar kinderen nodig tijdens de groep")
    note = TextAreaField(
        "Korte toelichting",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"Hoogstens {NOTE_MAX} tekens.")],
        description="Alleen wat nodig is om haar veilig te bereiken. Geen namen van anderen.",
    )
    has_consent = BooleanField("Zij weet van deze aanmelding en stemt ermee in")
    submit = SubmitField("Aanmelding versturen")

    def validate_has_consent(self, field) -> None:
        """Said at once with the other fields; the service refuses it too."""
        if not field.data:
            field.errors.append(CONSENT_MESSAGE)

    def validate_needs_childcare(self, field) -> None:
        """Childcare needs at least one child counted."""
        if field.data and not any(self.children().values()):
            field.errors.append("Vul in hoeveel kinderen opvang nodig hebben.")


class PartnerForm(FlaskForm):
    name = StringField(
        "Naam van de organisatie",
        validators=[InputRequired("Vul een naam in."), Length(max=120, message="Te lang.")],
    )
    kind = SelectField(
        "Soort",
        choices=choices(PARTNER_KINDS.items()),
        validators=[InputRequired("Kies een soort.")],
        validate_choice=False,
    )
    contact = StringField(
        "Contactpersoon bij de partner",
        validators=[Optional(), Length(max=250, message="Hoogstens 250 tekens.")],
    )
    is_active = BooleanField("Actief", default=True)
    submit = SubmitField("Opslaan")


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        "Uitkomst",
        choices=choices(OUTCOMES.items()),
        validators=[InputRequired("Kies een uitkomst.")],
        validate_choice=False,
    )
    attempts = IntegerField(
        "Aantal pogingen",
        validators=[Optional(), NumberRange(0, 50, "Vul een aantal in van 0 tot 50.")],
        invalid_value_message="Vul een heel aantal in.",
    )
    note = TextAreaField(
        "Toelichting",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"Hoogstens {NOTE_MAX} tekens.")],
    )
    submit = SubmitField("Uitkomst vastleggen")


class AcceptForm(FlaskForm):
    group_id = SelectField(
        "Groep",
        coerce=int_or_none,
        validators=[InputRequired("Kies een groep.")],
        validate_choice=False,
    )
    status = SelectField(
        "Als",
        choices=choices([("waiting", "wachtlijst"), ("intake", "intake"), ("active", "actief")]),
        validators=[InputRequired("Kies een status.")],
        validate_choice=False,
    )
    submit = SubmitField("Deelnemer maken")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_id.choices = choices((g.id, g.name) for g in groups)
