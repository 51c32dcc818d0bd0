"""Forms for locations, rooms, groups and participants; choices come in through the constructor."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from veiligthuis.forms import choices
from veiligthuis.groups import service
from veiligthuis.groups.models import (
    AGE_BANDS,
    ALIAS_MAX,
    CHILDREN,
    DROPOUT_KINDS,
    PARTICIPANT_STATUSES,
    PARTNER_RELATIONS,
    REFERRAL_SOURCES,
    SAFE_CHANNELS,
    VIOLENCE_PHASES,
)
from veiligthuis.sessions.schedule import REGION_LABELS, WEEKDAYS_NL

DATE_MESSAGE = "Vul een geldige datum in."
TIME_MESSAGE = "Vul een geldige tijd in (uu:mm)."


def _optional(options: dict[str, str]) -> list:
    return choices([("", "— niet ingevuld —"), *options.items()])


class LocationForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=120)])
    address = StringField("Adres", validators=[Optional(), Length(max=250)])
    region = SelectField(
        "Schoolvakantieregio", choices=choices(REGION_LABELS.items()), validators=[DataRequired()]
    )
    submit = SubmitField("Opslaan")


class RoomForm(FlaskForm):
    name = StringField("Ruimte", validators=[DataRequired("Vul een naam in."), Length(max=80)])
    capacity = IntegerField(
        "Capaciteit",
        default=14,
        validators=[
            InputRequired("Vul een aantal in."),
            NumberRange(1, 200, "Vul een capaciteit in van 1 tot 200."),
        ],
    )
    submit = SubmitField("Ruimte toevoegen")


class GroupForm(FlaskForm):
    programme_id = SelectField("Programma", coerce=int, validate_choice=False)
    aligned_with_id = SelectField(
        "Afstemmen op groep",
        coerce=int,
        validate_choice=False,
        description="Dezelfde weken als die groep, op een andere tijd of plaats.",
    )
    name = StringField(
        "Interne naam",
        validators=[
            DataRequired("Vul een interne naam in."),
            Length(max=120, message="Hoogstens 120 tekens."),
        ],
        description="Alleen voor medewerkers.",
    )
    public_title = StringField(
        "Titel voor deelnemers",
        validators=[
            DataRequired("Vul een neutrale titel in."),
            Length(max=80, message="Hoogstens 80 tekens."),
        ],
        description="Neutraal: deelnemers zien dit in hun agenda en op papier.",
    )
    location_id = SelectField("Locatie", coerce=int, validate_choice=False)
    room_id = SelectField("Ruimte", coerce=int, validate_choice=False)
    weekday = SelectField(
        "Dag van de week",
        coerce=int,
        choices=choices(enumerate(WEEKDAYS_NL)),
        validate_choice=False,
    )
    start_time = TimeField(
        "Begintijd", validators=[InputRequired(TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE
    )
    first_date = DateField(
        "Eerste datum", validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE
    )
    facilitator_a_id = SelectField("Begeleider 1", coerce=int, validate_choice=False)
    facilitator_b_id = SelectField("Begeleider 2", coerce=int, validate_choice=False)
    accept_conflicts = BooleanField("Ik heb de conflicten gezien en wil toch opslaan")
    preview = SubmitField("Rooster bekijken")
    save = SubmitField("Groep opslaan")

    def __init__(
        self, *args, locations=(), rooms=(), facilitators=(), programmes=(), aligned=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.aligned_with_id.choices = choices(
            [(0, "— niet afstemmen —")] + [(g.id, g.name) for g in aligned]
        )
        self.programme_id.choices = choices((p.id, p.name) for p in programmes)
        self.location_id.choices = choices((loc.id, loc.name) for loc in locations)
        self.room_id.choices = choices((r.id, f"{r.location.name} – {r.name}") for r in rooms)
        people = [(u.id, u.name) for u in facilitators]
        self.facilitator_a_id.choices = choices(people)
        self.facilitator_b_id.choices = choices(people)


class GroupDetailsForm(FlaskForm):
    name = StringField(
        "Interne naam", validators=[DataRequired("Vul een interne naam in."), Length(max=120)]
    )
    public_title = StringField(
        "Titel voor deelnemers",
        validators=[DataRequired("Vul een neutrale titel in."), Length(max=80)],
    )
    is_venue_released = BooleanField("Deelnemers mogen het adres van de locatie zien")
    submit = SubmitField("Opslaan")


class FinishGroupForm(FlaskForm):
    # Without JavaScript a checkbox is the confirmation step; reopening undoes a mistake.
    confirm = BooleanField(
        "Ja, sluit de groep af",
        validators=[DataRequired("Vink aan dat u de groep wilt afsluiten.")],
    )
    submit = SubmitField("Groep afsluiten")


class StartGroupForm(FlaskForm):
    override_reason = TextAreaField(
        "Reden om met minder dan 6 deelnemers te starten",
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField("Groep starten")


class ParticipantForm(FlaskForm):
    alias = StringField(
        "Voornaam of alias",
        validators=[
            DataRequired("Vul een voornaam of alias in."),
            Length(max=ALIAS_MAX, message=f"Hoogstens {ALIAS_MAX} tekens."),
        ],
        description="Geen achternaam, en nooit de naam van de (ex-)partner.",
    )
    status = SelectField(
        "Status", choices=choices(PARTICIPANT_STATUSES.items()), validate_choice=False
    )
    dropout_reason = StringField("Reden van uitval", validators=[Optional(), Length(max=250)])
    dropout_kind = SelectField(
        "Soort reden (voor de rapportage)", choices=_optional(DROPOUT_KINDS), validate_choice=False
    )
    intake_date = DateField(
        "Intakedatum", validators=[Optional()], invalid_value_message=DATE_MESSAGE
    )
    referral_source = SelectField(
        "Doorverwijzer", choices=_optional(REFERRAL_SOURCES), validate_choice=False
    )
    case_worker_id = SelectField("Individuele hulpverlener (medewerker)", validate_choice=False)
    external_case_worker_name = StringField(
        "Of: externe hulpverlener, naam", validators=[Optional(), Length(max=120)]
    )
    external_case_worker_org = StringField("Organisatie", validators=[Optional(), Length(max=120)])
    external_case_worker_contact = StringField(
        "Veilig bereikbaar via", validators=[Optional(), Length(max=250)]
    )
    phone = StringField("Telefoon (optioneel)", validators=[Optional(), Length(max=30)])
    email = StringField("E-mail (optioneel)", validators=[Optional(), Length(max=254)])
    safe_channel = SelectField(
        "Veilige manier van contact", choices=choices(SAFE_CHANNELS.items()), validate_choice=False
    )
    safe_times = StringField("Wanneer is contact veilig?", validators=[Optional(), Length(max=120)])
    is_voicemail_ok = BooleanField("Inspreken op voicemail mag")
    safe_notes = TextAreaField(
        "Afspraken over veilig contact", validators=[Optional(), Length(max=500)]
    )
    age_band = SelectField("Leeftijd", choices=_optional(AGE_BANDS), validate_choice=False)
    language = StringField(
        "Taal die zij het liefst spreekt", validators=[Optional(), Length(max=40)]
    )
    country_of_birth = StringField("Geboorteland", validators=[Optional(), Length(max=60)])
    violence_phase = SelectField(
        "Fase in de geweldcyclus", choices=_optional(VIOLENCE_PHASES), validate_choice=False
    )
    partner_relation = SelectField(
        "Relatie met de (ex-)partner", choices=_optional(PARTNER_RELATIONS), validate_choice=False
    )
    children = SelectField("Kinderen", choices=_optional(CHILDREN), validate_choice=False)
    #: what the form showed (veiligthuis.meanwhile), to save over a colleague's save meanwhile
    seen = HiddenField()
    submit = SubmitField("Opslaan")

    def __init__(self, *args, case_workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.case_worker_id.choices = [("", "— geen / extern —")] + [
            (str(u.id), u.name) for u in case_workers
        ]
        self._case_worker_ids = {str(u.id) for u in case_workers}

    def validate_case_worker_id(self, field):
        from wtforms.validators import ValidationError

        if field.data not in ("", None, "None") and str(field.data) not in self._case_worker_ids:
            raise ValidationError("Kies een hulpverlener uit de lijst.")


# --- from a submitted form to the plain values a service takes ---------------------------


def group_data(form: GroupForm) -> service.GroupData:
    """The submitted group as plain values for the service."""
    return service.GroupData(
        name=form.name.data or "",
        public_title=form.public_title.data or "",
        location_id=form.location_id.data or 0,
        room_id=form.room_id.data or 0,
        weekday=form.weekday.data if form.weekday.data is not None else -1,
        start_time=form.start_time.data,
        first_date=form.first_date.data,
        facilitator_a_id=form.facilitator_a_id.data or 0,
        facilitator_b_id=form.facilitator_b_id.data or 0,
        programme_id=form.programme_id.data or None,
        aligned_with_id=form.aligned_with_id.data or None,
    )


def participant_data(form: ParticipantForm) -> service.ParticipantData:
    """The submitted participant as plain values for the service (blanks become None)."""
    data = {
        name: form[name].data for name in vars(service.ParticipantData(alias="")) if name in form
    }
    raw = data.get("case_worker_id")
    data["case_worker_id"] = int(raw) if raw not in (None, "", "None") else None
    for name in (
        "referral_source",
        "dropout_kind",
        "age_band",
        "violence_phase",
        "partner_relation",
        "children",
    ):
        data[name] = data.get(name) or None
    return service.ParticipantData(**data)
