"""The benchmark keeps working: a tiny organisation, one short round of every measurement."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generator_and_runner_at_a_tiny_size(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--size",
            "0.01",
            "--db",
            "sqlite",
            "--seconds",
            "0.2",
            "--repeat",
            "1",
            "--client",
            "python",
            "--workers",
            "1",
            "--workdir",
            str(tmp_path),
            "--quiet",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    for label in ("/groepen as coordinator", "/rapportage", "/agenda/<token>.ics", "dashboard"):
        assert f"| {label} |" in table
    assert "| draaiboek |" in table and "| slips for 30 codes |" in table
    assert " 0 refused" in table
    # the app's workers ran the production start-up hook, as a production worker does
    assert "PDF renderer ready in" in (tmp_path / "app.log").read_text()
    # its codes are used up: the data set is not offered to the next run
    assert not list(tmp_path.glob("manifest-*.json"))
