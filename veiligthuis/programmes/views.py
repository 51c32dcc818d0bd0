"""The coordinator's pages for programmes and who works in which (/beheer/programmas)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.programmes import service
from veiligthuis.programmes.forms import ProgrammeForm, programme_values
from veiligthuis.programmes.models import DEFAULT_PROGRAMME, Programme
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
