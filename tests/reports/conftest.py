"""The report pools evaluation data: reuse the evaluation fixtures."""

from tests.evaluations.conftest import answer, eval_group, methodiek_version, open_round

__all__ = ["answer", "eval_group", "methodiek_version", "open_round"]
