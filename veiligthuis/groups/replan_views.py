"""Pages that change a saved group after the fact: a new planning, reopening."""

import contextlib

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from veiligthuis.auth.forms import EmptyForm
from veiligthuis.extensions import db
from veiligthuis.groups import replanning
from veiligthuis.groups.forms import GroupForm, group_data
from veiligthuis.groups.views import _group_form_choices, bp
from veiligthuis.models import DomainError, utcnow
from veiligthuis.web import apply_domain_error, load_group


@bp.route("/groepen/<int:group_id>/planning", methods=["GET", "POST"])
@login_required
def group_replan(group_id: int):
    """Change people, place, day or time of a saved group; the meetings to come follow."""
    group = load_group(group_id, edit=True)
    now = utcnow()
    form = GroupForm(**_group_form_choices())
    form.first_date.label.text = "Nieuwe planning vanaf"
    if request.method == "GET":
        current = replanning.data_of(group, now)
        for name, value in vars(current).items():
            form[name].data = value
    preview = None
    if form.validate_on_submit():
        data = group_data(form)
        data.name, data.public_title = group.name, group.public_title
        data.programme_id = group.programme_id
        try:
            if form.save.data:
                replanning.replan_group(
                    db.session,
                    current_user,
                    group,
                    data,
                    now=now,
                    accept_conflicts=form.accept_conflicts.data,
                )
                flash("De planning is gewijzigd. Agenda's krijgen de nieuwe tijden.", "success")
                return redirect(url_for("groups.group_detail", group_id=group.id))
            preview = replanning.preview_replan(db.session, current_user, group, data, now=now)
        except DomainError as error:
            apply_domain_error(form, error)
            if error.field is None:
                with contextlib.suppress(DomainError):
                    preview = replanning.preview_replan(
                        db.session, current_user, group, data, now=now
                    )
    held, _coming = replanning.held_and_coming(group, now)
    return render_template("groups/replan.html", group=group, form=form, preview=preview, held=held)


@bp.route("/groepen/<int:group_id>/heropenen", methods=["POST"])
@login_required
def group_reopen(group_id: int):
    group = load_group(group_id, edit=True)
    if EmptyForm().validate_on_submit():
        try:
            replanning.reopen_group(db.session, current_user, group)
        except DomainError as error:
            apply_domain_error(None, error)
        else:
            flash("De groep loopt weer; wie bij het afsluiten afrondde, is weer actief.", "success")
    return redirect(url_for("groups.group_detail", group_id=group_id))
