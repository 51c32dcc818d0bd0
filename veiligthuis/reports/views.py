"""The yearly report for coordinators (/rapportage), as a page, a CSV zip and a PDF."""

from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from veiligthuis import changes, permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.models import DomainError
from veiligthuis.pdf import render_pdf
from veiligthuis.programmes.service import programmes_for, visible_programme_ids
from veiligthuis.reports import documents, outreach, service
from veiligthuis.reports.forms import ReferrerContactForm, ReportFilterForm
from veiligthuis.reports.models import ReferrerContact
from veiligthuis.reports.suppression import MIN_COUNT, format_change, format_count, format_mean
from veiligthuis.sessions.schedule import today_local
from veiligthuis.signals import template_hook
from veiligthuis.web import apply_domain_error, kept_fragment

bp = Blueprint("reports", __name__)


@dataclass
class _Built:
    """A report as built for one filter, and the page's part that shows it, once rendered."""

    report: service.Report
    html: Markup | None = None


def _build(flt: service.ReportFilter) -> _Built:
    # Anonymous figures that follow from the data and the filter alone (not from who asks):
    # kept per app server until anything in the database changes (veiligthuis.changes).
    key = (
        today_local(),
        flt.year_from,
        flt.year_to,
        tuple(sorted(flt.location_ids or ())),
        flt.compare,
        flt.programme_id,
    )
    return changes.cached(
        db.session, "reports", key, lambda: _Built(service.build_report(db.session, flt))
    )


class _Choice(NamedTuple):
    """A location or programme the filter offers."""

    id: int
    name: str


def _programme_scope() -> tuple[int, ...] | None:
    """The programmes she may choose from, as part of a key (None: every one)."""
    ids = visible_programme_ids(current_user)
    return None if ids is None else tuple(ids)


def _choices() -> tuple[tuple[_Choice, ...], tuple[_Choice, ...]]:
    """The locations, and the programmes she may choose, kept until anything changes."""

    def work_out():
        return (
            tuple(_Choice(*row) for row in service.locations(db.session)),
            tuple(_Choice(p.id, p.name) for p in programmes_for(db.session, current_user)),
        )

    return changes.cached(db.session, "report choices", _programme_scope(), work_out)


def _load() -> tuple[ReportFilterForm, _Built | None, tuple[_Choice, ...]]:
    """The filter form and, when it is valid, the report it asks for."""
    if not permissions.can_view_reports(current_user):
        abort(403)
    this_year = today_local().year
    locations, programmes = _choices()
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
    return form, _build(flt), locations


def _context(report: service.Report, locations) -> dict:
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
        "chart_widths": documents.chart_widths,
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
    form, built, locations = _load()
    if built is not None and built.html is None:
        built.html = Markup(
            render_template("reports/_report.html", **_context(built.report, locations))
        )
    return render_template(
        "reports/index.html",
        filter_form=_filter_form(form, valid=built is not None),
        query=_query(form),
        report_html=built and built.html,
    )


def _filter_form(form: ReportFilterForm, *, valid: bool) -> Markup:
    """The filter as she asked for it (it has no CSRF token: a GET changes nothing). A valid
    one follows from the address, the year and the choices alone, and is kept until anything
    changes; one with an error is rendered each time, with its messages."""

    def render(_csrf: str) -> str:
        return render_template("reports/_filter.html", form=form)

    if not valid:
        return Markup(render(""))
    key = (tuple(request.args.items(multi=True)), today_local().year, _programme_scope())
    return kept_fragment("report filter", key, render)


@bp.route("/rapportage/jaarverslag.zip")
@login_required
def export_csv():
    form, built, locations = _load()
    if built is None:
        abort(400)
    context = _context(built.report, locations)
    return Response(
        documents.csv_zip(built.report, context["period"]),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="jaarverslag.zip"'},
    )


@bp.route("/rapportage/jaarverslag.pdf")
@login_required
def export_pdf():
    form, built, locations = _load()
    if built is None:
        abort(400)
    context = _context(built.report, locations)
    html = render_template("pdf/yearly_report.html", **context)
    return Response(
        # Anonymous figures only, and every byte follows from the HTML: the content-keyed
        # cache serves the same report again at once, and any change in the data is new HTML.
        render_pdf(html, cached=True),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="jaarverslag.pdf"'},
    )


# --- referrers informed about the group ------------------------------------------------------


def _staff() -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.is_enabled.is_(True)).order_by(User.name))
    )


def _render_referrers(form: ReferrerContactForm, year: int, status: int = 200):
    referrers = outreach.referrers(db.session)
    ticked: dict[str, list] = {}
    for contact in outreach.contacts(db.session, year):
        ticked.setdefault(contact.referrer_kind, []).append(contact)
    listed = {row["kind"] for row in referrers}
    return (
        render_template(
            "reports/referrers.html",
            form=form,
            year=year,
            referrers=referrers,
            ticked=ticked,
            unlisted=[c for kind, cs in ticked.items() if kind not in listed for c in cs],
            remove_form=EmptyForm(),
        ),
        status,
    )


@bp.route("/rapportage/verwijzers", methods=["GET", "POST"])
@login_required
def referrers():
    """The method's referrer list, worked through: who was informed, in which month, by whom."""
    if not permissions.can_view_reports(current_user):
        abort(403)
    today = today_local()
    year = request.args.get("jaar", type=int) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    form = ReferrerContactForm(
        referrers=outreach.referrers(db.session), staff=_staff(), door=current_user.id
    )
    if request.method == "GET":
        form.verwijzer.data = request.args.get("verwijzer", "")
        form.maand.data = today.replace(day=1)
        return _render_referrers(form, year)
    if form.validate():
        try:
            contact = outreach.add_contact(
                db.session,
                current_user,
                kind=form.verwijzer.data,
                month=form.maand.data,
                contacted_by=db.session.get(User, form.door.data),
                organisation=form.organisatie.data or "",
                response=form.reactie.data or "",
                today=today,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"{contact.referrer_label} afgevinkt als benaderd.", "success")
            return redirect(url_for("reports.referrers", jaar=contact.month.year))
    return _render_referrers(form, year, 422)


@bp.route("/rapportage/verwijzers/<int:contact_id>/verwijderen", methods=["POST"])
@login_required
def referrer_remove(contact_id: int):
    """Undo a tick set by mistake."""
    if not permissions.can_view_reports(current_user):
        abort(403)
    contact = db.session.get(ReferrerContact, contact_id)
    if contact is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    year = contact.month.year
    if confirmed("Vink aan dat u het vinkje wilt weghalen; er is niets weggehaald."):
        outreach.remove_contact(db.session, current_user, contact)
        flash("Vinkje weggehaald.", "success")
    return redirect(url_for("reports.referrers", jaar=year))


@template_hook.connect_via("referrer-list")
def _referrer_list_link(_sender, user=None, **_kwargs):
    if user is None or not permissions.can_view_reports(user):
        return None
    return Markup(render_template("reports/_referrers_link.html"))
