"""Evaluations: the team's pages per group (the participant's pages are in participant_views)."""

from dataclasses import dataclass

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from veiligthuis import changes
from veiligthuis.auth.service import audit
from veiligthuis.evaluations import documents, service
from veiligthuis.evaluations.forms import AddCodesForm, OpenRoundForm
from veiligthuis.evaluations.models import EvaluationRound
from veiligthuis.evaluations.participant_views import bp
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.groups.facts import GroupFacts
from veiligthuis.groups.models import Group
from veiligthuis.models import DomainError
from veiligthuis.signals import template_hook
from veiligthuis.web import (
    Around,
    apply_domain_error,
    group_of,
    kept_fragment,
    load_group,
    load_group_facts,
)

__all__ = ["bp"]

ERROR_MESSAGES_NL = {
    "error_choice": "Kies een van de antwoorden.",
    "error_too_long": f"Dit antwoord is te lang (maximaal {service.MAX_TEXT_LENGTH} tekens).",
}


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


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


@dataclass(frozen=True)
class _Parts:
    """A group's results page as far as it follows from the data and the day: its rounds, and
    the results below the form."""

    rounds: Markup
    results: Markup


def _results_parts(group: Group | GroupFacts) -> _Parts:
    """Rendered once per group and day, then kept per app server until anything in the database
    changes (veiligthuis.changes): working out the answers and drawing the charts is most of
    what the page costs. Only after the view checked that she may see the group; nothing in
    the parts depends on who looks (the form to open a round is rendered apart)."""
    today = service.today_local()

    def render() -> _Parts:
        loaded = group_of(group, Around.NOBODY)
        results = service.group_results(db.session, loaded, today)
        context = {
            "group": loaded,
            "results": results,
            "charts": documents.group_charts(results),
            "today": today,
            "min_responses": service.MIN_RESPONSES,
        }
        return _Parts(
            Markup(render_template("evaluations/_rounds.html", **context)),
            Markup(render_template("evaluations/_results.html", **context)),
        )

    return changes.cached(db.session, "evaluation results", (group.id, today), render)


def _open_form(group: Group | GroupFacts, refused: OpenRoundForm | None) -> Markup:
    """The form to open a round. As it first appears it follows from the group alone and is
    kept until anything changes (her CSRF token put in on every view); a refused one is
    rendered with its messages and what she typed."""

    def render(csrf: str) -> str:
        loaded = group_of(group, Around.NOBODY)
        form = refused
        if form is None:
            form = OpenRoundForm(numbers=_numbers(loaded))
            form.count.data = service.default_code_count(db.session, loaded, None)
        return render_template(
            "evaluations/_open_round.html", group=loaded, open_form=form, csrf=csrf
        )

    if refused is not None:
        return Markup(render(generate_csrf()))
    return kept_fragment("open round form", group.id, render)


def _group_page(group: Group | GroupFacts, refused: OpenRoundForm | None = None, status=200):
    parts = _results_parts(group)
    can_edit = _can_edit(group)
    return render_template(
        "evaluations/group.html",
        group=group,
        parts=parts,
        open_form=_open_form(group, refused) if can_edit else None,
        can_edit=can_edit,
    ), status


def _can_edit(group) -> bool:
    from veiligthuis import permissions

    return permissions.can_edit_group(current_user, group)


@bp.route("/groepen/<int:group_id>/evaluaties")
@login_required
def group_page(group_id: int):
    # its parts are kept: the group loads only to render them
    return _group_page(load_group_facts(group_id))


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
            apply_domain_error(form, error)
        else:
            return _codes_page(group, round_, codes)
    return _group_page(group, form, 422)


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>")
@login_required
def round_page(group_id: int, round_id: int):
    group = load_group(group_id)
    round_ = _load_round(group, round_id)
    today = service.today_local()
    service.close_expired_rounds(db.session, [round_], today)
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
            apply_domain_error(None, error)
        else:
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
    if EmptyForm().validate_on_submit() and confirmed(
        "Vink aan dat u de ronde wilt sluiten; de codes werken nog."
    ):
        try:
            service.close_round(db.session, current_user, round_)
        except DomainError as error:
            apply_domain_error(None, error)
        else:
            flash("De ronde is gesloten; de codes werken niet meer.", "success")
    return redirect(url_for("evaluations.round_page", group_id=group.id, round_id=round_.id))


@bp.route("/groepen/<int:group_id>/evaluaties/<int:round_id>/papier", methods=["GET", "POST"])
@login_required
def round_paper(group_id: int, round_id: int):
    from veiligthuis.auth.forms import EmptyForm

    group = load_group(group_id, edit=True)
    round_ = _load_round(group, round_id)
    values: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    status = 200
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
                apply_domain_error(None, error)
            else:
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
