"""The report's filter kept until anything changes: a second view reads no location or
programme, a new location is offered at once, and each filter shows what was chosen (with
its message, when a year is wrong)."""

import re

from tests.conftest import login, page_and_statements


def _reads_choices(statements: list[str]) -> list[str]:
    return [s for s in statements if re.search(r"FROM (locations|programmes)\b", s)]


def test_a_second_view_reads_no_choices_and_a_new_location_is_offered_at_once(
    client, make_user, make_location
):
    make_location(name="Het Anker")
    login(client, make_user("coordinator"))
    client.get("/rapportage")
    page, statements = page_and_statements(client, "/rapportage")
    assert "Het Anker" in page
    assert not _reads_choices(statements), statements
    make_location(name="De Linde")
    assert "De Linde" in client.get("/rapportage").get_data(as_text=True)


def _checked(page: str, location_id: int) -> bool:
    tag = re.search(rf'<input[^>]*value="{location_id}"[^>]*>', page).group(0)
    return " checked" in tag


def test_each_filter_shows_what_was_chosen_and_a_wrong_year_its_message(
    client, make_user, make_location
):
    north, south = make_location(name="Noord"), make_location(name="Zuid")
    login(client, make_user("coordinator"))
    chosen = f"/rapportage?jaar_van=2025&jaar_tot=2026&locaties={north.id}"
    for _ in range(2):
        page = client.get(chosen).get_data(as_text=True)
        assert 'value="2025"' in page and _checked(page, north.id)
        assert not _checked(page, south.id)
    other = client.get(f"/rapportage?jaar_van=2024&jaar_tot=2024&locaties={south.id}")
    page = other.get_data(as_text=True)
    assert 'value="2024"' in page and _checked(page, south.id) and not _checked(page, north.id)
    for _ in range(2):
        wrong = client.get("/rapportage?jaar_van=1800&jaar_tot=2026").get_data(as_text=True)
        assert "Vul een jaar in tussen 2000 en 2100." in wrong and 'value="1800"' in wrong
    assert "Vul een jaar in" not in client.get(chosen).get_data(as_text=True)
