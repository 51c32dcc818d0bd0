"""Dashboard, locations and rooms, groups and participants."""

import contextlib

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from veiligthuis import permissions
from veiligthuis.auth.service import audit, audit_participants_seen, staff_with_role
from veiligthuis.extensions import db
from veiligthuis.groups import list_page, listing, participant_saving, service
from veiligthuis.groups.forms import (
    FinishGroupForm,
    GroupDetailsForm,
    GroupForm,
    LocationForm,
    ParticipantForm,
    RoomForm,
    StartGroupForm,
    group_data,
    participant_data,
)
from veiligthuis.groups.group_forms import render_group_forms
from veiligthuis.groups.meetings_table import render_meetings_table
from veiligthuis.groups.models import (
    GROUP_STATUSES,
    PARTICIPANT_STATUSES,
    SAFE_CHANNELS,
    Location,
    Participant,
    ParticipantStatus,
    Room,
)
from veiligthuis.groups.participant_table import render_participant_table
from veiligthuis.models import DomainError
from veiligthuis.programmes import service as programmes_service
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import REGION_LABELS, WEEKDAYS_NL, today_local
from veiligthuis.settings import get_setting, get_settings
from veiligthuis.web import apply_domain_error, load_group, load_group_facts
from veiligthuis.wording import plural

bp = Blueprint("groups", __name__)


# --- dashboard and administration ----------------------------------------------------------


@bp.route("/")
@login_required
def dashboard():
    groups = None
    if permissions.can_list_groups(current_user):
        groups = list_page.render_dashboard_groups(current_user)
    panels = []
    if permissions.can_view_support(current_user):
        from veiligthuis.support.service import open_signal_count

        count = open_signal_count(db.session, current_user)
        panels.append((plural(count, "open signaal", "open signalen"), url_for("support.index")))
    return render_template("groups/dashboard.html", groups=groups, panels=panels)


@bp.route("/beheer")
@login_required
def admin_index():
    if not permissions.can_manage(current_user):
        abort(403)
    return render_template("groups/admin_index.html")


@bp.route("/beheer/locaties", methods=["GET", "POST"])
@login_required
def locations():
    if not permissions.can_manage(current_user):
        abort(403)
    form = LocationForm()
    if form.validate_on_submit():
        try:
            location = service.save_location(
                db.session,
                None,
                name=form.name.data,
                address=form.address.data or "",
                region=form.region.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"Locatie {location.name} toegevoegd.", "success")
            return redirect(url_for("groups.location_edit", location_id=location.id))
    items = db.session.scalars(
        sa.select(Location).options(so.selectinload(Location.rooms)).order_by(Location.name)
    ).all()
    return render_template(
        "groups/locations.html", form=form, locations=items, regions=REGION_LABELS
    )


@bp.route("/beheer/locaties/<int:location_id>", methods=["GET", "POST"])
@login_required
def location_edit(location_id: int):
    if not permissions.can_manage(current_user):
        abort(403)
    location = db.get_or_404(Location, location_id)
    form = LocationForm(obj=location)
    room_form = RoomForm(prefix="room")
    if form.submit.data and form.validate_on_submit():
        try:
            service.save_location(
                db.session,
                location,
                name=form.name.data,
                address=form.address.data or "",
                region=form.region.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Locatie opgeslagen.", "success")
            return redirect(url_for("groups.location_edit", location_id=location.id))
    elif room_form.submit.data and room_form.validate_on_submit():
        try:
            service.add_room(
                db.session, location, name=room_form.name.data, capacity=room_form.capacity.data
            )
        except DomainError as error:
            apply_domain_error(room_form, error)
        else:
            flash("Ruimte toegevoegd.", "success")
            return redirect(url_for("groups.location_edit", location_id=location.id))
    return render_template(
        "groups/location_edit.html", location=location, form=form, room_form=room_form
    )


# --- groups --------------------------------------------------------------------------------


@bp.route("/groepen")
@login_required
def group_list():
    if not permissions.can_list_groups(current_user):
        abort(403)
    status = request.args.get("status", "")
    if status not in GROUP_STATUSES:
        status = ""
    year = request.args.get("jaar", type=int)
    years = list_page.archive_years(current_user)
    if year is None and status in listing.ARCHIVED and years:
        # Finished groups live in the archive: show the latest year rather than all of them.
        year = years[0]
    return render_template(
        "groups/list.html",
        table=list_page.render_group_table(current_user, year, status),
        statuses=GROUP_STATUSES,
        status=status,
        year=year,
        years=years,
    )


def _group_form_choices() -> dict:
    return {
        "locations": db.session.scalars(sa.select(Location).order_by(Location.name)).all(),
        "rooms": db.session.scalars(
            sa.select(Room)
            .join(Location)
            .options(so.joinedload(Room.location))
            .order_by(Location.name, Room.name)
        ).all(),
        "facilitators": staff_with_role(db.session, "facilitator"),
        "programmes": programmes_service.programmes_for(db.session, current_user),
        "aligned": programmes_service.groups_to_align_with(db.session, current_user),
    }


@bp.route("/groepen/nieuw", methods=["GET", "POST"])
@login_required
def group_new():
    if not permissions.can_create_group(current_user):
        abort(403)
    choices = _group_form_choices()
    form = GroupForm(**choices)
    if len(form.programme_id.choices) == 1 and not form.programme_id.data:
        # one programme to choose from: the form does not ask
        form.programme_id.data = form.programme_id.choices[0].value
    if request.method == "GET":
        form.public_title.data = get_setting(db.session, "public_title")
        if current_user.has_role("facilitator"):
            form.facilitator_a_id.data = current_user.id
    preview = None
    if form.validate_on_submit():
        data = group_data(form)
        try:
            if form.save.data:
                group = service.create_group(
                    db.session, current_user, data, accept_conflicts=form.accept_conflicts.data
                )
                flash(
                    f"Groep {group.name} opgeslagen met {'twaalf' if len(group.sessions) == 12 else len(group.sessions)} bijeenkomsten.",
                    "success",
                )
                return redirect(url_for("groups.group_detail", group_id=group.id))
            preview = service.preview_group(db.session, data)
        except DomainError as error:
            apply_domain_error(form, error)
            if error.field is None:
                # Refused as a whole (conflicts, a closed first day): still show the series.
                with contextlib.suppress(DomainError):
                    preview = service.preview_group(db.session, data)
    return render_template("groups/new.html", form=form, preview=preview, weekdays=WEEKDAYS_NL)


@bp.route("/groepen/<int:group_id>")
@login_required
def group_detail(group_id: int):
    return _group_page(group_id)


def _group_page(group_id: int, refused: FlaskForm | None = None):
    """The group's page; ``refused``, a form of it that was not saved, shown with its messages
    and what she typed (422)."""
    # its table of meetings and its forms are kept: the group loads only to render them
    facts = load_group_facts(group_id)
    can_edit = permissions.can_edit_group(current_user, facts)
    meetings_table = render_meetings_table(facts, can_edit)
    counts = {key: 0 for key in PARTICIPANT_STATUSES}
    for participant in facts.participants:
        counts[participant.status] += 1
    return render_template(
        "groups/detail.html",
        group=facts,
        counts=counts,
        group_statuses=GROUP_STATUSES,
        weekdays=WEEKDAYS_NL,
        can_edit=can_edit,
        # only to those who may edit it
        forms=render_group_forms(facts, current_user, counts, refused) if can_edit else None,
        min_participants=facts.min_participants,
        meetings_table=meetings_table,
    ), (200 if refused is None else 422)


@bp.route("/groepen/<int:group_id>/gegevens", methods=["POST"])
@login_required
def group_details(group_id: int):
    group = load_group(group_id, edit=True)
    form = GroupDetailsForm()
    if form.validate_on_submit():
        try:
            service.update_group_details(
                db.session,
                current_user,
                group,
                name=form.name.data,
                public_title=form.public_title.data,
                is_venue_released=form.is_venue_released.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Gegevens opgeslagen.", "success")
            return redirect(url_for("groups.group_detail", group_id=group_id))
    return _group_page(group_id, form)


@bp.route("/groepen/<int:group_id>/starten", methods=["POST"])
@login_required
def group_start(group_id: int):
    group = load_group(group_id, edit=True)
    form = StartGroupForm()
    if form.validate_on_submit():
        try:
            service.start_group(db.session, current_user, group, form.override_reason.data or "")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("De groep is gestart.", "success")
            return redirect(url_for("groups.group_detail", group_id=group_id))
    return _group_page(group_id, form)


@bp.route("/groepen/<int:group_id>/afsluiten", methods=["POST"])
@login_required
def group_finish(group_id: int):
    group = load_group(group_id, edit=True)
    form = FinishGroupForm()
    if form.validate_on_submit():
        try:
            service.finish_group(
                db.session, current_user, group, get_setting(db.session, "completion_threshold")
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("De groep is afgesloten. Een vergissing? Open de groep weer.", "success")
            return redirect(url_for("groups.group_detail", group_id=group_id))
    return _group_page(group_id, form)


# --- participants --------------------------------------------------------------------------


@bp.route("/groepen/<int:group_id>/deelnemers")
@login_required
def participants(group_id: int):
    # the table is kept (render_participant_table): the group loads only to render it
    facts = load_group_facts(group_id)
    audit_participants_seen(db.session, current_user, "list", facts.participants)
    threshold = get_setting(db.session, "completion_threshold")
    return render_template(
        "groups/participants.html",
        group=facts,
        table=render_participant_table(facts, threshold),
        can_edit=permissions.can_edit_group(current_user, facts),
        active=service.active_count(facts),
        max_participants=facts.max_participants,
        threshold=threshold,
    )


def _participant_form(participant: Participant | None = None) -> ParticipantForm:
    form = ParticipantForm(obj=participant, case_workers=staff_with_role(db.session, "case_worker"))
    if participant is not None and request.method == "GET":
        participant_saving.show_stored(form, participant)
    return form


@bp.route("/groepen/<int:group_id>/deelnemers/nieuw", methods=["GET", "POST"])
@login_required
def participant_new(group_id: int):
    group = load_group(group_id, edit=True)
    form = _participant_form()
    if request.method == "GET":
        form.intake_date.data = today_local()
        if service.active_count(group) >= group.programme.max_participants:
            form.status.data = ParticipantStatus.WAITING
    waiting_offer = False
    if form.validate_on_submit():
        try:
            participant = service.add_participant(
                db.session, current_user, group, participant_data(form)
            )
        except DomainError as error:
            apply_domain_error(form, error)
            waiting_offer = error.field == "status" and form.status.data == ParticipantStatus.ACTIVE
        else:
            flash(f"Deelnemer {participant.alias} ({participant.code}) toegevoegd.", "success")
            return redirect(url_for("groups.participants", group_id=group.id))
    return render_template(
        "groups/participant_form.html",
        group=group,
        form=form,
        participant=None,
        waiting_offer=waiting_offer,
        diversity=get_setting(db.session, "diversity_fields"),
    )


@bp.route("/groepen/<int:group_id>/deelnemers/<int:participant_id>", methods=["GET", "POST"])
@login_required
def participant_detail(group_id: int, participant_id: int):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.group_id != group_id:
        abort(404)
    if not permissions.can_view_participant(current_user, participant):
        abort(404)
    group = participant.group
    can_edit = permissions.can_edit_group(current_user, group)
    form = _participant_form(participant)
    status = 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            refused = participant_saving.save(form, participant)
            if refused is None:
                flash("Gegevens van de deelnemer opgeslagen.", "success")
                return redirect(
                    url_for(
                        "groups.participant_detail",
                        group_id=group_id,
                        participant_id=participant.id,
                    )
                )
            status = refused
    else:
        audit(db.session, current_user, "view", participant, participant_code=participant.code)
    threshold = get_setting(db.session, "completion_threshold")
    summary = sessions_service.attendance_summaries(db.session, group, threshold)[participant.id]
    return render_template(
        "groups/participant_form.html",
        group=group,
        form=form,
        participant=participant,
        can_edit=can_edit,
        summary=summary,
        threshold=threshold,
        channels=SAFE_CHANNELS,
        waiting_offer=False,
        diversity=get_setting(db.session, "diversity_fields"),
    ), status


# --- printed documents (groups/documents.py) -----------------------------------------------


@bp.route("/groepen/<int:group_id>/draaiboek.pdf")
@login_required
def draaiboek(group_id: int):
    """The group's draaiboek as a PDF download."""
    from veiligthuis.groups import documents

    group = load_group(group_id)
    sessions_service.load_methodiek_versions(db.session, group)
    return documents.pdf_response(documents.draaiboek_pdf(group), f"draaiboek-{group.id}.pdf")


@bp.route("/groepen/<int:group_id>/deelnemers/<int:participant_id>/deelnamebewijs.pdf")
@login_required
def certificate(group_id: int, participant_id: int):
    """A certificate of participation for a woman who completed; audited."""
    from veiligthuis.groups import documents

    group = load_group(group_id)
    participant = next((p for p in group.participants if p.id == participant_id), None)
    if participant is None:
        abort(404)
    settings = get_settings(db.session)
    summary = sessions_service.attendance_summaries(
        db.session, group, settings["completion_threshold"]
    )[participant.id]
    back = url_for("groups.participant_detail", group_id=group.id, participant_id=participant.id)
    if participant.status == ParticipantStatus.DROPPED_OUT:
        flash(f"Geen deelnamebewijs: {participant.alias} is uitgevallen.", "error")
        return redirect(back)
    if not summary.has_completed:
        flash(
            f"Nog geen deelnamebewijs: {participant.alias} was {summary.present} keer aanwezig; "
            f"een deelnamebewijs is er vanaf {settings['completion_threshold']} keer.",
            "error",
        )
        return redirect(back)
    with_alias = request.args.get("naam") == "ja"
    try:
        data = documents.certificate_pdf(
            group,
            participant,
            summary,
            sender=settings["neutral_sender"],
            with_alias=with_alias,
        )
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(back)
    audit(
        db.session,
        current_user,
        "certificate_pdf",
        participant,
        participant_code=participant.code,
        detail="met naam" if with_alias else "zonder naam",
    )
    return documents.pdf_response(data, "deelnamebewijs.pdf")


# Changing a saved group has its own module on this blueprint; importing it registers its routes.
from veiligthuis.groups import replan_views  # noqa: E402, F401
