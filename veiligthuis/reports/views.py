"""The yearly report for coordinators (/rapportage), as a page, a CSV zip and a PDF."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.extensions import db
from veiligthuis.pdf import render_pdf
from veiligthuis.programmes.service import programmes_for
from veiligthuis.reports import documents, service
from veiligthuis.reports.forms import ReportFilterForm
from veiligthuis.reports.suppression import MIN_COUNT, format_change, format_count, format_mean
from veiligthuis.sessions.schedule import today_local

bp = Blueprint("reports", __name__)


def _load():
    """The filter form and, when it is valid, the report it asks for."""
    if not permissions.can_view_reports(current_user):
        abort(403)
    this_year = today_local().year
    locations = service.locations(db.session)
    programmes = programmes_for(db.session, current_user)
    form = ReportFilterForm(request.args, locations=locations, programmes=programmes)
    if not request.args:
        form.jaar_van.data = form.jaar_tot.data = this_year
    elif not form.validate():
        return form, None, locations
    flt = service.ReportFilter(
        year_from=form.jaar_van.data,
        year_to=form.jaar_tot.data,
        location_ids=form.locaties.data or None,
        compare=form.vergelijk.data or "",
        programme_id=form.programma.data or None,
    )
    return form, service.build_report(db.session, flt), locations


def _context(report, locations) -> dict:
    flt = report.filter
    chosen = set(flt.location_ids or ())
    period = (
        str(flt.year_from) if flt.year_from == flt.year_to else f"{flt.year_from}–{flt.year_to}"
    )
    return {
        "report": report,
        "period": period,
        "location_names": [loc.name for loc in locations if loc.id in chosen],
        "min_count": MIN_COUNT,
        "count": format_count,
        "mean": format_mean,
        "change": format_change,
    }


def _query(form) -> dict:
    return {
        "jaar_van": form.jaar_van.data,
        "jaar_tot": form.jaar_tot.data,
        "vergelijk": form.vergelijk.data or "",
        "programma": form.programma.data or 0,
        "locaties": form.locaties.data or [],
    }


@bp.route("/rapportage")
@login_required
def index():
    form, report, locations = _load()
    context = _context(report, locations) if report else {"report": None}
    return render_template("reports/index.html", form=form, query=_query(form), **context)


@bp.route("/rapportage/jaarverslag.zip")
@login_required
def export_csv():
    form, report, locations = _load()
    if report is None:
        abort(400)
    context = _context(report, locations)
    return Response(
        documents.csv_zip(report, context["period"]),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="jaarverslag.zip"'},
    )


@bp.route("/rapportage/jaarverslag.pdf")
@login_required
def export_pdf():
    form, report, locations = _load()
    if report is None:
        abort(400)
    context = _context(report, locations)
    html = render_template("pdf/yearly_report.html", **context)
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="jaarverslag.pdf"'},
    )
