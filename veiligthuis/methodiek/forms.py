"""Forms for editing the method material."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from veiligthuis.auth.forms import MultiCheckboxField
from veiligthuis.forms import choices

#: empty rows offered under the work forms, to add new ones
EXTRA_ACTIVITY_ROWS = 2


#: how to lay out a text, in words an editor uses (the texts are stored as Markdown)
LAYOUT_HINT = (
    "Een regel die met ## begint wordt een kopje, een regel met - ervoor een opsomming, "
    "**zo** wordt vet. Met Voorbeeld bekijken ziet u hoe het eruitziet."
)


class WholeNumberField(IntegerField):
    """An IntegerField that says in Dutch what is wrong."""

    def __init__(self, *args, invalid_message: str = "Vul een heel getal in.", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        """Parse the number; a Dutch message when it is not one."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error


RELOAD = "Het formulier is onvolledig. Laad de pagina opnieuw."


class RevisionMixin:
    """The revision an edit started from; a save is refused when the text moved on."""

    revision = WholeNumberField(
        widget=HiddenInput(), validators=[InputRequired(RELOAD)], invalid_message=RELOAD
    )


class VersionForm(FlaskForm):
    """A draft's name, title and description."""

    label = StringField(
        "Versienaam",
        validators=[DataRequired("Geef de versie een naam."), Length(max=40)],
        description="Bijvoorbeeld 2026.2.",
    )
    title = StringField("Titel", validators=[DataRequired("Vul een titel in."), Length(max=120)])
    description = TextAreaField("Beschrijving", validators=[Length(max=5000)])
    submit = SubmitField("Gegevens opslaan")


class ActivityForm(Form):
    """One row of the work-form table (a subform: the page's form carries the CSRF token)."""

    title = StringField("Werkvorm", validators=[Optional(), Length(max=200)])
    minutes = WholeNumberField(
        "Minuten",
        validators=[
            Optional(),
            NumberRange(min=1, max=150, message="Vul een aantal minuten in van 1 tot 150."),
        ],
        invalid_message="Vul het aantal minuten in als heel getal, bijvoorbeeld 15.",
    )
    is_break = BooleanField("Pauze")
    description = TextAreaField("Beschrijving", validators=[Length(max=5000)])


class SessionForm(RevisionMixin, FlaskForm):
    """A session plan; the handout choices are the version's handouts."""

    title = StringField("Titel", validators=[DataRequired("Vul een titel in."), Length(max=200)])
    theme = StringField("Thema", validators=[Length(max=300)])
    goals = TextAreaField(
        "Doelen", description="Eén doel per regel.", validators=[Length(max=5000)]
    )
    activities = FieldList(FormField(ActivityForm), min_entries=1, max_entries=30)
    materials = TextAreaField(
        "Materialen", description="Eén ding per regel.", validators=[Length(max=5000)]
    )
    handouts = MultiCheckboxField("Bijlagen voor deelnemers", validate_choice=False)
    home_practice = TextAreaField("Oefening voor thuis", validators=[Length(max=5000)])
    culture_notes = TextAreaField("Cultuursensitief begeleiden", validators=[Length(max=10000)])
    low_literacy_notes = TextAreaField(
        "Deelnemers die weinig Nederlands lezen", validators=[Length(max=10000)]
    )
    body = TextAreaField(
        "Achtergrond voor begeleiders",
        description=LAYOUT_HINT,
        validators=[Length(max=100_000)],
    )
    preview = SubmitField("Voorbeeld bekijken")
    save = SubmitField("Opslaan")

    def __init__(self, *args, handouts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.handouts.choices = choices((h.filename, h.title) for h in handouts)


class TextForm(RevisionMixin, FlaskForm):
    """A handout or document: one Markdown (or YAML) text."""

    body = TextAreaField("Tekst", validators=[Length(max=200_000)])
    preview = SubmitField("Voorbeeld bekijken")
    save = SubmitField("Opslaan")


class NewHandoutForm(FlaskForm):
    """A new handout in a draft."""

    filename = StringField(
        "Korte naam",
        validators=[DataRequired("Geef de bijlage een korte naam."), Length(max=120)],
        description="Kleine letters, cijfers en streepjes, bijvoorbeeld 05-mijn-netwerk.",
    )
    body = TextAreaField(
        "Tekst",
        validators=[DataRequired("Een bijlage mag niet leeg zijn."), Length(max=200_000)],
        description="Begin met de titel op een regel die met # en een spatie begint, "
        "bijvoorbeeld # Mijn netwerk. " + LAYOUT_HINT,
    )
    submit = SubmitField("Bijlage toevoegen")


class AttachmentForm(FlaskForm):
    """An upload; the file is checked by the service, not by the form."""

    file = FileField("Bestand")
    submit = SubmitField("Uploaden")
