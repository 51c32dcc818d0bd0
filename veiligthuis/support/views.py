"""The case worker's pages (/ondersteuning), care signals from the meeting page, the referral
list a coordinator maintains, and what support adds to the meeting page (a template hook) and
does when attendance is recorded (a signal).

A participant who is not her client answers 404 on every address here, for every role.
"""

from functools import partial

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from veiligthuis import permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.auth.service import audit, audit_participants_seen
from veiligthuis.extensions import db
from veiligthuis.groups.models import GROUP_STATUSES, PARTICIPANT_STATUSES, SAFE_CHANNELS
from veiligthuis.models import DomainError
from veiligthuis.pdf import render_pdf
from veiligthuis.sessions.models import ATTENDANCE_STATUSES
from veiligthuis.sessions.pages import render_meeting_page
from veiligthuis.sessions.schedule import WEEKDAYS_NL, to_local
from veiligthuis.settings import get_setting
from veiligthuis.signals import attendance_recorded, template_hook
from veiligthuis.support import index_parts, mail, service
from veiligthuis.support.forms import (
    CareSignalForm,
    CloseSignalForm,
    ContactForm,
    MailPreferenceForm,
    RecordForm,
    ReferralForm,
)
from veiligthuis.support.models import CARE_CATEGORIES, CONTACT_KINDS, SIGNAL_KINDS, Signal
from veiligthuis.web import after_commit, apply_domain_error, load_session

bp = Blueprint("support", __name__)


# --- hooks for other areas ---------------------------------------------------------------------


@attendance_recorded.connect
def open_attendance_signals(group, *, db_session, actor, **_kwargs) -> list[int]:
    """Recompute a group's signals once its attendance changed (flushed, not yet committed).

    Absences reach the case worker at once: her neutral mail is queued for after the commit,
    so a request that fails sends nothing. Returns the participant ids with a new signal.
    """
    opened = [s.participant_id for s in service.refresh_signals(db_session, actor, group)]
    if opened:
        after_commit(partial(notify_case_workers, opened))
    return opened


def notify_case_workers(participant_ids: list[int]) -> int:
    """After the commit: a neutral mail to those participants' case workers who want one."""
    recipients = service.mail_recipients(db.session, participant_ids)
    return mail.notify_staff(current_app.config, recipients)


@template_hook.connect_via("session-care-signal")
def care_signal_panel(_hook, *, group, gs, user, submitted=None, **_kwargs):
    """The care-signal form and this meeting's care signals, for the group's editors only."""
    if not permissions.can_edit_group(user, group):
        return None
    candidates = service.care_candidates(group)
    form = (submitted or {}).get("care_form")
    if form is None:
        form = CareSignalForm(formdata=None, prefix="care", participants=candidates)
        form.care_date.data = min(to_local(gs.start_dt).date(), service.today_local())
    # The form lists every candidate's alias and code: each look is recorded.
    audit_participants_seen(db.session, user, "meeting_page", candidates)
    html = render_template(
        "support/_care_signal.html",
        group=group,
        gs=gs,
        care_form=form,
        care_signals=service.care_signals_for_session(db.session, gs),
    )
    return Markup(html)


# --- loading -------------------------------------------------------------------------------------


def load_client(participant_id: int):
    """Her own client with group and meetings, or 404 (for everybody else, whatever the role)."""
    participant = service.load_client(db.session, participant_id)
    if participant is None or not permissions.can_support_client(current_user, participant):
        abort(404)
    return participant


def load_signal(signal_id: int) -> Signal:
    """A signal of her own client, or 404."""
    signal = db.session.get(Signal, signal_id)
    if signal is None:
        abort(404)
    load_client(signal.participant_id)
    return signal


# --- the case worker's page ----------------------------------------------------------------------


def _number_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else None


@bp.route("/ondersteuning")
@login_required
def index():
    if not permissions.can_view_support(current_user):
        abort(403)
    today = service.today_local()
    year, years = _number_arg("jaar"), []
    if year is not None or "archief" in request.args:
        # Only the archive needs her years; her current clients are what she opens every day.
        years = service.archive_years(db.session, current_user)
        if year is None:
            year = years[0] if years else today.year
    # "No contact" signals due since the last daily run show at once (no mail: she is here),
    # for every client of hers, not only this page's.
    service.refresh_her_no_contact(db.session, current_user, today)
    signals = service.open_signals(db.session, current_user)
    listed, clients_table = index_parts.her_clients(
        today, _number_arg("pagina") or 1, year, signals
    )
    signals_table = index_parts.her_signals(signals)
    mail_form = MailPreferenceForm(formdata=None, prefix="mail")
    mail_form.wants_signal_mail.data = service.wants_signal_mail(db.session, current_user)
    html = render_template(
        "support/index.html",
        listed=listed,
        clients_table=clients_table,
        signals_table=signals_table,
        year=year,
        years=years,
        signals=signals,
        mail_form=mail_form,
    )
    # Every woman on the page is a look at her record.
    audit_participants_seen(db.session, current_user, "support_list", listed.rows)
    return html


@bp.route("/ondersteuning/e-mail", methods=["POST"])
@login_required
def mail_preference():
    if not permissions.can_view_support(current_user):
        abort(403)
    form = MailPreferenceForm(prefix="mail")
    if not form.validate_on_submit():
        abort(400)
    service.set_signal_mail(db.session, current_user, bool(form.wants_signal_mail.data))
    flash(
        "U krijgt een e-mail bij een nieuw signaal."
        if form.wants_signal_mail.data
        else "U krijgt geen e-mail meer bij nieuwe signalen.",
        "success",
    )
    return redirect(url_for("support.index"))


# --- one client ---------------------------------------------------------------------------------


def _client_forms(participant, file, submitted: dict | None = None) -> dict:
    """The client page's forms; only the submitted one is bound to the request."""
    submitted = submitted or {}
    today = service.today_local()
    forms = {}
    forms["contact_form"] = submitted.get("contact_form") or ContactForm(
        formdata=None, prefix="contact", contact_date=today
    )
    record = file.record
    forms["record_form"] = submitted.get("record_form") or RecordForm(
        formdata=None,
        prefix="record",
        has_safety_plan=bool(record and record.has_safety_plan),
        reviewed_date=record.safety_plan_reviewed_date if record else None,
        is_evaluation_shared=bool(record and record.is_evaluation_shared),
    )
    forms["referral_form"] = submitted.get("referral_form") or ReferralForm(
        formdata=None,
        prefix="referral",
        referral_date=today,
        targets=service.referral_targets(db.session, active_only=True),
    )
    close_forms = {}
    for signal in file.signals:
        if not signal.is_closed:
            close_forms[signal.id] = CloseSignalForm(formdata=None, prefix=f"close-{signal.id}")
    close_forms.update(submitted.get("close_forms", {}))
    forms["close_forms"] = close_forms
    return forms


def _render_client(participant, submitted: dict | None = None, status: int = 200):
    file = service.client_file(db.session, participant)
    group = participant.group
    html = render_template(
        "support/client.html",
        participant=participant,
        group=group,
        file=file,
        meetings=group.sessions,
        attendance_labels=ATTENDANCE_STATUSES,
        contact_kinds=CONTACT_KINDS,
        signal_kinds=SIGNAL_KINDS,
        statuses=PARTICIPANT_STATUSES,
        group_statuses=GROUP_STATUSES,
        channels=SAFE_CHANNELS,
        weekdays=WEEKDAYS_NL,
        no_contact_weeks=get_setting(db.session, "no_contact_weeks"),
        **_client_forms(participant, file, submitted),
    )
    audit(db.session, current_user, "support_view", participant, participant_code=participant.code)
    return html, status


@bp.route("/ondersteuning/deelnemers/<int:participant_id>")
@login_required
def client(participant_id: int):
    return _render_client(load_client(participant_id))


def _back_to_client(participant, anchor: str = ""):
    return redirect(
        url_for("support.client", participant_id=participant.id) + (f"#{anchor}" if anchor else "")
    )


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/contact", methods=["POST"])
@login_required
def contact_add(participant_id: int):
    participant = load_client(participant_id)
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        try:
            service.log_contact(
                db.session,
                current_user,
                participant,
                contact_date=form.contact_date.data,
                kind=form.kind.data,
                minutes=form.minutes.data,
                note=form.note.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Contact vastgelegd.", "success")
            return _back_to_client(participant, "contacten")
    return _render_client(participant, {"contact_form": form}, 422)


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/veiligheidsplan", methods=["POST"])
@login_required
def record_save(participant_id: int):
    participant = load_client(participant_id)
    form = RecordForm(prefix="record")
    if form.validate_on_submit():
        try:
            service.save_record(
                db.session,
                current_user,
                participant,
                has_safety_plan=bool(form.has_safety_plan.data),
                reviewed_date=form.reviewed_date.data,
                is_evaluation_shared=bool(form.is_evaluation_shared.data),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Status opgeslagen.", "success")
            return _back_to_client(participant, "veiligheidsplan")
    return _render_client(participant, {"record_form": form}, 422)


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/verwijzing", methods=["POST"])
@login_required
def referral_add(participant_id: int):
    participant = load_client(participant_id)
    form = ReferralForm(
        prefix="referral", targets=service.referral_targets(db.session, active_only=True)
    )
    if form.validate_on_submit():
        try:
            service.add_referral(
                db.session,
                current_user,
                participant,
                referral_date=form.referral_date.data,
                target_id=form.target_id.data or 0,
                note=form.note.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Verwijzing vastgelegd.", "success")
            return _back_to_client(participant, "verwijzingen")
    return _render_client(participant, {"referral_form": form}, 422)


def _after_signal(signal: Signal):
    if request.form.get("back") == "index":
        return redirect(url_for("support.index"))
    return _back_to_client(signal.participant, "signalen")


@bp.route("/ondersteuning/signalen/<int:signal_id>/gezien", methods=["POST"])
@login_required
def signal_acknowledge(signal_id: int):
    signal = load_signal(signal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.acknowledge_signal(db.session, current_user, signal)
    except DomainError as error:
        apply_domain_error(None, error)
    else:
        flash("Signaal gemarkeerd als gezien.", "success")
    return _after_signal(signal)


@bp.route("/ondersteuning/signalen/<int:signal_id>/afsluiten", methods=["POST"])
@login_required
def signal_close(signal_id: int):
    signal = load_signal(signal_id)
    participant = signal.participant
    form = CloseSignalForm(prefix=f"close-{signal.id}")
    if form.validate_on_submit():
        try:
            service.close_signal(db.session, current_user, signal, form.closing_note.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Signaal afgesloten.", "success")
            return _back_to_client(participant, "signalen")
    return _render_client(participant, {"close_forms": {signal.id: form}}, 422)


# --- handover ------------------------------------------------------------------------------------


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/overdracht")
@login_required
def handover(participant_id: int):
    participant = load_client(participant_id)
    summary = service.handover(db.session, participant)
    html = render_template(
        "support/handover.html",
        h=summary,
        attendance_labels=ATTENDANCE_STATUSES,
        care_categories=CARE_CATEGORIES,
        statuses=PARTICIPANT_STATUSES,
    )
    audit(db.session, current_user, "handover_view", participant, participant_code=participant.code)
    return html


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/overdracht.pdf")
@login_required
def handover_pdf(participant_id: int):
    participant = load_client(participant_id)
    summary = service.handover(db.session, participant)
    html = render_template(
        "pdf/handover.html",
        h=summary,
        attendance_labels=ATTENDANCE_STATUSES,
        care_categories=CARE_CATEGORIES,
        statuses=PARTICIPANT_STATUSES,
    )
    pdf = render_pdf(html)
    audit(db.session, current_user, "handover_pdf", participant, participant_code=participant.code)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="overdracht-{participant.code}.pdf"'
    )
    return response


# --- care signal from the meeting page -----------------------------------------------------------


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/zorgsignaal", methods=["POST"])
@login_required
def care_signal(group_id: int, number: int):
    group, gs = load_session(group_id, number, edit=True)
    candidates = service.care_candidates(group)
    form = CareSignalForm(prefix="care", participants=candidates)
    if form.validate_on_submit():
        participant = next((p for p in candidates if p.id == form.participant_id.data), None)
        try:
            service.file_care_signal(
                db.session,
                current_user,
                gs,
                participant,
                care_date=form.care_date.data,
                category=form.category.data,
                informed=form.informed.data or "",
                note=form.note.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            assert participant is not None, "the service refuses a signal without her"
            after_commit(partial(notify_case_workers, [participant.id]))
            flash(_care_message(participant), "success")
            return redirect(
                url_for("sessions.session_manage", group_id=group.id, number=number)
                + "#zorgsignaal"
            )
    return render_meeting_page(group, gs, submitted={"care_form": form}, status=422)


def _care_message(participant) -> str:
    """What the facilitator must know after filing: who receives it, or whom to tell herself."""
    if participant.case_worker_id is not None:
        return f"Zorgsignaal over {participant.alias} doorgegeven aan haar hulpverlener."
    if participant.external_case_worker_name:
        org = participant.external_case_worker_org
        contact = participant.external_case_worker_contact or "zie haar gegevens"
        who = participant.external_case_worker_name + (f" ({org})" if org else "")
        return (
            f"Zorgsignaal over {participant.alias} vastgelegd. Zij heeft een externe "
            f"hulpverlener, {who}, die dit niet in de planner ziet: breng haar zelf op de "
            f"hoogte via {contact}."
        )
    return (
        f"Zorgsignaal over {participant.alias} vastgelegd. Zij heeft geen hulpverlener: "
        "bespreek het signaal met de coördinator."
    )


# The correction pages and the referral list share this blueprint; importing them registers
# their routes.
from veiligthuis.support import corrections_views, referral_views  # noqa: E402, F401
