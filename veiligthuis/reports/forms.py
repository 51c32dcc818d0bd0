"""The report's filter (a GET form: it changes nothing, so it carries no CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import SelectField

from veiligthuis.forms import choices


class ReportFilterForm(FlaskForm):
    """Which groups to pool: all, or those that started in one year."""

    class Meta:
        csrf = False

    jaar = SelectField("Groepen gestart in", coerce=int)

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.jaar.choices = choices([(0, "alle jaren"), *((y, str(y)) for y in years)])
