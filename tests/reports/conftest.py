"""The report pools evaluation data: reuse the evaluation fixtures, and build small worlds."""

import io
import zipfile

import pytest

from tests.evaluations.conftest import answer, eval_group, methodiek_version, open_round
from veiligthuis.extensions import db
from veiligthuis.reports import documents, service

__all__ = ["answer", "eval_group", "methodiek_version", "open_round"]


@pytest.fixture
def measured(eval_group, open_round, answer):
    """A group at its own location with a before and (optionally) an after measurement."""

    def make(before: list[dict], after: list[dict] | None, **kwargs):
        group = eval_group(**kwargs)
        for kind, values in (("voor", before), ("na", after or [])):
            if not values:
                continue
            round_, codes = open_round(group, kind, count=len(values))
            for code, given in zip(codes, values, strict=True):
                answer(round_, code, given)
        return group

    return make


def report_for(year=2026, compare="", location_ids=None) -> service.Report:
    """The report over one year, as the view builds it."""
    return service.build_report(db.session, service.ReportFilter(year, year, location_ids, compare))


def csv_files(report: service.Report) -> dict[str, str]:
    """The zip's files as text."""
    archive = zipfile.ZipFile(io.BytesIO(documents.csv_zip(report, "2026")))
    return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
