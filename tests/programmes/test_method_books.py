"""Each programme has its own method book, imported and versioned on its own: the men's and
the children's books ship in the repository, fill their programme's meetings and minutes, carry
their own evaluation questions, and say which women's-group session shares each theme."""

from datetime import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.methodiek.factories import make_content, publish_content
from veiligthuis.extensions import db
from veiligthuis.methodiek import service
from veiligthuis.methodiek.checks import validate_content
from veiligthuis.methodiek.cli import DEFAULT_DIR, PROGRAMME_DIRS
from veiligthuis.methodiek.files import content_files
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.models import MethodiekVersion
from veiligthuis.models import DomainError
from veiligthuis.programmes.models import Programme
from veiligthuis.programmes.service import default_programme

REPO = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(("kind", "count", "minutes"), [("men", 10, 120), ("children", 8, 90)])
def test_the_shipped_parallel_books_pass_the_check_and_export_byte_for_byte(
    app_ctx, kind, count, minutes
):
    root = PROGRAMME_DIRS[kind]
    assert root.parent == REPO and root != DEFAULT_DIR
    content, problems = read_folder(root)
    assert problems == []
    assert (content.session_count, content.session_minutes) == (count, minutes)
    assert [s.number for s in content.sessions] == list(range(1, count + 1))
    assert all(s.total_minutes == minutes for s in content.sessions)
    assert all(s.aligned_with for s in content.sessions)
    assert set(content.question_sets) == {"sessie", "afsluiting", "voor-na"}
    assert content_files(content) == _files(root)


def test_the_women_book_is_untouched_by_the_new_keys():
    content, problems = read_folder(DEFAULT_DIR)
    assert problems == []
    assert (content.session_count, content.session_minutes) == (12, 150)
    assert not any(s.aligned_with for s in content.sessions)
    assert b"sessions:" not in (DEFAULT_DIR / "methodiek.yaml").read_bytes()


def test_a_book_is_checked_against_its_own_meetings_and_minutes(tmp_path):
    root = tmp_path / "boek"
    root.mkdir()
    for rel, data in content_files(read_folder(PROGRAMME_DIRS["men"])[0]).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    meta = root / "methodiek.yaml"
    meta.write_text(meta.read_text().replace("minutes: 120", "minutes: 150"))
    problems = [str(p) for p in read_folder(root)[1]]
    assert len(problems) == 10
    assert all("30 minuten te weinig" in p for p in problems)
    meta.write_text(meta.read_text().replace("minutes: 150", "minutes: 120"))
    meta.write_text(meta.read_text().replace("sessions: 10", "sessions: 11"))
    problems = [str(p) for p in read_folder(root)[1]]
    assert "sessies/: bijeenkomst 11 ontbreekt" in problems
    meta.write_text(meta.read_text().replace("sessions: 11", 'sessions: "tien"'))
    assert any("'sessions' moet een geheel getal" in str(p) for p in read_folder(root)[1])


def test_aligned_themes_must_keep_their_order_and_room(tmp_path):
    content = read_folder(PROGRAMME_DIRS["men"])[0]
    content.sessions[5].aligned_with = 5  # meeting 6 in the week of women's 5, after 5 in 5
    problems = [str(p) for p in validate_content(content)]
    assert problems == [
        "sessies/06-grenzen-van-de-ander.md:5: bijeenkomst 6 past niet in de week van "
        "bijeenkomst 5 van de vrouwengroep: de bijeenkomsten ervoor en erna hebben elk een "
        "eigen week nodig, in dezelfde volgorde"
    ]
    content.sessions[5].aligned_with = 13
    assert "aligned_with moet 1 tot en met 12 zijn" in str(validate_content(content)[0])


def test_import_into_a_programme_versions_it_apart(app_ctx, men):
    women_version = publish_content(db.session)
    content = read_folder(PROGRAMME_DIRS["men"])[0]
    men_version = service.import_content(db.session, content, programme=men)
    # the same label in another programme is its own book
    assert men_version.label == women_version.label == "2026.1"
    assert men_version.programme_id == men.id
    assert women_version.programme_id == default_programme(db.session).id
    assert men_version.session(6).aligned_with == 7
    assert service.latest_published_version(db.session, men.id) == men_version
    with pytest.raises(DomainError, match="Er is al een versie 2026.1"):
        service.import_content(db.session, content, programme=men)
    # the women's book does not fit the men's ten meetings of 120 minutes
    with pytest.raises(DomainError, match="12 bijeenkomsten van 150 minuten"):
        service.import_content(db.session, make_content("2027.1"), programme=men)
    # a draft of each book, side by side
    draft = service.create_draft(db.session, _editor(), men.id)
    assert (draft.programme_id, draft.label, draft.session(6).aligned_with) == (men.id, "2026.2", 7)
    women_draft = service.create_draft(db.session, _editor())
    assert women_draft.programme_id == women_version.programme_id
    assert service.version_problems(draft) == []
    service.publish(db.session, _editor(), draft)
    assert service.latest_published_version(db.session, men.id) == draft


def _editor():
    from veiligthuis.auth.models import User

    return db.session.scalars(sa.select(User)).first() or _make_editor()


def _make_editor():
    from veiligthuis.auth.service import create_user

    return create_user(
        db.session,
        email="redactie@example.org",
        name="Redactie",
        password="een lange zin als wachtwoord",
        roles={"editor"},
    )


def test_cli_imports_into_the_programme_named(runner, app_ctx, men, children):
    result = runner.invoke(
        args=["import-methodiek", str(PROGRAMME_DIRS["men"]), "--programme", "Mannengroep"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["import-methodiek", str(PROGRAMME_DIRS["children"]), "--programme", "Kindergroep"]
    )
    assert result.exit_code == 0, result.output
    # the women's group still has none: --if-empty looks at her programme only
    result = runner.invoke(args=["import-methodiek", "--if-empty"])
    assert result.exit_code == 0 and "ingelezen en gepubliceerd" in result.output
    result = runner.invoke(
        args=[
            "import-methodiek",
            str(PROGRAMME_DIRS["men"]),
            "--programme",
            "Mannengroep",
            "--if-empty",
        ]
    )
    assert "niets ingelezen" in result.output
    rows = db.session.execute(
        sa.select(Programme.name, sa.func.count(MethodiekVersion.id))
        .join(MethodiekVersion, MethodiekVersion.programme_id == Programme.id)
        .group_by(Programme.name)
    ).all()
    assert dict(rows) == {"Mannengroep": 1, "Kindergroep": 1, default_programme(db.session).name: 1}
    result = runner.invoke(args=["import-methodiek", "--programme", "Bestaat niet"])
    assert result.exit_code == 1 and "Er is geen programma 'Bestaat niet'" in result.output
    result = runner.invoke(
        args=["import-methodiek", str(PROGRAMME_DIRS["men"]), "--programme", "Kindergroep"]
    )
    assert result.exit_code == 1 and "10 bijeenkomsten van 120 minuten" in result.output


def test_a_group_pins_its_programme_book_and_its_questions(make_group, men, app_ctx):
    women_version = publish_content(db.session)
    men_version = service.import_content(
        db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men
    )
    db.session.commit()
    women = make_group()
    assert women.methodiek_version_id == women_version.id
    group = make_group(programme=men, start=time(19, 0))
    assert group.methodiek_version_id == men_version.id
    assert {gs.methodiek_version_id for gs in group.sessions} == {men_version.id}
    ids = [q["id"] for q in group.methodiek_version.question_set("sessie").questions]
    assert "eigen_gedrag" in ids
    women_ids = [q["id"] for q in women.methodiek_version.question_set("sessie").questions]
    assert women_ids == ["prettig", "opmerking"]


def test_editors_start_a_draft_of_the_book_of_their_programme(client, make_user, men):
    publish_content(db.session)
    service.import_content(db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men)
    db.session.commit()
    editor = make_user("editor")
    editor.programmes = [men]
    db.session.commit()
    login(client, editor)
    page = client.get("/methodiek").get_data(as_text=True)
    assert "Sterk thuis (mannengroep)" in page and "Een veilig thuis" not in page
    women = default_programme(db.session)
    response = client.post("/methodiek/concept", data={"programme_id": women.id})
    assert response.status_code == 404
    response = client.post("/methodiek/concept", data={"programme_id": men.id})
    assert response.status_code == 302
    draft = db.session.scalars(
        sa.select(MethodiekVersion).where(MethodiekVersion.status == "draft")
    ).one()
    assert draft.programme_id == men.id


def test_the_session_page_names_the_women_session_on_the_same_theme(client, make_user, men):
    book = service.import_content(db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men)
    db.session.commit()
    editor = make_user("editor")
    editor.programmes = [men]
    db.session.commit()
    login(client, editor)
    page = client.get(f"/methodiek/{book.id}/sessies/6").get_data(as_text=True)
    assert "Zelfde thema als bijeenkomst 7 van de vrouwengroep" in page


def test_a_group_moves_only_to_a_newer_version_of_its_own_book(make_group, men, make_user):
    from datetime import UTC, datetime

    from veiligthuis.methodiek.meetings import move_group_to_version, version_notice

    men_book = service.import_content(
        db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men
    )
    db.session.commit()
    group = make_group(programme=men, start=time(19, 0))
    assert group.methodiek_version_id == men_book.id
    # the women's book gets a newer edition: the men's group is not offered it
    women_new = publish_content(db.session, "2027.1")
    before = datetime(2026, 8, 1, tzinfo=UTC)
    assert version_notice(db.session, group, before) is None
    with pytest.raises(DomainError, match="hoort bij een ander programma"):
        move_group_to_version(db.session, make_user("facilitator"), group, women_new, before)
