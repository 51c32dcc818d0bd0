"""Two people on one record: what she changed on a form is saved field by field over what a
colleague saved since she opened it, and only where both changed one field differently is
nothing saved and she is asked.

The form carries what it showed as a short keyed digest per field (:func:`fingerprint`, in a
hidden field); :func:`merge` tells from it which fields she changed and which changed
meanwhile."""

import enum
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app


def _plain(value: object) -> str:
    """A field's value as it reads on the form: a blank is a blank, whatever type says so."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _key() -> bytes:
    """The digests' key, from the app's secret: a page's fingerprint does not tell a value the
    page does not show (a few possible answers are quickly tried)."""
    secret = current_app.secret_key
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    return hashlib.sha256(b"veiligthuis.meanwhile\0" + secret).digest()


def _digest(key: bytes, name: str, value: object) -> str:
    """With the field's name in it, so equal digests do not tell which fields hold the same."""
    message = f"{name}\0{_plain(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def fingerprint(values: Mapping[str, object]) -> str:
    """What a form shows, to send with it and read back by :func:`merge`."""
    key = _key()
    digests = {name: _digest(key, name, v) for name, v in values.items()}
    return json.dumps(digests, separators=(",", ":"))


def _shown(seen: str | None) -> dict[str, str]:
    try:
        shown = json.loads(seen or "{}")
    except ValueError:
        return {}
    return shown if isinstance(shown, dict) else {}


@dataclass(frozen=True)
class Merged:
    #: the record as it is now, with every field she changed put in
    values: dict[str, Any]
    #: fields she and a colleague both changed, to different values: nothing may be saved
    conflicts: tuple[str, ...]


def merge(
    submitted: Mapping[str, object], seen: str | None, current: Mapping[str, object]
) -> Merged:
    """Her ``submitted`` values on top of the ``current`` ones, by what the form showed.

    A form sent without a (readable) fingerprint, opened before forms carried one, counts as
    changing every field, as a save always did."""
    shown, key = _shown(seen), _key()
    values, conflicts = dict(current), []
    for name, value in submitted.items():
        was = shown.get(name)
        if was == _digest(key, name, value):
            continue  # as the form showed it: whatever is stored now stays
        if (
            was is not None
            and was != _digest(key, name, current[name])
            and _plain(value) != _plain(current[name])
        ):
            conflicts.append(name)
            continue
        values[name] = value
    return Merged(values, tuple(conflicts))


def show_on_form(form: Any, merged: Merged, current: Mapping[str, object]) -> None:
    """Her form (WTForms) again after a refused save, starting from the record as it is now: a
    field only a colleague changed shows the colleague's value, a field both changed shows hers
    with the other beside it. Its ``seen`` fingerprint is of the record now, so saving it again
    keeps what she leaves in the fields."""
    for name, value in merged.values.items():
        if name not in merged.conflicts and name in form:
            form[name].data, form[name].raw_data = value, None
    for name in merged.conflicts:
        form[name].errors = [
            f"Een collega heeft dit intussen gewijzigd in: «{_as_shown(form[name], current[name])}». "
            "Uw invoer staat er nog: pas die aan, of sla opnieuw op om die te bewaren."
        ]
    form.seen.data = fingerprint(current)


def _as_shown(field: Any, value: object) -> str:
    """A stored value as its form field shows it."""
    if field.type == "BooleanField":
        return "aangevinkt" if value else "niet aangevinkt"
    if field.type == "SelectField":
        labels = {str(choice[0]): choice[1] for choice in field.choices}
        return labels.get(_plain(value), _plain(value))
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return _plain(value) or "leeg"
