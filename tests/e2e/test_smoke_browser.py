from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in


def test_login_shows_dashboard(page, make_user):
    user = make_user("coordinator", name="Carla Test")
    log_in(page, user, PASSWORD)
    assert page.get_by_role("heading", name="Goedendag, Carla Test").is_visible()
