from tests.conftest import login


def test_login_and_dashboard(client, make_user, make_group):
    user = make_user("coordinator")
    group = make_group(participants=6)
    login(client, user)
    response = client.get("/")
    assert response.status_code == 200
    assert group.name in response.get_data(as_text=True)
    for url in (
        "/groepen",
        f"/groepen/{group.id}",
        f"/groepen/{group.id}/deelnemers",
        f"/groepen/{group.id}/presentie",
        f"/groepen/{group.id}/bijeenkomsten/1",
        "/groepen/nieuw",
        "/beheer",
        "/beheer/locaties",
        "/beheer/medewerkers",
        "/beheer/sluitingen",
        "/beheer/instellingen",
        "/beheer/audit",
    ):
        assert client.get(url).status_code == 200, url
