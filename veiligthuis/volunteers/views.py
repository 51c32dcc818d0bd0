"""Volunteers: the coordinator records and schedules them; a volunteer sees her own shifts.

A volunteer's pages show the meetings she is scheduled for and what her task needs (for
childcare: how many children, of which ages), never who the women are.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from veiligthuis import meanwhile, permissions
from veiligthuis.auth.forms import EmptyForm, LeaveForm
from veiligthuis.auth.models import Leave
from veiligthuis.auth.service import add_leave, audit_participants_seen
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.groups.models import Group, Participant, Room
from veiligthuis.models import DomainError, utcnow
from veiligthuis.partners.models import CHILD_AGE_BANDS
from veiligthuis.partners.service import strip_controls
from veiligthuis.sessions.models import GroupSession
from veiligthuis.settings import get_setting
from veiligthuis.signals import template_hook
from veiligthuis.volunteers import ical, service
from veiligthuis.volunteers.forms import ChildcareForm, ShiftForm, VolunteerForm
from veiligthuis.volunteers.models import TASKS, Shift, Task, Volunteer
from veiligthuis.web import apply_domain_error, load_group

bp = Blueprint("volunteers", __name__)


def _require(predicate) -> None:
    if not predicate(current_user):
        abort(403)


def _load_volunteer(volunteer_id: int) -> Volunteer:
    _require(permissions.can_manage_volunteers)
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None:
        abort(404)
    return volunteer


# --- the coordinator: volunteers --------------------------------------------------------------


@bp.route("/vrijwilligers", methods=["GET", "POST"])
@login_required
def volunteer_list():
    _require(permissions.can_manage_volunteers)
    candidates = service.volunteer_candidates(db.session)
    form = VolunteerForm(candidates=candidates)
    if form.validate_on_submit():
        try:
            volunteer = service.save_volunteer(
                db.session,
                current_user,
                None,
                user_id=form.user_id.data,
                has_training=form.has_training.data,
                vog_seen_date=form.vog_seen_date.data,
                tasks=form.tasks.data or [],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"{volunteer.name} is vastgelegd als vrijwilliger.", "success")
            return redirect(url_for("volunteers.volunteer_list"))
    return render_template(
        "volunteers/list.html",
        volunteers=service.all_volunteers(db.session),
        candidates=candidates,
        form=form,
        tasks=TASKS,
    )


@bp.route("/vrijwilligers/<int:volunteer_id>", methods=["GET", "POST"])
@login_required
def volunteer_detail(volunteer_id: int):
    volunteer = _load_volunteer(volunteer_id)
    form = VolunteerForm(obj=volunteer)
    if form.validate_on_submit():
        try:
            service.save_volunteer(
                db.session,
                current_user,
                volunteer,
                has_training=form.has_training.data,
                vog_seen_date=form.vog_seen_date.data,
                tasks=form.tasks.data or [],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Gegevens van de vrijwilliger opgeslagen.", "success")
            return redirect(url_for("volunteers.volunteer_detail", volunteer_id=volunteer.id))
    return _render_detail(volunteer, form, LeaveForm(formdata=None, prefix="leave"))


def _render_detail(volunteer, form, leave_form, status=200):
    leaves = db.session.scalars(
        sa.select(Leave).where(Leave.user_id == volunteer.user_id).order_by(Leave.start_date)
    ).all()
    return (
        render_template(
            "volunteers/detail.html",
            volunteer=volunteer,
            form=form,
            leave_form=leave_form,
            leaves=leaves,
            shifts=service.shifts_of(db.session, volunteer, since=utcnow()),
            tasks=TASKS,
        ),
        status,
    )


@bp.route("/vrijwilligers/<int:volunteer_id>/niet-beschikbaar", methods=["POST"])
@login_required
def volunteer_unavailable(volunteer_id: int):
    volunteer = _load_volunteer(volunteer_id)
    leave_form = LeaveForm(prefix="leave")
    if _add_unavailability(volunteer, leave_form):
        return redirect(url_for("volunteers.volunteer_detail", volunteer_id=volunteer.id))
    form = VolunteerForm(formdata=None, obj=volunteer)
    return _render_detail(volunteer, form, leave_form, status=422)


def _add_unavailability(volunteer, leave_form) -> bool:
    if not leave_form.validate_on_submit():
        return False
    try:
        add_leave(
            db.session,
            volunteer.user,
            leave_form.start_date.data,
            leave_form.end_date.data,
            strip_controls(leave_form.reason.data) or "Niet beschikbaar",
        )
    except DomainError as error:
        apply_domain_error(leave_form, error)
        return False
    flash("Niet beschikbaar vastgelegd.", "success")
    return True


# --- the coordinator: meetings and shifts -----------------------------------------------------


@bp.route("/vrijwilligers/rooster")
@login_required
def overview():
    """Coming meetings with children expected, volunteers needed and scheduled."""
    _require(permissions.can_manage_volunteers)
    per_volunteer = get_setting(db.session, "children_per_volunteer")
    meetings = service.coming_meetings(db.session, per_volunteer)
    return render_template(
        "volunteers/overview.html", meetings=meetings, tasks=TASKS, per_volunteer=per_volunteer
    )


def _load_meeting(session_id: int) -> GroupSession:
    _require(permissions.can_manage_volunteers)
    gs = db.session.scalar(
        sa.select(GroupSession)
        .where(GroupSession.id == session_id)
        .options(
            so.joinedload(GroupSession.group).options(
                so.joinedload(Group.location), so.joinedload(Group.room)
            ),
            so.joinedload(GroupSession.room).joinedload(Room.location),
        )
    )
    if gs is None:
        abort(404)
    return gs


def _render_meeting(gs, form, conflicts=(), status=200):
    per_volunteer = get_setting(db.session, "children_per_volunteer")
    children = service.expected_children(db.session, [gs.group_id]).get(gs.group_id, {})
    shifts = service.shifts_at(db.session, gs)
    return (
        render_template(
            "volunteers/meeting.html",
            gs=gs,
            form=form,
            conflicts=conflicts,
            children=children,
            children_text=ical.children_text(children),
            needed=service.volunteers_needed(sum(children.values()), per_volunteer),
            childcare_scheduled=sum(1 for s in shifts if s.task == Task.CHILDCARE),
            shifts=shifts,
            tasks=TASKS,
        ),
        status,
    )


@bp.route("/vrijwilligers/bijeenkomsten/<int:session_id>", methods=["GET", "POST"])
@login_required
def meeting(session_id: int):
    """Schedule volunteers at one meeting; conflicts are shown before anything is saved."""
    gs = _load_meeting(session_id)
    volunteers = service.all_volunteers(db.session)
    form = ShiftForm(volunteers=volunteers)
    if not form.validate_on_submit():
        return _render_meeting(gs, form, status=422 if form.is_submitted() else 200)
    volunteer = (
        db.session.get(Volunteer, form.volunteer_id.data) if form.volunteer_id.data else None
    )
    if volunteer is None:
        form.volunteer_id.errors.append("Kies een vrijwilliger.")
        return _render_meeting(gs, form, status=422)
    try:
        shift, conflicts = service.schedule_shift(
            db.session,
            current_user,
            volunteer,
            gs,
            form.task.data,
            accept_conflicts=form.accept_conflicts.data,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _render_meeting(gs, form, status=422)
    if shift is None:
        return _render_meeting(gs, form, conflicts=conflicts, status=409)
    flash(f"{volunteer.name} ingepland voor {TASKS[shift.task]}.", "success")
    return redirect(url_for("volunteers.meeting", session_id=gs.id))


@bp.route("/vrijwilligers/diensten/<int:shift_id>/verwijderen", methods=["POST"])
@login_required
def shift_remove(shift_id: int):
    _require(permissions.can_manage_volunteers)
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        abort(404)
    session_id = shift.group_session_id
    if EmptyForm().validate_on_submit() and confirmed(
        "Vink aan dat u de dienst wilt verwijderen; er is niets verwijderd."
    ):
        service.remove_shift(db.session, current_user, shift)
        flash("Dienst verwijderd.", "success")
    return redirect(url_for("volunteers.meeting", session_id=session_id))


# --- a group's childcare needs (its facilitators and the coordinator) -------------------------


@bp.route("/groepen/<int:group_id>/kinderopvang")
@login_required
def group_childcare(group_id: int):
    group = load_group(group_id, edit=True)
    participants = [p for p in group.participants if p.anonymised_dt is None]
    audit_participants_seen(db.session, current_user, "childcare_list", participants)
    return render_template(
        "volunteers/group_childcare.html",
        group=group,
        participants=participants,
        needs=service.childcare_needs(db.session, [p.id for p in participants]),
        bands=CHILD_AGE_BANDS,
    )


@bp.route("/groepen/<int:group_id>/kinderopvang/<int:participant_id>", methods=["GET", "POST"])
@login_required
def participant_childcare(group_id: int, participant_id: int):
    group = load_group(group_id, edit=True)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.group_id != group.id:
        abort(404)
    form = ChildcareForm()
    stored = service.childcare_needs(db.session, [participant.id]).get(participant.id, {})
    current = {f"children_{band}": stored.get(band, 0) for band in CHILD_AGE_BANDS}
    status = 200
    if form.validate_on_submit():
        # only the counts she changed, over what a colleague saved since she opened the page
        merged = meanwhile.merge(form.counts(), form.seen.data, current)
        if merged.conflicts:
            meanwhile.show_on_form(form, merged, current)
            status = 409
        else:
            children = {band: merged.values[f"children_{band}"] for band in CHILD_AGE_BANDS}
            try:
                service.set_childcare_need(db.session, current_user, participant, children)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash("Kinderopvang opgeslagen.", "success")
                return redirect(url_for("volunteers.group_childcare", group_id=group.id))
    elif not form.is_submitted():
        for f in form.child_fields():
            f.data = current[f.name]
        form.seen.data = meanwhile.fingerprint(current)
    audit_participants_seen(db.session, current_user, "view", [participant])
    return render_template(
        "volunteers/participant_childcare.html", group=group, participant=participant, form=form
    ), status


# --- the volunteer's own pages ----------------------------------------------------------------


def _own_volunteer() -> Volunteer:
    _require(permissions.is_volunteer)
    volunteer = service.volunteer_of(db.session, current_user)
    if volunteer is None:
        abort(404)
    return volunteer


def _feed_url(token: str) -> str:
    path = url_for("volunteers.feed", token=token)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _render_own(volunteer, *, feed_url=None, leave_form=None, status=200):
    shifts = service.shifts_of(db.session, volunteer, since=utcnow())
    children = service.expected_children(db.session, {s.group_session.group_id for s in shifts})
    leaves = db.session.scalars(
        sa.select(Leave).where(Leave.user_id == volunteer.user_id).order_by(Leave.start_date)
    ).all()
    return (
        render_template(
            "volunteers/mine.html",
            volunteer=volunteer,
            shifts=shifts,
            children={gid: ical.children_text(c) for gid, c in children.items()},
            location=ical.shift_location,
            tasks=TASKS,
            feed_url=feed_url,
            feed_form=EmptyForm(),
            leave_form=leave_form or LeaveForm(formdata=None, prefix="leave"),
            leaves=leaves,
        ),
        status,
    )


@bp.route("/mijn-diensten")
@login_required
def mine():
    """Her coming shifts, her details and her calendar address."""
    _require(permissions.is_volunteer)
    volunteer = service.volunteer_of(db.session, current_user)
    if volunteer is None:
        return render_template("volunteers/not_recorded.html")
    return _render_own(volunteer)


@bp.route("/mijn-diensten/agenda", methods=["POST"])
@login_required
def feed_new():
    """A new calendar address for her, shown once; the old one stops at once."""
    volunteer = _own_volunteer()
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = service.new_feed_token(volunteer)
    return _render_own(volunteer, feed_url=_feed_url(token))


@bp.route("/mijn-diensten/niet-beschikbaar", methods=["POST"])
@login_required
def mine_unavailable():
    volunteer = _own_volunteer()
    leave_form = LeaveForm(prefix="leave")
    if _add_unavailability(volunteer, leave_form):
        return redirect(url_for("volunteers.mine"))
    return _render_own(volunteer, leave_form=leave_form, status=422)


@bp.route("/diensten/<token>.ics")
def feed(token: str):
    """Her shifts as a subscription feed, opened with her secret token (no login)."""
    volunteer = service.volunteer_by_feed_token(db.session, token)
    if volunteer is None:
        abort(404)
    shifts = service.shifts_of(db.session, volunteer)
    children = service.expected_children(db.session, {s.group_session.group_id for s in shifts})
    data = ical.shifts_to_ical(
        shifts, children, secret=current_app.config["SECRET_KEY"], volunteer_id=volunteer.id
    )
    return Response(
        data,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'inline; filename="agenda.ics"',
        },
    )


# --- the dashboard ----------------------------------------------------------------------------


@template_hook.connect_via("dashboard-panels")
def _dashboard_panel(_sender, user=None, **_kwargs):
    if user is None or not permissions.is_volunteer(user):
        return None
    volunteer = service.volunteer_of(db.session, user)
    if volunteer is None:
        return None
    shifts = service.shifts_of(db.session, volunteer, since=utcnow())[:3]
    return Markup(render_template("volunteers/_dashboard_panel.html", shifts=shifts, tasks=TASKS))
