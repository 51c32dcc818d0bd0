"""The participant's pages under /e: no login, no code in any address, an exit on every page.

She types her code (or our script posts it from a QR slip's ``#fragment``); the POST uses the
code up and starts a form session in her session cookie: the round, a random nonce, a short
keyed digest of the code (to recognise it if she types it again) and an end time. The questions
are then at ``/e/vragen``, an address without the code. Pages are ``no-store`` (app-wide), so
Back after the exit re-asks the server, which has ended the form session and shows nothing of it.
"""

import time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import ValidationError, validate_csrf

from veiligthuis.evaluations import service
from veiligthuis.evaluations.models import EvaluationRound
from veiligthuis.evaluations.texts import (
    LANGUAGE_NAMES,
    RTL_LANGUAGES,
    face_mood,
    localise,
    pick_language,
    texts_for,
)
from veiligthuis.extensions import csrf, db

bp = Blueprint("evaluations", __name__)

#: how long an opened form stays open in her browser
FORM_SESSION_SECONDS = 3 * 3600
_KEY = "evaluation_form"


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _language() -> str:
    return pick_language(request.values.get("taal"))


def participant_page(template: str, status: int = 200, *, lang: str | None = None, **context):
    """A page in the participant layout, in her language."""
    lang = lang or _language()
    html = render_template(
        template,
        lang=lang,
        t=texts_for(lang),
        rtl=lang in RTL_LANGUAGES,
        languages=LANGUAGE_NAMES,
        localise=localise,
        face_mood=face_mood,
        max_text=service.MAX_TEXT_LENGTH,
        **context,
    )
    return html, status


def error_page(status: int):
    """An error under /e: the participant layout, neutral words, a way back to the code."""
    return participant_page("evaluations/participant/error.html", status, start_over=True)


def _code_digest(code: str) -> str:
    return service.hash_code(_secret(), code)[:16]


def _form_session() -> dict | None:
    state = session.get(_KEY)
    if not isinstance(state, dict) or state.get("x", 0) < time.time():
        return None
    return state


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _to(endpoint: str):
    return redirect(url_for(endpoint, taal=_language()), 303)


@bp.route("/e", methods=["GET", "POST"])
@csrf.exempt  # checked below, to answer an expired form kindly on her own page
def enter_code():
    if request.method == "GET":
        return participant_page("evaluations/participant/enter_code.html")
    if not _csrf_ok():
        return participant_page("evaluations/participant/enter_code.html", 400, expired=True)
    key = service.client_key(_secret(), request.remote_addr)
    if service.is_guessing(db.session, key):
        return participant_page("evaluations/participant/too_many.html", 429, start_over=True)
    code = service.normalise_code(request.form.get("code"))
    today = service.today_local()
    try:
        # the usual case, a fresh code: used up in one statement
        round_id, nonce = service.open_form(db.session, code or "", secret=_secret(), today=today)
    except service.CodeRejected:
        return _refused_code(key, code, today)
    session[_KEY] = {
        "r": round_id,
        "n": nonce,
        "c": _code_digest(code),
        "x": int(time.time()) + FORM_SESSION_SECONDS,
    }
    return _to("evaluations.intro")


def _refused_code(key: str, code: str | None, today):
    """The answer to a code that opened no form: unknown (a wrong guess), or used before."""
    round_, used = service.find_code(db.session, code, _secret(), today)
    if round_ is None:
        service.record_failed_code(db.session, key)
        return participant_page("evaluations/participant/invalid.html", 404, start_over=True)
    state = _form_session()
    # Back after sending, or her own code typed again: never counted as a wrong guess.
    if code and state and state.get("c") == _code_digest(code):
        return _to("evaluations.thanks" if state.get("s") else "evaluations.intro")
    return participant_page("evaluations/participant/used.html", start_over=True)


def _open_form():
    """(state, round) of her form session if it can still send, else (None, None)."""
    state = _form_session()
    if state is None or state.get("s"):
        return state, None
    round_ = db.session.scalar(
        sa.select(EvaluationRound)
        .where(EvaluationRound.id == state.get("r"))
        .options(so.joinedload(EvaluationRound.question_set))
    )
    if round_ is None or not round_.is_open(service.today_local()):
        return state, None
    return state, round_


def _no_form(state):
    if state and state.get("s"):
        return _to("evaluations.thanks")
    # a POST here without a form session is an expired form (and nothing of it is shown back)
    status = 400 if request.method == "POST" else 410
    return participant_page("evaluations/participant/expired.html", status, start_over=True)


@bp.route("/e/welkom")
def intro():
    state, round_ = _open_form()
    if round_ is None:
        return _no_form(state)
    return participant_page("evaluations/participant/intro.html")


def _render_form(round_, values, errors, message=None, status=200):
    return participant_page(
        "evaluations/participant/form.html",
        status,
        question_set=round_.question_set,
        values=values,
        errors=errors,
        message=message,
        switch_form="answers",
    )


@bp.route("/e/vragen", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token keeps her answers instead of losing them
def answer():
    state, round_ = _open_form()
    if round_ is None:
        return _no_form(state)
    if request.method == "GET":
        return _render_form(round_, {}, {})
    values, errors = service.parse_answers(round_.question_set, request.form)
    if "wissel" in request.form:  # another language: the same answers, nothing stored
        return _render_form(round_, {k: v for k, v in values.items() if k not in errors}, {})
    if not _csrf_ok():
        return _render_form(round_, values, errors, "error_expired_form", 400)
    if errors:
        return _render_form(round_, values, errors, "errors_heading", 422)
    if not values:
        return _render_form(round_, values, errors, "error_empty", 422)
    try:
        service.submit_answers(db.session, round_, state["n"], values, today=service.today_local())
        db.session.flush()
    except service.AlreadySent:
        db.session.rollback()
        return _to("evaluations.thanks")
    except service.CodeRejected:
        db.session.rollback()
        return participant_page("evaluations/participant/expired.html", 410, start_over=True)
    except sa.exc.OperationalError:
        # a busy database: nothing was stored, and her answers stay on the page
        db.session.rollback()
        return _render_form(round_, values, errors, "error_retry", 503)
    session[_KEY] = {"s": 1, "c": state.get("c"), "x": state.get("x")}
    return _to("evaluations.thanks")


@bp.route("/e/bedankt")
def thanks():
    return participant_page("evaluations/participant/thanks.html")


@bp.route("/e/hulp")
def safety():
    return participant_page("evaluations/participant/safety.html")


@bp.route("/e/weg")
def leave():
    """End her form session and send her to a neutral site; replaces the page in her history."""
    session.clear()
    target = current_app.config["EXIT_URL"]
    if target.startswith(("https://", "http://")):
        response = redirect(target)
    else:
        # Browsers refuse to follow a redirect to a non-web address (about:blank in tests, or a
        # local page); a refresh from an empty page of ours gets there all the same.
        response = Response(render_template("evaluations/participant/leaving.html", target=target))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
