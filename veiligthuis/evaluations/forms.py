"""Staff forms for evaluation rounds. The participant's form is built from the question set."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from veiligthuis.evaluations.models import ROUND_KINDS
from veiligthuis.evaluations.rounds import MAX_CODES, MIN_CODES
from veiligthuis.forms import choices

COUNT_MESSAGE = f"Kies een aantal codes van {MIN_CODES} tot {MAX_CODES}."


class OpenRoundForm(FlaskForm):
    """Open a round: what is evaluated, and how many codes (as many as were present)."""

    kind = SelectField("Wat wordt er geëvalueerd?", choices=choices(ROUND_KINDS.items()))
    number = SelectField("Bijeenkomst", coerce=int, validators=[Optional()])
    count = IntegerField(
        "Aantal codes",
        description="Zoveel als er deelnemers aanwezig zijn (1 tot 30).",
        validators=[InputRequired(COUNT_MESSAGE), NumberRange(MIN_CODES, MAX_CODES, COUNT_MESSAGE)],
    )
    submit = SubmitField("Ronde openen en codes maken")

    def __init__(self, *args, numbers: Iterable[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.number.choices = choices(
            [(0, "— geen —"), *((n, f"Bijeenkomst {n}") for n in numbers)]
        )


class AddCodesForm(FlaskForm):
    """More codes for an open round: lost slips or latecomers."""

    count = IntegerField(
        "Aantal nieuwe codes",
        validators=[InputRequired(COUNT_MESSAGE), NumberRange(MIN_CODES, MAX_CODES, COUNT_MESSAGE)],
    )
    replace_unused = BooleanField(
        "Niet-gebruikte oude codes laten vervallen (briefjes die al zijn uitgedeeld werken dan niet meer)",
        default=False,
    )
    submit = SubmitField("Nieuwe codes maken")
