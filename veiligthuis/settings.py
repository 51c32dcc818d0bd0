"""Settings a coordinator changes at run time, stored in the database with defaults in code."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.models import Base

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
}


class Setting(Base):
    __tablename__ = "settings"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    value: so.Mapped[Any] = so.mapped_column(sa.JSON)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value!r}>"


def get_setting(db_session: so.Session, key: str) -> Any:
    """The stored value of a setting, or its default."""
    default, _label = DEFAULTS[key]
    row = db_session.get(Setting, key)
    return default if row is None else row.value


def get_settings(db_session: so.Session) -> dict[str, Any]:
    """All settings at once (one query)."""
    values = {key: default for key, (default, _label) in DEFAULTS.items()}
    for row in db_session.scalars(sa.select(Setting)):
        if row.key in values:
            values[row.key] = row.value
    return values


def set_setting(db_session: so.Session, key: str, value: Any) -> None:
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
