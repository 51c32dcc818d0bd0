"""Across programmes the report only sums counts: a mean is always one programme's."""

from datetime import date

from tests.evaluations.conftest import load_question_files, pearlin_values
from tests.programmes.conftest import men
from tests.reports.conftest import csv_files, report_for
from veiligthuis.extensions import db
from veiligthuis.methodiek.models import MethodiekVersion, QuestionSet
from veiligthuis.models import utcnow
from veiligthuis.programmes.service import default_programme

__all__ = ["men"]


def test_means_of_two_programmes_are_never_pooled(measured, men, make_group, open_round, answer):
    measured([pearlin_values(2)] * 5, [pearlin_values(2)] * 5, first_date=date(2026, 2, 2))
    version = MethodiekVersion(
        label="m2026.1",
        title="Mannengroep",
        status="published",
        published_dt=utcnow(),
        programme_id=men.id,
    )
    version.question_sets = [
        QuestionSet(kind=kind, data=data) for kind, data in load_question_files().items()
    ]
    db.session.add(version)
    db.session.commit()
    group = make_group(programme=men, participants=5, first_date=date(2026, 3, 2))
    group.methodiek_version_id = version.id
    for gs in group.sessions:
        gs.methodiek_version_id = version.id
    group.status = "running"
    db.session.commit()
    for kind in ("voor", "na"):
        round_, codes = open_round(group, kind, count=5)
        for code in codes:
            answer(round_, code, pearlin_values(4))
    women = default_programme(db.session).name
    pearlin = next(t for t in report_for().tables if t.key == "pearlin")
    rows = {r.label: r.cells[0] for r in pearlin.rows}
    assert set(rows) == {
        f"{women}: voormeting",
        f"{women}: nameting",
        "Mannengroep: voormeting",
        "Mannengroep: nameting",
    }
    assert (rows[f"{women}: voormeting"].n, rows[f"{women}: voormeting"].mean) == (5, 19)
    assert rows["Mannengroep: voormeting"].mean != rows[f"{women}: voormeting"].mean
    own = next(t for t in report_for().tables if t.key == "eigen_vragen")
    assert all(r.label.startswith((f"{women}: ", "Mannengroep: ")) for r in own.rows)
    # the counts are summed: both programmes' starts in one figure
    overview = next(t for t in report_for().tables if t.key == "bereik")
    assert next(r for r in overview.rows if r.label == "Gestart in de groep").cells[0].n >= 10
    assert "Mannengroep: voormeting" in csv_files(report_for())["pearlin.csv"]
