"""Evaluations: the participant's pages under /e (no login) and the team's pages per group.

Participant pages carry no staff data, set no cookie but the session cookie holding the form's
CSRF token, take the language from ``?taal=`` and work without JavaScript (only the Shift
shortcut of the exit control needs it).
"""

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import ValidationError, validate_csrf
from markupsafe import Markup

from veiligthuis.auth.service import audit
from veiligthuis.evaluations import documents, service
from veiligthuis.evaluations.forms import AddCodesForm, OpenRoundForm
from veiligthuis.evaluations.models import ROUND_KINDS, EvaluationRound
from veiligthuis.evaluations.texts import (
    LANGUAGE_NAMES,
    RTL_LANGUAGES,
    face_mood,
    localise,
    pick_language,
    texts_for,
)
from veiligthuis.extensions import csrf, db
from veiligthuis.models import DomainError
from veiligthuis.signals import template_hook
from veiligthuis.web import apply_domain_error, load_group

bp = Blueprint("evaluations", __name__)

ERROR_MESSAGES_NL = {
    "error_choice": "Kies een van de antwoorden.",
    "error_too_long": f"Dit antwoord is te lang (maximaal {service.MAX_TEXT_LENGTH} tekens).",
}


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


# --- the participant's side ------------------------------------------------------------------


def _language() -> str:
    return pick_language(request.args.get("taal"))


def _participant_page(template: str, status: int = 200, *, lang: str | None = None, **context):
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


def _client_key() -> str:
    return service.client_key(_secret(), request.remote_addr)


def _refuse_code():
    """Count a wrong code and answer kindly; the same answer for unknown, used and expired."""
    service.record_failed_code(db.session, _client_key())
    db.session.commit()
    return _participant_page("evaluations/participant/invalid.html", 404, start_over=True)


def _too_many():
    return _participant_page("evaluations/participant/too_many.html", 429, start_over=True)


def _open_round_for(raw_code: str):
    """(code, round) for an unused code of an open round, or a response to send instead."""
    if service.is_guessing(db.session, _client_key()):
        return None, None, _too_many()
    code = service.normalise_code(raw_code)
    round_ = service.find_round(db.session, code, _secret(), service.today_local())
    if round_ is None:
        return None, None, _refuse_code()
    return code, round_, None


@bp.route("/e")
def enter_code():
    raw = request.args.get("code")
    if raw is None or not raw.strip():
        return _participant_page("evaluations/participant/enter_code.html")
    code, _round, refusal = _open_round_for(raw)
    if refusal is not None:
        return refusal
    return redirect(url_for("evaluations.intro", code=service.format_code(code), taal=_language()))


@bp.route("/e/<code>")
def intro(code: str):
    code, _round, refusal = _open_round_for(code)
    if refusal is not None:
        return refusal
    return _participant_page("evaluations/participant/intro.html", code=service.format_code(code))


def _render_form(round_, code, values, errors, message=None, status=200):
    lang = _language()
    return _participant_page(
        "evaluations/participant/form.html",
        status,
        lang=lang,
        code=service.format_code(code),
        question_set=round_.question_set,
        values=values,
        errors=errors,
        message=message,
    )


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


@bp.route("/e/<code>/vragen", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token keeps her answers instead of losing them
def answer(code: str):
    token_ok = request.method == "GET" or _csrf_ok()
    code, round_, refusal = _open_round_for(code)
    if refusal is not None:
        if not token_ok and refusal[1] == 404:
            return _participant_page("evaluations/participant/expired.html", 400, start_over=True)
        return refusal
    if request.method == "GET":
        return _render_form(round_, code, {}, {})
    values, errors = service.parse_answers(round_.question_set, request.form)
    if not token_ok:
        return _render_form(round_, code, values, errors, "error_expired_form", 400)
    if errors:
        return _render_form(round_, code, values, errors, "errors_heading", 422)
    if not values:
        return _render_form(round_, code, values, errors, "error_empty", 422)
    try:
        service.submit_answers(
            db.session, round_, code, values, secret=_secret(), today=service.today_local()
        )
        db.session.commit()
    except service.CodeRejected:
        db.session.rollback()
        return _participant_page("evaluations/participant/invalid.html", 404, start_over=True)
    except sa.exc.OperationalError:
        # a busy database: nothing was stored, and her answers stay on the page
        db.session.rollback()
        return _render_form(round_, code, values, errors, "error_retry", 503)
    return redirect(url_for("evaluations.thanks", taal=_language()))


@bp.route("/e/bedankt")
def thanks():
    return _participant_page("evaluations/participant/thanks.html")


@bp.route("/e/hulp")
def safety():
    return _participant_page("evaluations/participant/safety.html")


@bp.route("/e/weg")
def leave():
    """End her session and send her to a neutral site; replaces the page in her history."""
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


# --- the team's side -------------------------------------------------------------------------


def _load_round(group, round_id: int) -> EvaluationRound:
    round_ = db.session.get(EvaluationRound, round_id)
    if round_ is None or round_.group_id != group.id:
        abort(404)
    return round_


def _numbers(group) -> list[int]:
    return [s.number for s in group.active_sessions if s.number]


def _session_by_number(group, number: int | None):
    return next((s for s in group.active_sessions if number and s.number == number), None)


def _group_page(group, open_form=None, status=200):
    today = service.today_local()
    results = service.group_results(db.session, group, today)
    if results.closed_now:
        db.session.commit()  # rounds found past their last day were marked closed
    if open_form is None:
        open_form = OpenRoundForm(numbers=_numbers(group))
        open_form.count.data = service.default_code_count(db.session, group, None)
    return render_template(
        "evaluations/group.html",
        group=group,
        results=results,
        charts=documents.group_charts(results),
        open_form=open_form,
        today=today,
        kinds=ROUND_KINDS,
        can_edit=_can_edit(group),
        min_responses=service.MIN_RESPONSES,
    ), status


def _can_edit(group) -> bool:
    from veiligthuis import permissions

    return permissions.can_edit_group(current_user, group)


@bp.route("/groepen/<int:group_id>/evaluaties")
@login_required
def group_page(group_id: int):
    group = load_group(group_id)
    return _group_page(group)


def _codes_page(group, round_, codes):
    return render_template(
        "evaluations/codes.html",
        group=group,
        round=round_,
        codes=[service.format_code(c) for c in codes],
        public_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/e",
    )


@bp.route("/groepen/<int:group_id>/evaluaties/nieuw", methods=["POST"])
@login_required
def round_open(group_id: int):
    group = load_group(group_id, edit=True)
    form = OpenRoundForm(numbers=_numbers(group))
    if form.validate_on_submit():
        group_session = _session_by_number(group, form.number.data)
        try:
            round_, codes = service.open_round(
                db.session,
                current_user,
                group,
                form.kind.data,
                group_session=group_session,
                count=form.count.data,
                secret=_secret(),
                today=service.today_local(),
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            return _codes_page(group, round_, codes)
    return _group_page(group, form, 422)


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>")
@login_required
def round_page(group_id: int, round_id: int):
    group = load_group(group_id)
    round_ = _load_round(group, round_id)
    today = service.today_local()
    if service.close_expired_rounds(db.session, [round_], today):
        db.session.commit()
    result = service.round_result(db.session, round_)
    codes_form = AddCodesForm()
    codes_form.count.data = 1
    return render_template(
        "evaluations/round.html",
        group=group,
        round=round_,
        result=result,
        chart_uris=documents.round_charts(result),
        is_open=round_.is_open(today),
        can_edit=_can_edit(group),
        codes_form=codes_form,
        min_responses=service.MIN_RESPONSES,
        code_count=service.code_counts(db.session, [round_])[round_.id],
    )


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/codes", methods=["POST"])
@login_required
def round_codes(group_id: int, round_id: int):
    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    form = AddCodesForm()
    if form.validate_on_submit():
        try:
            codes = service.add_codes(
                db.session,
                current_user,
                round_,
                form.count.data,
                secret=_secret(),
                today=service.today_local(),
                replace_unused=form.replace_unused.data,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            return _codes_page(group, round_, codes)
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("evaluations.round_page", group_id=group.id, round_id=round_.id))


def _posted_codes(round_) -> list[str]:
    codes = service.codes_of_round(db.session, round_, request.form.getlist("code"), _secret())
    if not codes:
        abort(400)
    return codes


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/briefjes.pdf", methods=["POST"])
@login_required
def round_slips(group_id: int, round_id: int):
    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    codes = _posted_codes(round_)
    pdf = documents.slips_pdf(group.public_title, codes, current_app.config["PUBLIC_BASE_URL"])
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="briefjes.pdf"'},
    )


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/scherm", methods=["POST"])
@login_required
def round_projector(group_id: int, round_id: int):
    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    codes = _posted_codes(round_)
    public_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/e"
    return render_template(
        "evaluations/projector.html",
        title=group.public_title,
        codes=[service.format_code(c) for c in codes],
        public_url=public_url,
        qr=documents.qr_data_uri(public_url),
    )


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/sluiten", methods=["POST"])
@login_required
def round_close(group_id: int, round_id: int):
    from veiligthuis.auth.forms import EmptyForm

    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    if EmptyForm().validate_on_submit():
        try:
            service.close_round(db.session, current_user, round_)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("De ronde is gesloten; de codes werken niet meer.", "success")
    return redirect(url_for("evaluations.round_page", group_id=group.id, round_id=round_.id))


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/papier", methods=["GET", "POST"])
@login_required
def round_paper(group_id: int, round_id: int):
    from veiligthuis.auth.forms import EmptyForm

    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        values, errors = service.parse_answers(round_.question_set, request.form)
        if not errors:
            try:
                service.enter_paper_answers(
                    db.session, current_user, round_, values, today=service.today_local()
                )
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash(
                    "Het papieren formulier is opgeslagen. U kunt het volgende invoeren.", "success"
                )
                return redirect(
                    url_for("evaluations.round_paper", group_id=group.id, round_id=round_.id)
                )
        status = 422
    return render_template(
        "evaluations/paper.html",
        group=group,
        round=round_,
        question_set=round_.question_set,
        values=values,
        errors={qid: ERROR_MESSAGES_NL[key] for qid, key in errors.items()},
        responses=service.response_counts(db.session, [round_])[round_.id],
    ), status


@bp.route("/groepen/<int:group_id>/evaluaties/resultaten.csv")
@login_required
def group_csv(group_id: int):
    group = load_group(group_id)
    results = service.group_results(db.session, group, service.today_local())
    data = documents.results_csv(results)
    audit(db.session, current_user, "evaluation_export", group, detail="csv")
    db.session.commit()
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="evaluaties.csv"'},
    )


@bp.route("/groepen/<int:group_id>/evaluaties/verslag.pdf")
@login_required
def group_pdf(group_id: int):
    group = load_group(group_id)
    results = service.group_results(db.session, group, service.today_local())
    pdf = documents.report_pdf(db.session, group, results)
    audit(db.session, current_user, "evaluation_export", group, detail="pdf")
    db.session.commit()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="evaluatieverslag.pdf"'},
    )


# --- on the meeting page (template hook) -----------------------------------------------------


@template_hook.connect_via("session-evaluation")
def meeting_evaluation_panel(_hook, *, group, gs, previous=None, can_edit=False, **_kwargs):
    """The previous meeting's evaluation summary and this meeting's rounds."""
    html = render_template(
        "evaluations/_session_panel.html",
        group=group,
        gs=gs,
        previous=previous,
        can_edit=can_edit,
        previous_evaluation=service.previous_summary(db.session, previous),
        session_evaluation=service.meeting_panel(db.session, group, gs),
    )
    return Markup(html)
