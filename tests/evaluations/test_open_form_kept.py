"""The form to open a round kept until anything changes: each viewer's form carries her own
CSRF token, a change to the group is in the next view, and a refused form shows its message
and what she typed."""

import re

from tests.conftest import logged_in_side_by_side, page_and_statements
from veiligthuis.extensions import db
from veiligthuis.groups.models import ParticipantStatus


def _form(page: str) -> str:
    return page.split('<h2 id="openen">')[1].split("</form>")[0]


def _count(page: str) -> str:
    """The number of codes the form offers to make."""
    return re.search(r'<input[^>]*name="count"[^>]*value="([^"]*)"', _form(page)).group(1)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))


def test_each_coordinator_gets_her_own_token_in_the_kept_form(strict_app, eval_group, make_user):
    group = eval_group(participants=5)
    first, second = logged_in_side_by_side(
        strict_app, make_user("coordinator"), make_user("coordinator")
    )
    url = f"/groepen/{group.id}/evaluaties"
    pages = [page_and_statements(client, url)[0] for client in (first, second)]
    theirs, hers = (_tokens(page) for page in pages)
    assert len(theirs) == len(hers) == 1 and theirs != hers
    assert all("\x00" not in page for page in pages)
    assert _form(pages[0]).replace(theirs.pop(), "T") == _form(pages[1]).replace(hers.pop(), "T")
    data = {"kind": "voor", "number": "0", "count": "5"}
    refused = second.post(f"{url}/nieuw", data={**data, "csrf_token": _tokens(pages[0]).pop()})
    assert refused.status_code == 400
    opened = second.post(f"{url}/nieuw", data={**data, "csrf_token": _tokens(pages[1]).pop()})
    assert opened.status_code == 200 and "codes" in opened.get_data(as_text=True).lower()


def test_a_change_to_the_group_is_in_the_next_view(login_as, eval_group, make_user):
    group = eval_group(participants=5)
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}/evaluaties"
    client.get(url)
    assert _count(client.get(url).get_data(as_text=True)) == "5"
    group.participants[0].status = ParticipantStatus.DROPPED_OUT
    db.session.commit()
    assert _count(client.get(url).get_data(as_text=True)) == "4"


def test_a_refused_form_shows_its_message_and_what_she_typed(login_as, eval_group, make_user):
    group = eval_group(participants=5)
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}/evaluaties"
    client.get(url)
    wrong = client.post(f"{url}/nieuw", data={"kind": "voor", "number": "0", "count": "99"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Kies een aantal codes van 1 tot 30." in page and _count(page) == "99"
    assert "Kies een aantal codes" not in client.get(url).get_data(as_text=True)


def test_each_group_has_a_form_of_its_own(login_as, eval_group, make_user):
    first, second = eval_group(participants=5), eval_group(participants=7)
    client = login_as(make_user("coordinator"))
    for group, count in ((first, "5"), (second, "7")):
        page = client.get(f"/groepen/{group.id}/evaluaties").get_data(as_text=True)
        assert f'action="/groepen/{group.id}/evaluaties/nieuw"' in _form(page)
        assert _count(page) == count
