"""One meeting (move, cancel, substitute, notes), the attendance grid, closure periods,
calendars (group, participant, personal feed) and the printouts of a meeting."""

import sqlalchemy as sa
import sqlalchemy.orm as so
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

from veiligthuis import permissions, undo
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.auth.models import User
from veiligthuis.auth.service import (
    audit,
    audit_participants_seen,
    regenerate_feed_token,
)
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.groups.models import GroupStatus, Location, ParticipantStatus
from veiligthuis.models import DomainError, utcnow
from veiligthuis.sessions import feed, ical, service
from veiligthuis.sessions.attendance_table import (
    conflict_message,
    group_marks,
    merge_marks,
    render_attendance_form,
)
from veiligthuis.sessions.forms import ClosureForm, notes_digest
from veiligthuis.sessions.models import ClosurePeriod
from veiligthuis.sessions.pages import meeting_forms, render_meeting_page
from veiligthuis.sessions.schedule import to_local, today_local
from veiligthuis.signals import attendance_recorded
from veiligthuis.web import Around, apply_domain_error, load_group, load_group_facts, load_session
from veiligthuis.wording import day_nl, plural

bp = Blueprint("sessions", __name__)


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>")
@login_required
def session_page(group_id: int, number: int):
    group, gs = load_session(group_id, number)
    return render_meeting_page(group, gs, tab="prepare")


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/beheren")
@login_required
def session_manage(group_id: int, number: int):
    """Notes, care signal, moving, substitute and cancelling: what changes the meeting."""
    group, gs = load_session(group_id, number, edit=True)
    return render_meeting_page(group, gs, tab="manage")


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/verplaatsen", methods=["POST"])
@login_required
def session_move(group_id: int, number: int):
    group, gs = load_session(group_id, number, edit=True)
    forms = meeting_forms(group, gs)
    form = forms["move_form"]
    if form.validate_on_submit():
        try:
            conflicts = service.move_session(
                db.session,
                current_user,
                gs,
                form.new_date.data,
                form.new_time.data,
                scope=form.scope.data,
                confirm=form.confirm.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
            return render_meeting_page(group, gs, forms=forms, status=422)
        if conflicts and not form.confirm.data:
            db.session.rollback()
            return render_meeting_page(group, gs, forms=forms, conflicts=conflicts, status=409)
        flash("De bijeenkomst is verplaatst.", "success")
        return redirect(url_for("sessions.session_manage", group_id=group.id, number=gs.number))
    return render_meeting_page(group, gs, forms=forms, status=422)


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/annuleren", methods=["POST"])
@login_required
def session_cancel(group_id: int, number: int):
    group, gs = load_session(group_id, number, edit=True)
    forms = meeting_forms(group, gs)
    form = forms["cancel_form"]
    if form.validate_on_submit():
        try:
            replacement = service.cancel_session(
                db.session, current_user, gs, form.reason.data, confirm=form.accept_conflicts.data
            )
        except service.ReplacementConflicts as refused:
            db.session.rollback()
            return render_meeting_page(
                group, gs, forms=forms, cancel_conflicts=refused.conflicts, status=409
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                f"Bijeenkomst geannuleerd. Er is een vervangende bijeenkomst op "
                f"{day_nl(to_local(replacement.start_dt).date())} toegevoegd. Een vergissing? "
                "Bij de bijeenkomsten hieronder kunt u de annulering ongedaan maken.",
                "success",
            )
            return redirect(url_for("groups.group_detail", group_id=group.id))
    return render_meeting_page(group, gs, forms=forms, status=422)


@bp.route("/groepen/<int:group_id>/geannuleerd/<int:session_id>/herstellen", methods=["POST"])
@login_required
def session_restore(group_id: int, session_id: int):
    """Undo a cancellation (a mistake, or the meeting can go ahead after all)."""
    group = load_group(group_id, edit=True)
    gs = next((s for s in group.sessions if s.id == session_id and s.is_cancelled), None)
    if gs is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            replacement = service.restore_session(db.session, current_user, gs)
        except DomainError as error:
            apply_domain_error(None, error)
        else:
            message = f"De annulering is ongedaan gemaakt: bijeenkomst {gs.number} gaat door."
            if replacement is not None:
                message += (
                    f" De vervangende bijeenkomst van {day_nl(to_local(replacement.start_dt).date())}"
                    " vervalt."
                )
            flash(message, "success")
    return redirect(url_for("groups.group_detail", group_id=group.id))


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/invaller", methods=["POST"])
@login_required
def session_substitute(group_id: int, number: int):
    group, gs = load_session(group_id, number, edit=True)
    forms = meeting_forms(group, gs)
    form = forms["substitute_form"]
    if form.validate_on_submit():
        substitute = db.session.get(User, form.substitute.data) if form.substitute.data else None
        if form.substitute.data and substitute is None:
            form.substitute.errors.append("Kies een invaller uit de lijst.")
            return render_meeting_page(group, gs, forms=forms, status=422)
        try:
            conflicts = service.assign_substitute(
                db.session, current_user, gs, substitute, form.replaces.data
            )
        except DomainError as error:
            apply_domain_error(form, error)
            return render_meeting_page(group, gs, forms=forms, status=422)
        if conflicts:
            db.session.rollback()
            return render_meeting_page(group, gs, forms=forms, conflicts=conflicts, status=409)
        flash("Invaller vastgelegd." if substitute else "Invaller verwijderd.", "success")
        return redirect(url_for("sessions.session_manage", group_id=group.id, number=number))
    return render_meeting_page(group, gs, forms=forms, status=422)


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/aantekeningen", methods=["POST"])
@login_required
def session_notes(group_id: int, number: int):
    group, gs = load_session(group_id, number, edit=True)
    forms = meeting_forms(group, gs)
    form = forms["notes_form"]
    if not form.validate_on_submit():
        return render_meeting_page(group, gs, forms=forms, status=422)
    notes = form.notes.data or ""
    seen = form.seen.data  # empty from a page opened before the fingerprint was sent
    if seen and seen != notes_digest(gs.notes) and notes != gs.notes:
        # A colleague saved other notes since she opened the page: hers would replace them.
        # Both are shown, hers still in the field; the next save starts from the colleague's.
        form.notes.errors = [
            "Een collega heeft de aantekeningen intussen opgeslagen. Die tekst staat boven het "
            "veld, de uwe staat er nog in. Neem over wat u wilt houden en sla opnieuw op."
        ]
        form.seen.data = notes_digest(gs.notes)
        forms["notes_meanwhile"] = gs.notes
        return render_meeting_page(group, gs, forms=forms, status=409)
    gs.notes = notes
    flash("Aantekeningen opgeslagen.", "success")
    return redirect(url_for("sessions.session_manage", group_id=group.id, number=number))


def _submitted_marks(prefix: str = "a-") -> dict | None:
    """The grid's (participant id, meeting id) -> status, or None when a key was tampered.

    ``a-`` fields are the cells as she sends them, ``w-`` what each showed when she opened it."""
    marks = {}
    for key, value in request.form.items():
        if not key.startswith(prefix):
            continue
        try:
            _a, participant_id, session_id = key.split("-")
            marks[(int(participant_id), int(session_id))] = value or None
        except ValueError:
            return None
    return marks


@bp.route("/groepen/<int:group_id>/presentie", methods=["GET", "POST"])
@login_required
def attendance(group_id: int):
    if request.method != "POST":
        # the grid is kept (render_attendance_form): the group loads only to render it
        facts = load_group_facts(group_id)
        attendance_form = render_attendance_form(
            facts, permissions.can_edit_group(current_user, facts)
        )
        audit_participants_seen(
            db.session, current_user, "attendance_view", service.attendance_roster(facts)
        )
        return render_template(
            "sessions/attendance.html", group=facts, attendance_form=attendance_form
        )
    group = load_group(group_id, around=Around.NOBODY)
    if not permissions.can_edit_group(current_user, group):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    marks_db = group_marks(group)
    submitted, shown = _submitted_marks(), _submitted_marks("w-")
    if submitted is None or shown is None:
        flash("De presentielijst is niet goed verstuurd. Laad de pagina opnieuw.", "error")
        return redirect(url_for("sessions.attendance", group_id=group.id))
    # her own changes only: the cells she left alone may have been filled in by a colleague
    marks, conflicts = merge_marks(submitted, shown, marks_db)
    try:
        changed = service.record_attendance(db.session, current_user, group, marks, now=utcnow())
    except DomainError as error:
        apply_domain_error(None, error)
    else:
        # Support listens and opens signals for absences (it mails after the commit).
        attendance_recorded.send(
            group,
            db_session=db.session,
            actor=current_user._get_current_object(),
            participant_ids=sorted(
                {pid for (pid, sid), status in marks.items() if marks_db.get((pid, sid)) != status}
            ),
        )
        flash(f"Presentie opgeslagen ({plural(changed, 'wijziging', 'wijzigingen')}).", "success")
        if conflicts:
            flash(conflict_message(group, conflicts, marks_db), "warning")
    return redirect(url_for("sessions.attendance", group_id=group.id))


@bp.route("/beheer/sluitingen", methods=["GET", "POST"])
@login_required
def closures():
    if not permissions.can_manage(current_user):
        abort(403)
    locations = db.session.scalars(sa.select(Location).order_by(Location.name)).all()
    form = ClosureForm(locations=locations)
    if form.validate_on_submit():
        location_id = form.location_id.data or None
        if location_id is not None and db.session.get(Location, location_id) is None:
            form.location_id.errors.append("Kies een locatie uit de lijst.")
        else:
            try:
                service.add_closure(
                    db.session,
                    form.start_date.data,
                    form.end_date.data,
                    form.reason.data,
                    location_id,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash("Sluitingsperiode toegevoegd.", "success")
                return redirect(url_for("sessions.closures"))
    items = db.session.scalars(
        sa.select(ClosurePeriod).order_by(ClosurePeriod.start_date.desc())
    ).all()
    return render_template(
        "sessions/closures.html",
        form=form,
        closures=items,
        location_names={loc.id: loc.name for loc in locations},
        undo_items=[
            (item["label"], url_for("sessions.closure_restore", token=item["token"]))
            for item in undo.pending("closures")
        ],
    )


@bp.route("/beheer/sluitingen/<int:closure_id>/verwijderen", methods=["POST"])
@login_required
def closure_delete(closure_id: int):
    if not permissions.can_manage(current_user):
        abort(403)
    closure = db.get_or_404(ClosurePeriod, closure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    # Without JavaScript the tick in the row is the confirmation step.
    if confirmed("Vink aan dat u de sluitingsperiode wilt verwijderen."):
        label = (
            f"Sluitingsperiode {day_nl(closure.start_date)} tot en met "
            f"{day_nl(closure.end_date)}: {closure.reason}"
        )
        snapshot = service.remove_closure(db.session, current_user, closure)
        undo.remember("closure", "closures", label, snapshot)
        flash("Sluitingsperiode verwijderd. Al geplande bijeenkomsten blijven staan.", "success")
    return redirect(url_for("sessions.closures"))


@bp.route("/beheer/sluitingen/terugzetten/<token>", methods=["POST"])
@login_required
def closure_restore(token: str):
    if not permissions.can_manage(current_user):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    item = undo.take(token, "closures")
    if item is None:
        flash("Dit kan niet meer ongedaan worden gemaakt (na een uur of na uitloggen).", "error")
        return redirect(url_for("sessions.closures"))
    try:
        service.restore_closure(db.session, current_user, item["snapshot"])
    except DomainError as error:
        apply_domain_error(None, error)
    else:
        flash("Sluitingsperiode teruggezet. Al geplande bijeenkomsten blijven staan.", "success")
    return redirect(url_for("sessions.closures"))


# --- calendars (sessions/ical.py) and meeting documents (groups/documents.py) ---------------


def _calendar_response(data: bytes, filename: str, *, download: bool = True):
    disposition = "attachment" if download else "inline"
    return Response(
        data,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _calendar_options() -> dict:
    return {
        "host": current_app.config["PUBLIC_HOST"],
        "base_url": current_app.config["PUBLIC_BASE_URL"],
    }


@bp.route("/groepen/<int:group_id>/rooster.ics")
@login_required
def group_calendar(group_id: int):
    """The group's meetings for staff calendars (.ics)."""
    group = load_group(group_id)
    service.load_methodiek_versions(db.session, group)
    data = ical.group_to_ical(group, "staff", **_calendar_options())
    return _calendar_response(data, f"rooster-groep-{group.id}.ics")


@bp.route("/groepen/<int:group_id>/deelnemersrooster.ics")
@login_required
def participant_calendar(group_id: int):
    """A neutral calendar file a facilitator can hand to the women (.ics)."""
    group = load_group(group_id)
    # A facilitator hands this file out: a neutral name, nothing about us inside.
    data = ical.group_to_ical(
        group, "participant", secret=current_app.config["SECRET_KEY"], **_calendar_options()
    )
    return _calendar_response(data, "agenda.ics")


@bp.route("/agenda/<token>.ics")
def staff_feed(token: str):
    """A staff member's subscription feed, opened with her secret token."""
    # No login: a calendar app subscribes with the secret address. Anything else is a 404.
    if not 20 <= len(token) <= 64:
        abort(404)
    # her roles are not needed here (the feed shows the meetings she leads)
    user = db.session.scalar(
        sa.select(User).where(User.feed_token == token).options(so.lazyload(User.role_rows))
    )
    if user is None or not user.is_enabled:
        abort(404)
    window = ical.feed_window(today_local())
    options = _calendar_options()
    # polled every hour by every subscribed calendar: built again only when something in it
    # changed (sessions/feed.py), and an unchanged feed answers 304
    cache = current_app.extensions.setdefault("vt_feed_cache", feed.FeedCache())
    key = feed.current_fingerprint(db.session, user, window, options)
    kept = cache.get(key)
    if kept is None:
        sessions = service.sessions_led_by(db.session, user, window)
        changed = ical.feed_last_modified(user, sessions)
        kept = ical.staff_feed_to_ical(user, sessions, now=changed, **options), changed
        cache.put(key, *kept)
    data, changed = kept
    response = _calendar_response(data, "agenda.ics", download=False)
    response.add_etag()
    response.last_modified = changed
    return response.make_conditional(request)


def _feed_url(user: User) -> str | None:
    if not user.feed_token:
        return None
    path = url_for("sessions.staff_feed", token=user.feed_token)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


@bp.route("/agenda")
@login_required
def feed_page():
    """Her feed address, the button to renew it, and her coming meetings."""
    user = current_user._get_current_object()
    sessions = [
        gs for gs in service.sessions_led_by(db.session, user) if ical.leads_session(user, gs)
    ]
    now = utcnow()
    upcoming = [
        gs
        for gs in sessions
        if gs.end_dt >= now and not gs.is_cancelled and gs.group.status != GroupStatus.CANCELLED
    ]
    return render_template(
        "sessions/agenda.html", feed_url=_feed_url(user), upcoming=upcoming, form=EmptyForm()
    )


@bp.route("/agenda/vernieuwen", methods=["POST"])
@login_required
def feed_regenerate():
    """A new secret feed address; the old one answers 404 from now on."""
    user = current_user._get_current_object()
    if EmptyForm().validate_on_submit():
        had_token = user.feed_token is not None
        regenerate_feed_token(user)
        audit(db.session, user, "feed_token", user, detail="agenda-adres vernieuwd")
        flash(
            "Nieuw agenda-adres gemaakt. Het oude adres werkt niet meer: abonneer uw agenda op "
            "het nieuwe adres."
            if had_token
            else "Uw agenda-adres is gemaakt.",
            "success",
        )
    return redirect(url_for("sessions.feed_page"))


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/blad.pdf")
@login_required
def session_sheet(group_id: int, number: int):
    """One meeting's sheet as a PDF download."""
    from veiligthuis.groups import documents

    group, gs = load_session(group_id, number)
    service.load_methodiek_versions(db.session, group)
    data = documents.session_sheet_pdf(group, gs)
    return documents.pdf_response(data, f"bijeenkomst-{gs.number}.pdf")


@bp.route("/groepen/<int:group_id>/bijeenkomsten/<int:number>/presentielijst.pdf")
@login_required
def attendance_list(group_id: int, number: int):
    """The attendance list to sign, by code (default) or alias; audited."""
    from veiligthuis.groups import documents

    group, gs = load_session(group_id, number)
    # Codes unless the facilitator asks for names; anything else also gets codes, the safe one.
    show = "alias" if request.args.get("weergave") == "alias" else "code"
    participants = [
        p
        for p in group.participants
        if p.status in (ParticipantStatus.ACTIVE, ParticipantStatus.COMPLETED)
    ]
    data = documents.attendance_list_pdf(group, gs, participants, show=show)
    audit_participants_seen(db.session, current_user, f"attendance_list_{show}", participants)
    return documents.pdf_response(data, f"presentielijst-{gs.number}.pdf")
