"""Settings a coordinator changes at run time, stored in the database with defaults in code."""

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis import changes
from veiligthuis.models import Base, DbSession

#: name -> (default, Dutch label). The type of the default is the type of the setting.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "organisation_name": (
        "Algemeen Maatschappelijk Werk",
        "Naam van de organisatie (alleen intern)",
    ),
    "public_title": ("Vrouwengroep", "Neutrale titel voor deelnemers"),
    "neutral_sender": ("Planning", "Neutrale afzender richting deelnemers"),
    "completion_threshold": (9, "Aantal bijgewoonde bijeenkomsten voor een deelnamebewijs"),
    "skip_good_friday": (False, "Geen bijeenkomst op Goede vrijdag"),
    "skip_liberation_day": (True, "Geen bijeenkomst op Bevrijdingsdag (elk jaar)"),
    "skip_school_holidays": (True, "Geen bijeenkomsten in de schoolvakanties van de regio"),
    "retention_months": (24, "Bewaartermijn persoonsgegevens na afloop van de groep (maanden)"),
    "no_contact_weeks": (3, "Signaal na zoveel weken zonder individueel contact"),
    "max_upload_mb": (25, "Maximale grootte van een bijlage (MB)"),
    "evaluation_days": (7, "Evaluatiecodes zijn zoveel dagen geldig"),
    "diversity_fields": (True, "Diversiteitsgegevens (zelf opgegeven) vastleggen"),
    "children_per_volunteer": (4, "Kinderen per vrijwilliger bij de kinderopvang"),
    "referral_mail": (False, "Coördinatoren een neutrale e-mail sturen bij een nieuwe aanmelding"),
    "require_two_factor": (
        True,
        "Inloggen in twee stappen verplicht voor wie deelnemersgegevens ziet",
    ),
    "audit_retention_years": (5, "Bewaartermijn van het auditlog (jaren, NEN 7513: minstens 5)"),
    "keep_apart_margin_minutes": (
        120,
        "Scheidingsafspraken: minuten vóór en na een bijeenkomst op dezelfde locatie",
    ),
}

#: bounds of the whole-number settings that need other bounds than 1..600
_RANGES = {"completion_threshold": (1, 12), "audit_retention_years": (5, 30)}


class Setting(Base):
    __tablename__ = "settings"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    value: so.Mapped[Any] = so.mapped_column(sa.JSON)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value!r}>"


#: where a transaction keeps the settings it has read (``Session.info``)
_READ = "veiligthuis.settings"


#: plain keys and values: no object per setting is needed to read them
_ALL = sa.select(Setting.key, Setting.value)


def _read_all(db_session: DbSession) -> dict[str, Any]:
    values = {key: default for key, (default, _label) in DEFAULTS.items()}
    for key, value in db_session.execute(_ALL):
        if key in values:
            values[key] = value
    return values


def _stored(db_session: DbSession) -> dict[str, Any]:
    """Every setting, read in one query and kept until anything changes (as a setting that is
    saved does): a page asks for several, and nearly every page for one. Never to be changed
    by the caller: every transaction on this app server is given the same dictionary."""
    values = db_session.info.get(_READ)
    if values is None:
        values = changes.cached(db_session, "settings", None, lambda: _read_all(db_session))
        db_session.info[_READ] = values
    return values


@sa.event.listens_for(so.Session, "after_transaction_end")
def _forget_read(db_session: so.Session, _transaction) -> None:
    # at every flush (its own inner transaction), commit and rollback, savepoints too: what was
    # read is read again after anything that may have changed it
    db_session.info.pop(_READ, None)


def get_setting(db_session: DbSession, key: str) -> Any:
    """The stored value of a setting, or its default."""
    return _stored(db_session)[key]


def get_settings(db_session: DbSession) -> dict[str, Any]:
    """All settings at once (one query)."""
    return dict(_stored(db_session))


def set_setting(db_session: DbSession, key: str, value: Any) -> None:
    """Store a setting; the value must have the type of its default."""
    default, _label = DEFAULTS[key]
    if type(value) is not type(default):
        raise TypeError(f"{key} takes {type(default).__name__}")
    row = db_session.get(Setting, key)
    if row is None:
        db_session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db_session.flush()


def parse_settings(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings typed into the form, each of its default's type, and Dutch errors by key."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, (default, _label) in DEFAULTS.items():
        value, error = _parse_one(key, default, form.get(key, ""))
        if error:
            errors[key] = error
        else:
            parsed[key] = value
    return parsed, errors


def _parse_one(key: str, default: Any, raw: str) -> tuple[Any, str | None]:
    from veiligthuis.wording import find_sensitive_words

    if isinstance(default, bool):
        return raw == "on", None
    if isinstance(default, int):
        low, high = _RANGES.get(key, (1, 600))
        try:
            number = int(raw)
        except ValueError:
            return None, "Vul een heel getal in."
        if not low <= number <= high:
            if key == "completion_threshold" and number > high:
                return None, "Een groep heeft twaalf bijeenkomsten: kies hoogstens 12."
            return None, f"Kies een getal van {low} tot en met {high}."
        return number, None
    text = raw.strip()
    if not text or len(text) > 120 or "\x00" in text:
        return None, "Vul een tekst in van hoogstens 120 tekens."
    if key in ("public_title", "neutral_sender") and find_sensitive_words(text):
        return None, "Deze tekst is niet neutraal genoeg: deelnemers kunnen hem ontvangen."
    return text, None


def save_settings(db_session: DbSession, actor, form: Mapping[str, str]) -> dict[str, str]:
    """Validate and store the settings form; every change is audited. Errors by key, or {}."""
    from veiligthuis.auth.service import audit, end_sessions_without_two_factor

    parsed, errors = parse_settings(form)
    if errors:
        return errors
    current = get_settings(db_session)
    for key, value in parsed.items():
        if current[key] != value:
            set_setting(db_session, key, value)
            row = db_session.get(Setting, key)
            audit(db_session, actor, "setting", row, detail=f"{key}: {current[key]!r} -> {value!r}")
    if parsed["require_two_factor"] and not current["require_two_factor"]:
        end_sessions_without_two_factor(db_session, actor)
    return {}
