"""The validator: one broken folder per kind of problem, each reported with file and line."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiligthuis.methodiek.files import dump_yaml
from veiligthuis.methodiek.loader import check_folder, read_folder


def messages(root) -> list[str]:
    return [str(p) for p in check_folder(root)]


def line_of(path, needle: str, after: str = "") -> int:
    """The 1-based number of the first line containing ``needle`` (after a line with ``after``)."""
    started = not after
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not started and after in line:
            started = True
        if started and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def test_the_valid_folder_has_no_problems(folder):
    content, problems = read_folder(folder)
    assert problems == []
    assert [s.number for s in content.sessions] == list(range(1, 13))
    assert content.sessions[2].total_minutes == 150


def test_minutes_not_adding_up_to_150(folder):
    path = folder / "sessies/03-thema-3.md"
    replace(path, "minutes: 40", "minutes: 30")
    assert messages(folder) == [
        f"sessies/03-thema-3.md:{line_of(path, 'activities:')}: de werkvormen duren samen 140 "
        "minuten; dat moet precies 150 zijn (10 minuten te weinig)"
    ]


def test_minutes_exceeding_150(folder):
    path = folder / "sessies/04-thema-4.md"
    replace(path, "minutes: 40", "minutes: 55")
    assert messages(folder) == [
        f"sessies/04-thema-4.md:{line_of(path, 'activities:')}: de werkvormen duren samen 165 "
        "minuten: 15 minuten langer dan de 150 minuten van een bijeenkomst"
    ]


def test_minutes_that_are_not_a_number(folder):
    path = folder / "sessies/02-thema-2.md"
    replace(path, "minutes: 35", "minutes: een half uur")
    found = messages(folder)
    line = line_of(path, "minutes: een half uur")
    assert (
        f"sessies/02-thema-2.md:{line}: werkvorm 2: minutes moet een geheel aantal minuten (> 0) zijn"
        in found
    )


@pytest.mark.parametrize("breaks", [0, 2])
def test_not_exactly_one_break(folder, breaks):
    path = folder / "sessies/05-thema-5.md"
    if breaks == 0:
        replace(path, "    kind: pauze\n", "")
    else:
        replace(
            path,
            "  - title: Tekenen\n    minutes: 40\n",
            "  - title: Tekenen\n    minutes: 40\n    kind: pauze\n",
        )
    assert messages(folder) == [
        f"sessies/05-thema-5.md:{line_of(path, 'activities:')}: een bijeenkomst heeft precies "
        f"één pauze (kind: pauze); hier {breaks}"
    ]


def test_missing_session_number(folder):
    (folder / "sessies/07-thema-7.md").unlink()
    (folder / "bijlagen/07-blad.md").unlink()
    assert messages(folder) == ["sessies/: bijeenkomst 7 ontbreekt"]


def test_duplicate_session_number(folder):
    source = (folder / "sessies/03-thema-3.md").read_text()
    (folder / "sessies/03-nog-een.md").write_text(source)
    path = folder / "sessies/03-thema-3.md"
    assert messages(folder) == [
        f"sessies/03-thema-3.md:{line_of(path, 'number:')}: bijeenkomst 3 staat ook in "
        "sessies/03-nog-een.md"
    ]


def test_number_must_match_the_file_name(folder):
    path = folder / "sessies/08-thema-8.md"
    replace(path, "number: 8", "number: 9")
    found = messages(folder)
    assert "sessies/08-thema-8.md:2: number is 9, maar de bestandsnaam begint met 08" in found


def test_handout_referenced_but_absent(folder):
    path = folder / "sessies/06-thema-6.md"
    replace(path, "  - 06-blad.md\n", "  - 06-blad.md\n  - 06-bestaat-niet.md\n")
    assert messages(folder) == [
        f"sessies/06-thema-6.md:{line_of(path, '06-bestaat-niet.md')}: bijlage "
        "bijlagen/06-bestaat-niet.md bestaat niet"
    ]


def test_handout_nobody_uses(folder):
    (folder / "bijlagen/99-los.md").write_text("# Los blad\n")
    assert messages(folder) == ["bijlagen/99-los.md: geen enkele bijeenkomst noemt deze bijlage"]


def test_question_without_all_four_languages(folder):
    path = folder / "evaluatie/sessie.yaml"
    replace(path, "      ar: Prettig (ar)\n", "")
    assert messages(folder) == [
        f"evaluatie/sessie.yaml:{line_of(path, 'text:', after='id: prettig')}: vraag prettig: "
        "vertaling ontbreekt in ar"
    ]


def test_scale_option_without_a_language(folder):
    path = folder / "evaluatie/afsluiting.yaml"
    replace(path, "      tr: Neutraal (tr)\n", "")
    assert messages(folder) == [
        f"evaluatie/afsluiting.yaml:{line_of(path, '- value: 2')}: schaal 'agree3', antwoord 2: "
        "vertaling ontbreekt in tr"
    ]


def test_unknown_scale(folder):
    path = folder / "evaluatie/afsluiting.yaml"
    replace(path, "scale: agree3", "scale: agree7")
    assert messages(folder) == [
        f"evaluatie/afsluiting.yaml:{line_of(path, 'scale: agree7')}: vraag prettig: onbekende "
        "schaal 'agree7' (bekend: agree3)",
        f"evaluatie/afsluiting.yaml:{line_of(path, 'agree3:')}: schaal 'agree3' wordt door geen "
        "vraag gebruikt",
    ]


def test_duplicate_question_id(folder):
    path = folder / "evaluatie/sessie.yaml"
    replace(path, "id: opmerking", "id: prettig")
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if "id: prettig" in text]
    first, second = lines
    assert messages(folder) == [
        f"evaluatie/sessie.yaml:{second}: id 'prettig' komt twee keer voor (ook op regel {first})"
    ]


def test_bad_yaml_in_front_matter(folder):
    path = folder / "sessies/09-thema-9.md"
    replace(path, "title: Thema 9", "title: [Thema 9")
    found = messages(folder)
    assert len(found) == 1
    assert found[0].startswith("sessies/09-thema-9.md:")
    assert "ongeldige YAML" in found[0]
    line = int(found[0].split(":")[1])
    assert line_of(path, "title: [Thema 9") <= line <= line_of(path, "title: [Thema 9") + 2


def test_bad_yaml_in_a_question_set(folder):
    path = folder / "evaluatie/voor-na.yaml"
    replace(path, "set: voor-na", "set: voor-na\n  bad: indent")
    found = messages(folder)
    assert found == [f"evaluatie/voor-na.yaml:2: ongeldige YAML: {found[0].split('YAML: ')[1]}"]


def test_duplicate_yaml_key(folder):
    path = folder / "sessies/10-thema-10.md"
    replace(path, "theme: Waar", "theme: Dubbel\ntheme: Waar")
    assert messages(folder) == [
        f"sessies/10-thema-10.md:{line_of(path, 'theme: Waar')}: sleutel 'theme' staat er twee keer"
    ]


def test_unknown_field_is_a_typo(folder):
    path = folder / "sessies/11-thema-11.md"
    replace(path, "materials:", "materialen: []\nmaterials:")
    assert messages(folder) == [
        f"sessies/11-thema-11.md:{line_of(path, 'materialen:')}: onbekend veld 'materialen'"
    ]


def test_sensitive_words_in_a_participant_question(folder):
    path = folder / "evaluatie/sessie.yaml"
    replace(path, "nl: Prettig (nl)", "nl: Ging het over huiselijk geweld?")
    assert messages(folder) == [
        f"evaluatie/sessie.yaml:{line_of(path, 'huiselijk geweld')}: woorden die een deelnemer "
        "kunnen verraden: 'huiselijk', 'geweld' (deelnemers zien deze vragen op hun telefoon)"
    ]


def test_sensitive_words_in_a_handout_and_the_folder(folder):
    (folder / "bijlagen/02-blad.md").write_text("# Blad\n\nNiet erg.\nOver mishandeling.\n")
    (folder / "werving/folder.md").write_text("# Vrouwengroep\n\nVan het AMW.\n")
    assert messages(folder) == [
        "bijlagen/02-blad.md:4: woorden die een deelnemer kunnen verraden: 'mishandeling' "
        "(deelnemers krijgen dit te zien; kies neutrale woorden)",
        "werving/folder.md:3: woorden die een deelnemer kunnen verraden: 'amw' "
        "(deelnemers krijgen dit te zien; kies neutrale woorden)",
    ]


def test_facilitator_text_may_name_the_theme(folder):
    path = folder / "sessies/02-thema-2.md"
    replace(path, "Tekst voor begeleiders", "Over geweld en macht: tekst voor begeleiders")
    assert messages(folder) == []


def test_pearlin_items_keep_their_scoring(folder):
    path = folder / "evaluatie/voor-na.yaml"
    text = path.read_text()
    start = text.index("id: pm4")
    path.write_text(text[:start] + text[start:].replace("reverse: false", "reverse: true", 1))
    line = line_of(path, "reverse: true", after="id: pm4")
    assert messages(folder) == [
        f"evaluatie/voor-na.yaml:{line}: vraag pm4: reverse moet false zijn (zo telt de "
        "Pearlin-schaal)"
    ]


def test_every_problem_is_reported_not_only_the_first(folder):
    replace(folder / "sessies/01-thema-1.md", "minutes: 40", "minutes: 41")
    replace(folder / "sessies/12-thema-12.md", "  - 12-blad.md\n", "  - 12-weg.md\n")
    (folder / "bijlagen/12-blad.md").unlink()
    replace(folder / "evaluatie/sessie.yaml", "      en: Opmerking (en)\n", "")
    (folder / "methodiek.yaml").write_text("title: Een veilig thuis\nversion: [\n")
    found = messages(folder)
    files = [message.split(":")[0] for message in found]
    assert files == [
        "methodiek.yaml",
        "sessies/01-thema-1.md",
        "sessies/12-thema-12.md",
        "evaluatie/sessie.yaml",
    ]


def test_missing_folder_and_files(tmp_path):
    assert messages(tmp_path / "nergens") == [f"{tmp_path / 'nergens'}: map bestaat niet"]
    empty = tmp_path / "leeg"
    empty.mkdir()
    found = messages(empty)
    assert "methodiek.yaml: bestand ontbreekt" in found
    assert "evaluatie/voor-na.yaml: vragenlijst ontbreekt" in found
    assert len([m for m in found if "ontbreekt" in m and m.startswith("sessies/")]) == 12


# --- the writer ----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029\ufeff"
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "description", "nl", "ar", "yes", "on", "1", "a b"]),
        st.one_of(_TEXT, st.integers(), st.booleans(), st.lists(_TEXT, max_size=3)),
        max_size=6,
    )
)
def test_the_yaml_writer_reads_back_to_the_same_data(data):
    import yaml

    text = dump_yaml(data)
    assert yaml.safe_load(text) == data
    assert dump_yaml(yaml.safe_load(text)) == text


def test_compounds_in_any_language_in_a_participant_text(folder):
    # the loader reads with the one check in veiligthuis.wording: compounds, Turkish, Arabic
    (folder / "bijlagen/02-blad.md").write_text(
        "# Blad\n\nOver vrouwenmishandeling.\nKadın sığınma evi.\nالعنف الأسري\nGeweldig!\n"
    )
    assert messages(folder) == [
        f"bijlagen/02-blad.md:{line}: woorden die een deelnemer kunnen verraden: '{word}' "
        "(deelnemers krijgen dit te zien; kies neutrale woorden)"
        for line, word in ((3, "mishandeling"), (4, "sığınma evi"), (5, "عنف"))
    ]
