"""Outcomes: Pearlin Mastery and the method's own questions before and after, over the groups
that have both measurements, and the final evaluation."""

from veiligthuis.evaluations.service import PEARLIN_TOTAL_ID
from veiligthuis.reports.evaluation_data import EvaluationFacts, Sums
from veiligthuis.reports.suppression import Cell, Row, Table
from veiligthuis.reports.tables import Layout


def outcome_tables(layout: Layout, facts: EvaluationFacts) -> list[Table]:
    """Pearlin and the method's own questions before/after over paired groups; the final one.

    Means are never pooled across programmes: with more than one programme in the report,
    every row is one programme's, named in its label (issue: only counts are summed)."""

    def sums(kind: str, qid: str, programme: int, *, paired_only: bool) -> list[Sums]:
        per = [Sums() for _ in range(layout.width)]
        for (column, is_paired, of), scores in facts.scores.items():
            if of == programme and (is_paired or not paired_only):
                found = scores.sums[kind][qid]
                per[column].n += found.n
                per[column].total += found.total
        return per

    def paired(kind: str, qid: str, programme: int) -> list[Sums]:
        return sums(kind, qid, programme, paired_only=True)

    names = dict(facts.programmes)

    def label(text: str, programme: int) -> str:
        return f"{names[programme]}: {text}" if len(names) > 1 else text

    counts = [facts.paired_per_column.get(i, 0) for i in range(layout.width)]
    if layout.has_total:
        counts.append(sum(counts))
    note = "Groepen met voor- én nameting: " + ", ".join(
        f"{column} {n}" for column, n in zip(layout.columns, counts, strict=True)
    )
    pearlin_rows: list[Row] = []
    leaders: dict[int, tuple[Row, Row]] = {}
    for programme in names:
        before = Row(
            label("voormeting", programme),
            layout.mean_cells(paired("voor", PEARLIN_TOTAL_ID, programme)),
        )
        after = Row(
            label("nameting", programme),
            layout.mean_cells(paired("na", PEARLIN_TOTAL_ID, programme)),
        )
        pearlin_rows += [before, after]
        leaders[programme] = (before, after)
    pearlin = Table(
        "pearlin",
        "Regie over het eigen leven (Pearlin Mastery, 7–28)",
        "Gemiddelde totaalscore voor en na, alleen over groepen met zowel een voor- als een "
        "nameting (gepaarde groepsgemiddelden: de antwoorden zijn anoniem, dus niet per vrouw "
        "gekoppeld); n is het aantal ingevulde lijsten. Negatief geformuleerde stellingen tellen "
        "omgekeerd; hoger is meer regie. Elk programma apart.",
        layout.columns,
        pearlin_rows,
        has_total_column=layout.has_total,
        is_mean=True,
        change_pairs=[(i, i + 1) for i in range(0, len(pearlin_rows), 2)],
        notes=[note],
    )
    own_rows: list[Row] = []
    pairs: list[tuple[int, int]] = []
    follows: list[tuple[Cell, Cell]] = []
    for programme, qid, text in facts.own_questions:
        pairs.append((len(own_rows), len(own_rows) + 1))
        before = Row(
            label(f"{text} (voor)", programme), layout.mean_cells(paired("voor", qid, programme))
        )
        after = Row(
            label(f"{text} (na)", programme), layout.mean_cells(paired("na", qid, programme))
        )
        own_rows += [before, after]
        # Most women answer every question: a question's n would betray the Pearlin n beside it.
        if programme in leaders:
            for leader, row in zip(leaders[programme], (before, after), strict=True):
                follows += zip(leader.cells, row.cells, strict=True)
    own = Table(
        "eigen_vragen",
        "Eigen vragen van de methodiek, voor en na",
        "Gemiddelde per vraag (1–4), over dezelfde groepen met voor- én nameting; n is het aantal "
        "antwoorden.",
        layout.columns,
        own_rows,
        has_total_column=layout.has_total,
        is_mean=True,
        change_pairs=pairs,
        follows=follows,
    )
    final = Table(
        "eindevaluatie",
        "Eindevaluatie",
        "Gemiddelde per vraag over alle groepen met een eindevaluatie; n is het aantal antwoorden.",
        layout.columns,
        [
            Row(
                label(text, programme),
                layout.mean_cells(sums("afsluiting", qid, programme, paired_only=False)),
            )
            for programme, qid, text in facts.final_questions
        ],
        has_total_column=layout.has_total,
        is_mean=True,
    )
    return [pearlin, own, final]
