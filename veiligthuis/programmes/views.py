"""The coordinator's pages for programmes and who works in which (/beheer/programmas)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.programmes import keep_apart, service
from veiligthuis.programmes.forms import (
    DeleteKeepApartForm,
    KeepApartForm,
    ProgrammeForm,
    programme_values,
)
from veiligthuis.programmes.models import DEFAULT_PROGRAMME, KeepApart, Programme
from veiligthuis.settings import get_setting
from veiligthuis.web import apply_domain_error

bp = Blueprint("programmes", __name__)


def _require_coordinator() -> None:
    if not permissions.can_manage_programmes(current_user):
        abort(403)


def _staff() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name)))


@bp.route("/beheer/programmas")
@login_required
def programme_list():
    """Every programme with its figures and staff."""
    _require_coordinator()
    programmes = service.programmes_for(db.session, current_user)
    return render_template("programmes/list.html", programmes=programmes)


@bp.route("/beheer/programmas/nieuw", methods=["GET", "POST"])
@bp.route("/beheer/programmas/<int:programme_id>", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: int | None = None):
    """Create or change a programme and choose who works in it."""
    _require_coordinator()
    programme = None
    if programme_id is not None:
        programme = db.session.get(Programme, programme_id)
        if programme is None:
            abort(404)
    staff = _staff()
    form = ProgrammeForm(obj=programme, staff=staff)
    if request.method == "GET":
        if programme is None:
            for name, value in DEFAULT_PROGRAMME.items():
                if name not in ("name", "kind"):
                    form[name].data = value
        else:
            form.members.data = [u.id for u in programme.members]
    if form.validate_on_submit():
        try:
            saved = service.save_programme(
                db.session, current_user, programme, **programme_values(form)
            )
            chosen = set(form.members.data or [])
            service.set_members(
                db.session, current_user, saved, [u for u in staff if u.id in chosen]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"Programma {saved.name} opgeslagen.", "success")
            return redirect(url_for("programmes.programme_list"))
    return render_template("programmes/form.html", form=form, programme=programme)


def _participant_by_code(code: str):
    from veiligthuis.groups.models import Participant

    return db.session.scalar(
        sa.select(Participant).where(Participant.code == (code or "").strip().upper())
    )


@bp.route("/beheer/scheidingsafspraken", methods=["GET", "POST"])
@login_required
def keep_apart_list():
    """The keep-apart links: only a coordinator sees them; every look is audited."""
    _require_coordinator()
    form = KeepApartForm()
    if form.validate_on_submit():
        first, second = (
            _participant_by_code(form.code_a.data),
            _participant_by_code(form.code_b.data),
        )
        try:
            if first is None:
                raise DomainError("Er is geen deelnemer met deze code.", "code_a")
            if second is None:
                raise DomainError("Er is geen deelnemer met deze code.", "code_b")
            keep_apart.create_link(db.session, current_user, first, second)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("De scheidingsafspraak is vastgelegd.", "success")
            margin = int(get_setting(db.session, "keep_apart_margin_minutes"))
            if keep_apart.is_broken_now(db.session, first, margin):
                flash(
                    f"Let op: de groepen van {first.code} en {second.code} komen nu al binnen "
                    "de marge op dezelfde locatie samen. Verplaats die bijeenkomsten; tot dan "
                    "weigert de planning elke andere wijziging eraan.",
                    "warning",
                )
            return redirect(url_for("programmes.keep_apart_list"))
    links = keep_apart.list_links(db.session, current_user)
    return render_template(
        "programmes/keep_apart.html", form=form, links=links, delete_form=DeleteKeepApartForm()
    )


@bp.route("/beheer/scheidingsafspraken/<int:link_id>/verwijderen", methods=["POST"])
@login_required
def keep_apart_delete(link_id: int):
    """Remove a link; needs the tick, so one stray click does not lift it."""
    _require_coordinator()
    link = db.session.get(KeepApart, link_id)
    if link is None:
        abort(404)
    form = DeleteKeepApartForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirm.data:
        flash("Vink aan dat de scheidingsafspraak vervalt; er is niets verwijderd.", "error")
        return redirect(url_for("programmes.keep_apart_list"))
    from veiligthuis.groups.models import Participant

    codes = list(
        db.session.scalars(
            sa.select(Participant.code).where(
                Participant.id.in_((link.participant_a_id, link.participant_b_id))
            )
        )
    )
    keep_apart.delete_link(db.session, current_user, link, codes)
    flash("De scheidingsafspraak is verwijderd.", "success")
    return redirect(url_for("programmes.keep_apart_list"))
