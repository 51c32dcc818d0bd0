"""Error pages in Dutch. A request that ends on one is rolled back (see ``web``)."""

import logging

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

from veiligthuis.extensions import db
from veiligthuis.logs import LOGGER_NAME
from veiligthuis.web import mark_failed

MESSAGES = {
    400: ("Verzoek niet begrepen", "Het verzoek kon niet worden verwerkt. Probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze actie kan zo niet worden uitgevoerd."),
    409: (
        "Intussen gewijzigd",
        "Wat u wilde wijzigen is intussen door iemand anders gewijzigd of verwijderd. "
        "Uw wijziging is niet opgeslagen.",
    ),
    413: ("Bestand te groot", "Het bestand is te groot om te versturen."),
    429: ("Even wachten", "Te veel pogingen. Probeer het over een paar minuten opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Er is niets opgeslagen."),
}


#: what a write that found its row gone raises (another request deleted it in the meantime)
CHANGED_MEANWHILE = (StaleDataError, ObjectDeletedError)
#: a row another request stored (unique) or deleted (foreign key) in the meantime: PostgreSQL's
#: SQLSTATE, and the start of SQLite's message
_RACE_STATES = {"23505", "23503"}
_RACE_MESSAGES = ("UNIQUE constraint failed", "FOREIGN KEY constraint failed")


def _is_race(error: IntegrityError) -> bool:
    original = error.orig
    return getattr(original, "sqlstate", None) in _RACE_STATES or str(original).startswith(
        _RACE_MESSAGES
    )


def _render(code: int, message: str | None = None, *, reload: str | None = None):
    mark_failed()
    if request.path == "/e" or request.path.startswith("/e/"):
        # a participant's address: her own layout, neutral words, the exit, no staff link
        from veiligthuis.evaluations.participant_views import error_page

        return error_page(code)
    title, text = MESSAGES[code]
    return render_template(
        "errors/error.html", code=code, title=title, text=message or text, reload=reload
    ), code


def _page_of_this_address() -> str | None:
    """This address, if it is also a page to look at (GET): where to see how things are now."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        adapter.match(request.path, method="GET")
    except HTTPException:  # no page here (404, 405), or one under another address
        return None
    return request.full_path.rstrip("?")


def _changed_meanwhile(error: Exception):
    db.session.rollback()
    # the first line only: PostgreSQL's detail line would quote the values
    first_line = str(error).splitlines()[0] if str(error) else ""
    logging.getLogger(LOGGER_NAME).warning(
        "changed_meanwhile", extra={"error": f"{type(error).__name__}: {first_line}"[:300]}
    )
    return _render(409, reload=_page_of_this_address())


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _render(
            400,
            "Het formulier is verlopen of onvolledig verstuurd. Ga terug, laad de pagina "
            "opnieuw en probeer het nog eens.",
        )

    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda error, code=code: _render(code))

    # A colleague deleted what this request was changing, between its reading and its writing
    # (services flush their changes, so this is raised in the view, not at the commit after it).
    for error_class in CHANGED_MEANWHILE:
        app.register_error_handler(error_class, _changed_meanwhile)

    # ... or stored the same thing (the same mark, the same name) a moment before, or deleted
    # what this request links to; any other refusal of the database is a fault (500)
    @app.errorhandler(IntegrityError)
    def integrity_error(error):
        if _is_race(error):
            return _changed_meanwhile(error)
        raise error

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return _render(500)
