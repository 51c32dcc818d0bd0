"""The referral list a coordinator maintains (/beheer/verwijzingen), on the support blueprint."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.support import service
from veiligthuis.support.forms import ReferralTargetForm
from veiligthuis.support.models import ReferralTarget
from veiligthuis.support.views import bp
from veiligthuis.web import apply_domain_error
from veiligthuis.wording import plural

# --- referral list (coordinator) -----------------------------------------------------------------


@bp.route("/beheer/verwijzingen", methods=["GET", "POST"])
@login_required
def referral_targets():
    if not permissions.can_manage(current_user):
        abort(403)
    form = ReferralTargetForm()
    if form.validate_on_submit():
        try:
            target = service.add_referral_target(db.session, current_user, form.name.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"{target.name} toegevoegd.", "success")
            return redirect(url_for("support.referral_targets"))
    targets = service.referral_targets(db.session)
    status = 422 if form.errors else 200
    return render_template("support/referral_targets.html", form=form, targets=targets), status


@bp.route("/beheer/verwijzingen/standaard", methods=["POST"])
@login_required
def referral_targets_defaults():
    if not permissions.can_manage(current_user):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    added = service.add_default_referral_targets(db.session, current_user)
    flash(f"{plural(added, 'verwijsadres', 'verwijsadressen')} toegevoegd.", "success")
    return redirect(url_for("support.referral_targets"))


@bp.route("/beheer/verwijzingen/<int:target_id>/aan-uit", methods=["POST"])
@login_required
def referral_target_toggle(target_id: int):
    if not permissions.can_manage(current_user):
        abort(403)
    target = db.get_or_404(ReferralTarget, target_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.set_referral_target_active(db.session, current_user, target, not target.is_active)
    flash(
        f"{target.name} staat weer in de lijst."
        if target.is_active
        else f"{target.name} staat niet meer in de keuzelijst; eerdere verwijzingen blijven.",
        "success",
    )
    return redirect(url_for("support.referral_targets"))
