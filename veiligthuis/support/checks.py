"""What support's services share: checking dates and notes, and short Dutch dates."""

from datetime import date

from babel.dates import format_date

from veiligthuis.models import DomainError
from veiligthuis.sessions.models import GroupSession
from veiligthuis.sessions.schedule import to_local, today_local
from veiligthuis.support.models import NOTE_MAX

MAX_MINUTES = 600
INFORMED_MAX = 250


def short_date(day: date, today: date | None = None) -> str:
    """'12 nov', with the year when it is not this year."""
    today = today or today_local()
    return format_date(day, "d MMM" if day.year == today.year else "d MMM y", locale="nl")


def meeting_day(gs: GroupSession) -> date:
    return to_local(gs.start_dt).date()


def check_date(day: date | None, field_name: str, today: date) -> date:
    if day is None:
        raise DomainError("Vul een geldige datum in.", field_name)
    if day.year < 2000:
        raise DomainError("Vul een datum na 2000 in.", field_name)
    if day > today:
        raise DomainError("De datum ligt in de toekomst.", field_name)
    return day


def check_note(text: str | None, field_name: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("Schrijf een korte notitie.", field_name)
    if len(text) > NOTE_MAX:
        raise DomainError(f"Hoogstens {NOTE_MAX} tekens; houd het kort en feitelijk.", field_name)
    return text
