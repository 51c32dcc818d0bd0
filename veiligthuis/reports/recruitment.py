"""The report's recruitment section: referrers informed beside referrals, and what the partner
organisations referred, by kind of partner.

Partners are counted by kind, never by name: most kinds hold a few organisations, and a small
practice's name beside a count of one or two would point at the women it referred. A kind's
count under five is hidden like any other, with complementary suppression over the total row.
"""

from veiligthuis.models import DbSession
from veiligthuis.partners.models import PARTNER_KINDS
from veiligthuis.partners.statistics import KIND_COLUMNS, kind_statistics, partners_per_kind
from veiligthuis.reports import outreach
from veiligthuis.reports.suppression import Cell, Row, Table


def partner_table(db_session: DbSession, year_from: int, year_to: int) -> Table:
    """Referrals through partners per kind of partner: received, reached, started, completed."""
    per = kind_statistics(db_session, year_from, year_to)
    organisations = partners_per_kind(db_session)
    rows = [
        Row(
            PARTNER_KINDS.get(kind, kind),  # type: ignore[call-overload]
            [Cell(organisations[kind], is_public=True), *(Cell(n) for n in per[kind])],
        )
        for kind in per
    ]
    totals = [sum(per[kind][i] for kind in per) for i in range(len(KIND_COLUMNS))]
    total = Row(
        "alle partners",
        [Cell(sum(organisations[k] for k in per), is_public=True), *(Cell(n) for n in totals)],
    )
    return Table(
        "partners",
        "Aanmeldingen via partners, naar soort partner",
        "Aanmeldingen die partners (verwijzers met een eigen aanmeldadres) in de periode "
        "stuurden, naar de maand van binnenkomst, over de hele organisatie: een aanmelding komt "
        "binnen voordat er een locatie of groep is. Bereikt: de coördinator sprak haar (intake "
        "gepland, afgezien, elders verwezen of deelnemer). Gestart en afgerond: in een groep. "
        "Partners: het aantal actieve partnerorganisaties van die soort nu. Partners worden niet "
        "bij naam genoemd: bij een kleine partner zou een aantal naar de vrouwen wijzen.",
        ["partners", *KIND_COLUMNS],
        rows,
        total_row=total,
    )


def recruitment_tables(db_session: DbSession, flt, sources: Table) -> list[Table]:
    """Referrers informed against referrals by source, and the partners' referrals by kind."""
    labels = {row["kind"]: row["label"] for row in outreach.referrers(db_session)}
    counts = outreach.contact_counts(db_session, flt.year_from, flt.year_to)
    return [
        outreach.comparison_table(sources, counts, labels),
        partner_table(db_session, flt.year_from, flt.year_to),
    ]
