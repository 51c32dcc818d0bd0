import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, require_chromium

pytestmark = pytest.mark.e2e


def test_login_shows_dashboard(page, make_user):
    user = make_user("coordinator", name="Carla Test")
    log_in(page, user, PASSWORD)
    assert page.get_by_role("heading", name="Goedendag, Carla Test").is_visible()


def test_a_missing_chromium_names_the_debian_package(tmp_path):
    with pytest.raises(pytest.fail.Exception) as failure:
        require_chromium(str(tmp_path / "chromium"))
    assert "apt-get install chromium" in str(failure.value)
    assert "make chromium" in str(failure.value)
