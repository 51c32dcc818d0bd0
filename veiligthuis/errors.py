"""Error pages in Dutch. A request that ends on one is rolled back (see ``web``)."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from veiligthuis.extensions import db
from veiligthuis.web import mark_failed

MESSAGES = {
    400: ("Verzoek niet begrepen", "Het verzoek kon niet worden verwerkt. Probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze actie kan zo niet worden uitgevoerd."),
    413: ("Bestand te groot", "Het bestand is te groot om te versturen."),
    429: ("Even wachten", "Te veel pogingen. Probeer het over een paar minuten opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Er is niets opgeslagen."),
}


def _render(code: int, message: str | None = None):
    mark_failed()
    if request.path == "/e" or request.path.startswith("/e/"):
        # a participant's address: her own layout, neutral words, the exit, no staff link
        from veiligthuis.evaluations.participant_views import error_page

        return error_page(code)
    title, text = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title, text=message or text), code


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

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return _render(500)
