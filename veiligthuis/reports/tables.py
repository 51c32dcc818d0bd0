"""The report's tables, built from aggregate rows: one query per kind of fact, whatever the
number of groups. Cells that stand for the same figure in two tables are the same object, so
suppression hides them together."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from veiligthuis.groups.models import (
    AGE_BANDS,
    CHILDREN,
    DECLINED,
    DROPOUT_KINDS,
    PARTNER_RELATIONS,
    REFERRAL_SOURCES,
    VIOLENCE_PHASES,
    Group,
    Participant,
)
from veiligthuis.models import DbSession
from veiligthuis.reports.evaluation_data import Sums
from veiligthuis.reports.origins import ORIGIN_REGIONS, origin_region
from veiligthuis.reports.suppression import MIN_COUNT, Cell, Row, Table
from veiligthuis.sessions.models import Attendance, GroupSession, SessionStatus
from veiligthuis.sessions.service import has_completed
from veiligthuis.support.models import Referral, ReferralTarget, SupportContact, SupportRecord

NOT_GIVEN = "niet opgegeven (zegt ze liever niet)"
NOT_ASKED = "niet gevraagd of niet ingevuld"
STARTED = ("active", "completed", "dropped_out")
#: free answers that mean she did not want to say (language, country of birth)
_DECLINES = {"-", "?", "onbekend", "liever niet", "zeg ik liever niet", "wil ik niet zeggen"}


@dataclass
class Layout:
    """The report's columns (the last is the total) and each group's column."""

    columns: list[str]
    column_of: dict[int, int]
    #: the same split as SQL over ``Group`` (the year it started, its location), so queries can
    #: add up per column; None when there is one column
    column_key: Any = None
    #: the column of each value of ``column_key``
    column_of_key: dict = field(default_factory=dict)

    def column_at(self, key) -> int:
        """The column of a value of ``column_key`` (0 when there is one column)."""
        return 0 if self.column_key is None else self.column_of_key[key]

    @property
    def width(self) -> int:
        return len(self.columns) - 1 if self.has_total else 1

    @property
    def has_total(self) -> bool:
        return len(self.columns) > 1

    def count_cells(self, per_column: list[int]) -> list[Cell]:
        """Cells for counts per column, with the total cell if there is a total column."""
        cells = [Cell(n) for n in per_column]
        return cells + [Cell(sum(per_column))] if self.has_total else cells

    def mean_cells(self, per_column: list[Sums]) -> list[Cell]:
        """Cells for means per column, with the pooled mean if there is a total column."""
        if self.has_total:
            pooled = Sums(sum(s.n for s in per_column), sum(s.total for s in per_column))
            per_column = [*per_column, pooled]
        return [Cell(s.n, s.total / s.n if s.n else None) for s in per_column]

    def count_table(self, key, title, how, counts: dict[str, list[int]], total_row=None) -> Table:
        """A table of counts: one row per label, ``total_row`` (a shared Row) as its sum."""
        return Table(
            key,
            title,
            how,
            self.columns,
            [Row(label, self.count_cells(per)) for label, per in counts.items()],
            total_row=total_row,
            has_total_column=self.has_total,
        )


@dataclass
class Person:
    """What the report knows about one woman: no name, alias, code or date."""

    id: int
    column: int
    status: str
    has_intake: bool
    answers: dict[str, str | None]
    present: int = 0
    #: the highest meeting number she was present at (0: none)
    last_present: int = 0
    #: days from intake to the first meeting she attended
    waited_days: int | None = None


DIMENSIONS: tuple[str, ...] = ("referral_source", "age_band", "language", "country_of_birth")
DIMENSIONS += ("violence_phase", "partner_relation", "children", "dropout_kind")


def participant_facts(db_session: DbSession, layout: Layout) -> list[Person]:
    """Every woman registered for the report's groups, with her attendance, in two queries."""
    group_ids = list(layout.column_of)
    if not group_ids:
        return []
    rows = db_session.execute(
        sa.select(
            Participant.id,
            Participant.group_id,
            Participant.status,
            Participant.intake_date,
            *(getattr(Participant, name) for name in DIMENSIONS),
        ).where(Participant.group_id.in_(group_ids))
    )
    people: dict[int, Person] = {}
    intake: dict[int, date | None] = {}
    # Plain tuples: thousands of women over ten years, and named access costs more than the rest.
    for pid, group_id, status, intake_date, *answers in rows:
        intake[pid] = intake_date
        people[pid] = Person(
            id=pid,
            column=layout.column_of[group_id],
            status=status,
            has_intake=intake_date is not None,
            answers=dict(zip(DIMENSIONS, answers, strict=True)),
        )
    attended = db_session.execute(
        sa.select(
            Attendance.participant_id,
            sa.func.count(),
            sa.func.max(GroupSession.number),
            sa.func.min(GroupSession.start_dt),
        )
        .join(GroupSession, GroupSession.id == Attendance.group_session_id)
        .where(
            GroupSession.group_id.in_(group_ids),
            GroupSession.status != SessionStatus.CANCELLED,
            Attendance.status == "present",
        )
        .group_by(Attendance.participant_id)
    )
    for participant_id, present, last, first_dt in attended:
        person = people[participant_id]
        person.present, person.last_present = present, last or 0
        intake_date = intake[participant_id]
        if intake_date is not None and first_dt is not None:
            person.waited_days = (first_dt.date() - intake_date).days
    return list(people.values())


def _per_column(layout: Layout, items: Iterable[tuple[int, str]], labels: list[str]) -> dict:
    counts = {label: [0] * layout.width for label in labels}
    for column, label in items:
        counts.setdefault(label, [0] * layout.width)[column] += 1
    return counts


def _choice_labels(options: dict[str, str], not_given_keys=(DECLINED,)) -> Callable:
    def label(value: str | None) -> str:
        if value is None:
            return NOT_ASKED
        if value in not_given_keys:
            return NOT_GIVEN
        return options.get(value, "anders")

    return label


def _language_label(value: str | None) -> str:
    if value is None:
        return NOT_ASKED
    plain = " ".join(value.lower().split())
    return NOT_GIVEN if plain in _DECLINES else plain.capitalize()


def _origin_label(value: str | None) -> str:
    if value is None:
        return NOT_ASKED
    if " ".join(value.lower().split()) in _DECLINES:
        return NOT_GIVEN
    return ORIGIN_REGIONS[origin_region(value)]


_DIMENSION_TABLES = {
    "referral_source": ("Aanmeldingen naar doorverwijzer", REFERRAL_SOURCES, ()),
    "age_band": ("Aanmeldingen naar leeftijd", AGE_BANDS, (DECLINED,)),
    "language": ("Aanmeldingen naar taal", {}, ()),  # its labels are the languages spoken
    "country_of_birth": ("Aanmeldingen naar geboorteland (als regio)", ORIGIN_REGIONS, ()),
    "violence_phase": ("Aanmeldingen naar fase in de geweldcyclus", VIOLENCE_PHASES, ("unknown",)),
    "partner_relation": ("Aanmeldingen naar relatie met de (ex-)partner", PARTNER_RELATIONS, ()),
    "children": ("Aanmeldingen naar kinderen", CHILDREN, (DECLINED,)),
}


def _label_function(name: str, options: dict, not_given: tuple) -> Callable:
    if name == "language":
        return _language_label
    if name == "country_of_birth":
        return _origin_label
    return _choice_labels(options, (DECLINED, *not_given))


OTHER_LANGUAGES = "andere talen"


def _language_labels(labelled: Counter, apart: tuple[str, ...]) -> tuple[list[str], set[str]]:
    """The languages named in the table (then 'andere talen'), and every label kept apart."""
    spoken: Counter = Counter()
    for (_column, label), n in labelled.items():
        spoken[label] += n
    # A language spoken by fewer than five women is not named: it would point to them.
    labels = sorted(k for k, n in spoken.items() if n >= MIN_COUNT and k not in apart)
    named = {*labels, *apart}
    labels.append(OTHER_LANGUAGES)
    return labels, named


def _dimension_table(layout: Layout, people: list[Person], name: str, total: Row) -> Table:
    title, options, not_given = _DIMENSION_TABLES[name]
    label_of = _label_function(name, options, not_given)
    labelled: Counter = Counter()
    for (column, value), n in Counter((p.column, p.answers[name]) for p in people).items():
        labelled[column, label_of(value)] += n
    apart = (NOT_GIVEN, NOT_ASKED)
    if name == "language":
        labels, named = _language_labels(labelled, apart)
    else:
        labels = [label for key, label in options.items() if key not in (DECLINED, *not_given)]
        named = None
    counts = {label: [0] * layout.width for label in [*labels, *apart]}
    for (column, label), n in labelled.items():
        if named is not None and label not in named:
            label = OTHER_LANGUAGES
        counts.setdefault(label, [0] * layout.width)[column] += n
    how = (
        "Alle aanmeldingen voor de groepen in de periode. Zelf opgegeven en niet verplicht: "
        "'niet opgegeven' is een bewuste keuze van haar, 'niet gevraagd' een leeg veld."
    )
    if name == "country_of_birth":
        how += " Landen zijn ingedeeld in regio's zoals het CBS herkomst indeelt."
    if name == "language":
        how += " Een taal die minder dan vijf vrouwen spreken valt onder 'andere talen'."
    return layout.count_table(name, title, how, counts, total)


@dataclass
class Reach:
    tables: list[Table]
    starts: Row


def _count_row(layout: Layout, label: str, columns: list[int]) -> Row:
    per = [0] * layout.width
    for column in columns:
        per[column] += 1
    return Row(label, layout.count_cells(per))


def _waits(layout: Layout, people: list[Person]) -> list[Sums]:
    """Per column the days the started women waited from intake to their first meeting."""
    waits = [Sums() for _ in range(layout.width)]
    for p in people:
        if p.waited_days is not None and p.status in STARTED:
            waits[p.column].add(p.waited_days, 1)
    return waits


def reach_tables(layout: Layout, people: list[Person]) -> Reach:
    """Referrals, intakes, starts, waiting list and waiting time; who was reached."""
    counts = {
        "Aanmeldingen": [p.column for p in people],
        "Intakegesprek gehad": [p.column for p in people if p.has_intake],
        "Gestart in de groep": [p.column for p in people if p.status in STARTED],
        "Op de wachtlijst": [p.column for p in people if p.status == "waiting"],
    }
    rows = {label: _count_row(layout, label, columns) for label, columns in counts.items()}
    overview = Table(
        "bereik",
        "Aanmeldingen, intakes, starts en wachtlijst",
        "Aantal vrouwen aangemeld voor de groepen die in de periode begonnen. Gestart: actief, "
        "afgerond of uitgevallen. Wachtlijst: de stand nu.",
        layout.columns,
        list(rows.values()),
        has_total_column=layout.has_total,
    )
    waiting = Table(
        "wachttijd",
        "Wachttijd van intake tot eerste bijeenkomst (dagen)",
        "Gemiddeld aantal dagen tussen de intake en de eerste bijeenkomst waarbij zij aanwezig "
        "was, over de gestarte vrouwen met een intakedatum; n is het aantal vrouwen.",
        layout.columns,
        [Row("gemiddelde wachttijd", layout.mean_cells(_waits(layout, people)))],
        has_total_column=layout.has_total,
        is_mean=True,
    )
    starts = rows["Gestart in de groep"]
    received = rows["Aanmeldingen"]
    # Nearly every woman referred has an intake, and most start: these follow the referrals.
    for row in (rows["Intakegesprek gehad"], starts):
        overview.follows += zip(received.cells, row.cells, strict=True)
    waiting.follows = list(zip(starts.cells, waiting.rows[0].cells, strict=True))
    dimensions = [_dimension_table(layout, people, name, received) for name in _DIMENSION_TABLES]
    return Reach([overview, waiting, *dimensions], starts)


def _drop_bin(last_present: int) -> str:
    if last_present == 0:
        return "voor de eerste bijeenkomst"
    low = (last_present - 1) // 3 * 3 + 1
    return f"na bijeenkomst {low}–{low + 2}"


DROP_BINS = ["voor de eerste bijeenkomst"] + [f"na bijeenkomst {i}–{i + 2}" for i in (1, 4, 7, 10)]


def participation_tables(
    layout: Layout, people: list[Person], threshold: int, starts: Row
) -> list[Table]:
    """Attendance per meeting, completion by the one rule, and when women left."""
    outcome_labels = [
        f"afgerond ({threshold} keer of vaker aanwezig)",
        "uitgevallen",
        "(nog) niet afgerond",
    ]

    def outcome(p: Person) -> str:
        if p.status == "dropped_out":
            return outcome_labels[1]
        return outcome_labels[0] if has_completed(p, p.present, threshold) else outcome_labels[2]

    started = [p for p in people if p.status in STARTED]
    completion = layout.count_table(
        "afronding",
        "Afronding",
        f"Van de gestarte vrouwen: afgerond volgens de regel van de organisatie ({threshold} van "
        "de 12 bijeenkomsten aanwezig), uitgevallen, of (nog) niet afgerond.",
        _per_column(layout, ((p.column, outcome(p)) for p in started), outcome_labels),
        total_row=starts,
    )
    dropped = [p for p in started if p.status == "dropped_out"]
    leaving = layout.count_table(
        "uitval",
        "Uitval: na welke bijeenkomst vrouwen stopten",
        "Van de uitgevallen vrouwen: de laatste bijeenkomst waarbij zij aanwezig was, per drie "
        "bijeenkomsten.",
        _per_column(layout, ((p.column, _drop_bin(p.last_present)) for p in dropped), DROP_BINS),
        total_row=completion.rows[1],
    )
    no_kind = "geen soort reden vastgelegd"
    reasons = layout.count_table(
        "uitvalredenen",
        "Uitval: redenen",
        "Van de uitgevallen vrouwen: de soort reden die de begeleiding vastlegde (haar eigen "
        "woorden blijven in het dossier en komen niet in het verslag).",
        _per_column(
            layout,
            (
                (p.column, DROPOUT_KINDS.get(p.answers["dropout_kind"] or "", no_kind))
                for p in dropped
            ),
            [*DROPOUT_KINDS.values(), no_kind],
        ),
        total_row=completion.rows[1],
    )
    return [completion, leaving, reasons]


def attendance_table(db_session: DbSession, layout: Layout, starts: Row) -> Table:
    """Women present per meeting number, summed over the groups of each column."""
    per = {f"bijeenkomst {i}": [0] * layout.width for i in range(1, 13)}
    if layout.column_of:
        # Added up per column in the database: the rows read do not grow with the groups.
        keys = [GroupSession.number]
        if layout.column_key is not None:
            keys.insert(0, layout.column_key)
        query = (
            sa.select(*keys, sa.func.count())
            .join(Attendance, Attendance.group_session_id == GroupSession.id)
            .join(Group, Group.id == GroupSession.group_id)
            .where(
                GroupSession.group_id.in_(list(layout.column_of)),
                GroupSession.status != SessionStatus.CANCELLED,
                Attendance.status == "present",
            )
            .group_by(*keys)
        )
        for *key, number, count in db_session.execute(query):
            if number and 1 <= number <= 12:
                per[f"bijeenkomst {number}"][layout.column_at(key[0] if key else None)] += count
    table = layout.count_table(
        "aanwezigheid",
        "Aanwezigheid per bijeenkomst",
        "Aantal aanwezige vrouwen per bijeenkomst (1–12), opgeteld over de groepen; afgelaste "
        "bijeenkomsten tellen niet mee.",
        per,
    )
    # A well-attended meeting counts nearly every woman who started: it follows the starts.
    for row in table.rows:
        table.follows += zip(starts.cells, row.cells, strict=True)
    return table


CONTACT_BINS = ["geen contact", "1–2 contacten", "3–5 contacten", "6 of meer contacten"]


def _contact_bin(n: int) -> str:
    return CONTACT_BINS[0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3]


def support_tables(
    db_session: DbSession, layout: Layout, people: list[Person], starts: Row
) -> list[Table]:
    """Support contacts per woman, safety-plan status and referrals out, in three queries."""
    started = {p.id: p for p in people if p.status in STARTED}
    contacts: Counter[int] = Counter()
    plans: dict[int, bool] = {}
    referrals: defaultdict[str, list[int]] = defaultdict(lambda: [0] * layout.width)
    if started:
        # The women as a subquery: a list of thousands of ids would cost more than the query.
        ids = sa.select(Participant.id).where(
            Participant.group_id.in_(list(layout.column_of)), Participant.status.in_(STARTED)
        )
        contacts.update(
            dict(
                db_session.execute(
                    sa.select(SupportContact.participant_id, sa.func.count())
                    .where(SupportContact.participant_id.in_(ids))
                    .group_by(SupportContact.participant_id)
                ).all()
            )
        )
        plans = dict(
            db_session.execute(
                sa.select(SupportRecord.participant_id, SupportRecord.has_safety_plan).where(
                    SupportRecord.participant_id.in_(ids)
                )
            ).all()
        )
        for name, group_id, count in db_session.execute(
            sa.select(ReferralTarget.name, Participant.group_id, sa.func.count())
            .join(Referral, Referral.target_id == ReferralTarget.id)
            .join(Participant, Participant.id == Referral.participant_id)
            .where(Referral.participant_id.in_(ids))
            .group_by(ReferralTarget.name, Participant.group_id)
        ):
            referrals[name][layout.column_of[group_id]] += count
    plan_labels = ["heeft een veiligheidsplan", "geen veiligheidsplan", "niet vastgelegd"]

    def plan(pid: int) -> str:
        return plan_labels[2] if pid not in plans else plan_labels[0 if plans[pid] else 1]

    per_target = {name: per for name, per in sorted(referrals.items())}
    referral_total = Row(
        "alle doorverwijzingen",
        layout.count_cells(
            [sum(per[i] for per in per_target.values()) for i in range(layout.width)]
        ),
    )
    return [
        layout.count_table(
            "contacten",
            "Individuele hulpverlening: contacten per deelnemer",
            "Van de gestarte vrouwen: hoeveel contacten de individuele hulpverlening vastlegde.",
            _per_column(
                layout,
                ((p.column, _contact_bin(contacts[pid])) for pid, p in started.items()),
                CONTACT_BINS,
            ),
            total_row=starts,
        ),
        layout.count_table(
            "veiligheidsplan",
            "Veiligheidsplan aan het eind",
            "Van de gestarte vrouwen: de status van het veiligheidsplan zoals nu vastgelegd (nooit "
            "de inhoud).",
            _per_column(layout, ((p.column, plan(pid)) for pid, p in started.items()), plan_labels),
            total_row=starts,
        ),
        layout.count_table(
            "doorverwijzingen",
            "Doorverwijzingen naar andere hulp",
            "Aantal doorverwijzingen (niet vrouwen) naar soort hulp, voor de gestarte vrouwen.",
            per_target,
            total_row=referral_total,
        ),
    ]
