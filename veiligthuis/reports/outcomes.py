"""Outcomes: Pearlin Mastery and the method's own questions before and after, over the groups
that have both measurements, and the final evaluation."""

from veiligthuis.evaluations.service import PEARLIN_TOTAL_ID
from veiligthuis.reports.evaluation_data import EvaluationFacts, Sums
from veiligthuis.reports.suppression import Row, Table
from veiligthuis.reports.tables import Layout


def outcome_tables(layout: Layout, facts: EvaluationFacts) -> list[Table]:
    """Pearlin and the method's own questions before/after over paired groups; the final one."""

    def sums(kind: str, qid: str, *, paired_only: bool) -> list[Sums]:
        per = [Sums() for _ in range(layout.width)]
        for (column, is_paired), scores in facts.scores.items():
            if is_paired or not paired_only:
                found = scores.sums[kind][qid]
                per[column].n += found.n
                per[column].total += found.total
        return per

    def paired(kind: str, qid: str) -> list[Sums]:
        return sums(kind, qid, paired_only=True)

    counts = [facts.paired_per_column.get(i, 0) for i in range(layout.width)]
    if layout.has_total:
        counts.append(sum(counts))
    note = "Groepen met voor- én nameting: " + ", ".join(
        f"{label} {n}" for label, n in zip(layout.columns, counts, strict=True)
    )
    pearlin = Table(
        "pearlin",
        "Regie over het eigen leven (Pearlin Mastery, 7–28)",
        "Gemiddelde totaalscore voor en na, alleen over groepen met zowel een voor- als een "
        "nameting (gepaarde groepsgemiddelden: de antwoorden zijn anoniem, dus niet per vrouw "
        "gekoppeld); n is het aantal ingevulde lijsten. Negatief geformuleerde stellingen tellen "
        "omgekeerd; hoger is meer regie.",
        layout.columns,
        [
            Row("voormeting", layout.mean_cells(paired("voor", PEARLIN_TOTAL_ID))),
            Row("nameting", layout.mean_cells(paired("na", PEARLIN_TOTAL_ID))),
        ],
        has_total_column=layout.has_total,
        is_mean=True,
        change_pairs=[(0, 1)],
        notes=[note],
    )
    own_rows: list[Row] = []
    pairs: list[tuple[int, int]] = []
    for qid, text in facts.own_questions:
        pairs.append((len(own_rows), len(own_rows) + 1))
        own_rows.append(Row(f"{text} (voor)", layout.mean_cells(paired("voor", qid))))
        own_rows.append(Row(f"{text} (na)", layout.mean_cells(paired("na", qid))))
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
    )
    # Most women answer every question: a question's n would betray the Pearlin n beside it.
    for before, after in pairs:
        for i, leader in ((before, 0), (after, 1)):
            own.follows += zip(pearlin.rows[leader].cells, own_rows[i].cells, strict=True)
    final = Table(
        "eindevaluatie",
        "Eindevaluatie",
        "Gemiddelde per vraag over alle groepen met een eindevaluatie; n is het aantal antwoorden.",
        layout.columns,
        [
            Row(text, layout.mean_cells(sums("afsluiting", qid, paired_only=False)))
            for qid, text in facts.final_questions
        ],
        has_total_column=layout.has_total,
        is_mean=True,
    )
    return [pearlin, own, final]
