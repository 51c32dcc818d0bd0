"""The audit log for coordinators (NEN 7513): filter, page, export, and 'who looked at my file'."""

from datetime import date

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth import audit_service
from veiligthuis.auth.audit_labels import label
from veiligthuis.auth.service import audit
from veiligthuis.auth.views import bp
from veiligthuis.extensions import db
from veiligthuis.pdf import render_pdf
from veiligthuis.spreadsheet import csv_bytes


def _filter() -> tuple[audit_service.AuditFilter, dict[str, str]]:
    args = request.args
    errors = {}
    flt = audit_service.AuditFilter(code=args.get("code", "").strip().upper()[:16])
    actor = args.get("medewerker", "")
    if actor:
        if actor.isdigit() and len(actor) < 10:
            flt.actor_id = int(actor)
        else:
            errors["medewerker"] = "Kies een medewerker uit de lijst."
    for key, attr in (("van", "start"), ("tot", "end")):
        raw = args.get(key, "")
        if raw:
            try:
                setattr(flt, attr, date.fromisoformat(raw))
            except ValueError:
                errors[key] = "Vul een geldige datum in."
    return flt, errors


def _require_manager() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


@bp.route("/beheer/audit")
@login_required
def audit_log():
    _require_manager()
    flt, errors = _filter()
    page = request.args.get("pagina", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    entries, pages = audit_service.entries_page(db.session, flt, page)
    return render_template(
        "auth/audit_log.html",
        entries=entries,
        page=min(page, pages),
        pages=pages,
        flt=flt,
        errors=errors,
        staff=audit_service.staff_in_log(db.session),
        label=label,
        args={k: v for k, v in request.args.items() if k != "pagina"},
    )


def _rows(entries):
    for e in entries:
        yield [
            e.created_dt.astimezone(audit_service.AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.name if e.actor else "",
            e.actor.email if e.actor else "",
            e.participant_code or "",
            label(e.action),
            f"{e.object_type} {e.object_id or ''}".strip(),
            e.detail,
            e.address,
            e.user_agent,
        ]


@bp.route("/beheer/audit.csv")
@login_required
def audit_export():
    _require_manager()
    flt, _errors = _filter()
    entries = audit_service.all_entries(db.session, flt)
    audit(db.session, current_user, "audit_export", current_user, detail=f"{len(entries)} regels")
    header = ["Wanneer", "Wie", "E-mail", "Deelnemerscode", "Wat", "Object", "Toelichting"]
    body = csv_bytes([*header, "Adres", "Apparaat"], _rows(entries))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="auditlog.csv"'},
    )


@bp.route("/beheer/audit/<code>/overzicht.pdf")
@login_required
def audit_overview_pdf(code: str):
    """What a participant may ask for: who looked at or changed her file, and when."""
    _require_manager()
    code = code.strip().upper()[:16]
    entries = audit_service.all_entries(db.session, audit_service.AuditFilter(code=code))
    if not entries:
        abort(404)
    audit(db.session, current_user, "audit_overview_pdf", current_user, participant_code=code)
    html = render_template("pdf/audit_overview.html", code=code, entries=entries, label=label)
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="inzage-{code}.pdf"'},
    )
