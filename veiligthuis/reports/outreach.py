"""Referrers informed about the group: the method's referrer list worked through, and how the
referrers informed in a period compare with the referrals that came in from each kind.

The list is ``werving/verwijzers.yaml`` of the newest published method book of the women's
group. A referrer kind the participant form does not know as a referral source (GGZ, school,
...) is compared with 'anders', and the table's note names those kinds.
"""

import functools
from collections import Counter
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import REFERRAL_SOURCES
from veiligthuis.methodiek import recruitment
from veiligthuis.methodiek.content import REFERRERS_DOCUMENT
from veiligthuis.methodiek.models import MethodiekDocument
from veiligthuis.methodiek.service import latest_published_version
from veiligthuis.models import DbSession, DomainError
from veiligthuis.programmes.models import Programme
from veiligthuis.reports.models import ReferrerContact
from veiligthuis.reports.suppression import Cell, Row, Table

OTHER_SOURCE = "other"


def referrers(db_session: DbSession) -> list[dict[str, str]]:
    """The referrer list of the newest published women's group method: kind, label, why."""
    # Read only: the report never creates the default programme as a side effect of a GET.
    women = db_session.scalar(sa.select(Programme.id).where(Programme.is_default.is_(True)))
    version = latest_published_version(db_session, women)
    if version is None:
        return []
    text = db_session.scalar(
        sa.select(MethodiekDocument.body).where(
            MethodiekDocument.version_id == version.id,
            MethodiekDocument.path == REFERRERS_DOCUMENT,
        )
    )
    return [dict(zip(("kind", "label", "why"), row, strict=True)) for row in _parsed(text or "")]


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> tuple[tuple[str, str, str], ...]:
    # Reading YAML costs more than the rest of the report; the text is the key, so an edited
    # list is read anew.
    found = recruitment.referrer_list(text)
    rows = found.rows if found else []
    return tuple((row["kind"], row["label"], row["why"]) for row in rows if row["kind"])


def contacts(db_session: DbSession, year: int) -> list[ReferrerContact]:
    """The referrers informed in ``year``, by month, with who informed them."""
    return list(
        db_session.scalars(
            sa.select(ReferrerContact)
            .where(ReferrerContact.month.between(date(year, 1, 1), date(year, 12, 31)))
            .options(so.selectinload(ReferrerContact.contacted_by))
            .order_by(ReferrerContact.month, ReferrerContact.id)
        )
    )


def add_contact(
    db_session: DbSession,
    actor: User,
    *,
    kind: str,
    month: date,
    contacted_by: User | None,
    organisation: str = "",
    response: str = "",
    today: date,
) -> ReferrerContact:
    """Tick a referrer of the list off as informed in ``month`` (by ``contacted_by``)."""
    listed = {row["kind"]: row["label"] for row in referrers(db_session)}
    if kind not in listed:
        raise DomainError("Kies een verwijzer uit de lijst.", field="verwijzer")
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise DomainError("Die maand is nog niet begonnen.", field="maand")
    contact = ReferrerContact(
        referrer_kind=kind,
        referrer_label=listed[kind],
        month=month,
        contacted_by_id=contacted_by.id if contacted_by else actor.id,
        organisation=organisation.strip(),
        response=response.strip(),
    )
    db_session.add(contact)
    db_session.flush()
    return contact


def remove_contact(db_session: DbSession, actor: User, contact: ReferrerContact) -> None:
    """Undo a tick set by mistake."""
    audit(
        db_session,
        actor,
        "referrer_contact_removed",
        contact,
        detail=f"{contact.referrer_label}, {contact.month:%Y-%m}",
    )
    db_session.delete(contact)
    db_session.flush()


def source_of(kind: str) -> str:
    """The referral source a referrer kind is compared with."""
    return kind if kind in REFERRAL_SOURCES else OTHER_SOURCE


def contact_counts(db_session: DbSession, year_from: int, year_to: int) -> Counter[str]:
    """How often each referrer kind was informed in the period (one query)."""
    return Counter(
        dict(
            db_session.execute(
                sa.select(ReferrerContact.referrer_kind, sa.func.count())
                .where(ReferrerContact.month.between(date(year_from, 1, 1), date(year_to, 12, 31)))
                .group_by(ReferrerContact.referrer_kind)
            ).all()
        )
    )


def comparison_table(sources: Table, counts: Counter[str], labels: dict[str, str]) -> Table:
    """Per referral source: referrers informed in the period beside the referrals received.

    The referrals are the very cells of the referral-source table's total column, so a figure
    hidden there is hidden here; the informed counts are about staff work with professionals,
    never about a woman, and are always shown.
    """
    per_source: Counter[str] = Counter()
    folded: Counter[str] = Counter()
    for kind, n in counts.items():
        per_source[source_of(kind)] += n
        if source_of(kind) != kind:
            folded[labels.get(kind, kind)] += n
    by_label = {label: key for key, label in REFERRAL_SOURCES.items()}
    rows = [
        Row(
            row.label,
            [Cell(per_source[by_label.get(row.label, "")], is_public=True), row.cells[-1]],
        )
        for row in sources.rows
    ]
    total = sources.total_row
    assert total is not None
    table = Table(
        "verwijzers_benaderd",
        "Verwijzers benaderd en aanmeldingen, per soort verwijzer",
        "Links: hoe vaak een verwijzer van de lijst in de werving (methodiek) in de periode is "
        "benaderd, zoals de coördinator het afvinkte, over alle locaties en programma's. Rechts: "
        "de aanmeldingen naar doorverwijzer uit de tabel hierboven (kolom totaal).",
        ["keer benaderd", "aanmeldingen"],
        rows,
        total_row=Row(
            total.label, [Cell(sum(per_source.values()), is_public=True), total.cells[-1]]
        ),
    )
    if folded:
        table.notes.append(
            "Onder 'anders' benaderd: "
            + ", ".join(f"{label} {n}" for label, n in sorted(folded.items()))
            + "."
        )
    return table
