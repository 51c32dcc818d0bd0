"""The cross-group outcome report for coordinators (/rapportage)."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.evaluations import charts
from veiligthuis.extensions import db
from veiligthuis.reports import service
from veiligthuis.reports.forms import ReportFilterForm

bp = Blueprint("reports", __name__)


def _mastery_chart(report) -> str | None:
    rows = [
        (o.group.name, o.mastery.before.mean, o.mastery.after.mean)
        for o in report.groups
        if service.is_shown(o.mastery.before.n) and service.is_shown(o.mastery.after.n)
    ]
    if service.is_shown(report.mastery.before.n) and service.is_shown(report.mastery.after.n):
        rows.append(("alle groepen", report.mastery.before.mean, report.mastery.after.mean))
    if not rows:
        return None
    return charts.data_uri(charts.prepost_svg(rows, (7, 28)))


@bp.route("/rapportage")
@login_required
def index():
    if not permissions.can_view_reports(current_user):
        abort(403)
    years = service.report_years(db.session)
    form = ReportFilterForm(request.args, years=years)
    year = None
    if "jaar" in request.args and form.validate():
        year = form.jaar.data or None
    elif "jaar" not in request.args:
        form.jaar.data = 0
    report = service.outcome_report(db.session, year)
    return render_template(
        "reports/index.html",
        form=form,
        year=year,
        report=report,
        mastery_chart=_mastery_chart(report),
        min_count=service.MIN_COUNT,
    )
