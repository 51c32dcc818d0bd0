"""Every test runs at one fixed moment (tests.conftest.NOW), whatever day the suite runs on."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from tests.conftest import NOW
from veiligthuis.models import utcnow
from veiligthuis.sessions.schedule import today_local


def test_a_test_runs_at_the_fixed_moment_and_its_clock_runs_on():
    assert today_local() == NOW.date()
    first = utcnow()
    assert timedelta(0) <= first - NOW < timedelta(minutes=5)
    assert utcnow() >= first  # the clock runs: timeouts and orderings in a test still work


def test_the_threads_that_serve_its_requests_share_the_moment():
    # the test client serves each request in a thread of its own (tests.conftest.IsolatedClient)
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(today_local).result() == NOW.date()
