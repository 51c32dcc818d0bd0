"""Evaluation rules without HTTP: codes, rounds, answering once, scoring, thresholds, exports."""

import csv
import io
import math
import random
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.evaluations.conftest import SECRET, pearlin_values
from tests.pdfcheck import assert_only_shipped_fonts
from veiligthuis.evaluations import documents, service
from veiligthuis.evaluations.models import Answer, EvaluationCode, EvaluationRound
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.sessions.models import Attendance
from veiligthuis.settings import set_setting
from veiligthuis.wording import find_sensitive_words

# --- codes -------------------------------------------------------------------------------------


def test_codes_have_fifty_bits_and_no_look_alikes():
    assert len(service.CODE_ALPHABET) ** service.CODE_LENGTH >= 2**50
    assert not set("OIL") & set(service.CODE_ALPHABET)
    codes = {service.generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == 10 and set(code) <= set(service.CODE_ALPHABET)
        assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", service.format_code(code))


@pytest.mark.parametrize(
    "typed", ["abcde23456", "ABCDE-23456", " abcde 23456 ", "AbCdE–23456", "abc-de2-3456"]
)
def test_typed_codes_are_normalised(typed):
    assert service.normalise_code(typed) == "ABCDE23456"


@pytest.mark.parametrize(
    "typed", ["", None, "ABCDE2345", "ABCDE234567", "ABCDE/2345", "ABCDE2345*"]
)
def test_what_cannot_be_a_code_is_none(typed):
    assert service.normalise_code(typed) is None


def test_look_alikes_are_read_as_what_she_meant():
    assert service.normalise_code("abcde-2345o") == "ABCDE23450"
    assert service.normalise_code("ABCDE-23I5L") == "ABCDE23151"
    assert service.normalise_code("UUUUU-23456") == "UUUUU23456"  # slips printed before


# --- rounds ------------------------------------------------------------------------------------


def _all_text_in_database() -> str:
    parts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_open_round_keeps_only_hashes_of_its_codes(eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=9)
    assert len(codes) == len(set(codes)) == 9
    stored = db.session.scalars(
        sa.select(EvaluationCode.code_hash).where(EvaluationCode.round_id == round_.id)
    ).all()
    assert sorted(stored) == sorted(service.hash_code(SECRET, c) for c in codes)
    everything = _all_text_in_database()
    for code in codes:
        assert code not in everything and service.format_code(code) not in everything


def test_round_closes_after_the_set_number_of_days(eval_group, open_round):
    group = eval_group()
    set_setting(db.session, "evaluation_days", 3)
    db.session.commit()
    today = service.today_local()
    round_, codes = open_round(group, "voor", today=today)
    assert round_.closes_date == today + timedelta(days=2)
    assert service.find_round(db.session, codes[0], SECRET, today + timedelta(days=2)) is not None
    assert service.find_round(db.session, codes[0], SECRET, today + timedelta(days=3)) is None


@pytest.mark.parametrize("count", [0, 31, None])
def test_number_of_codes_is_one_to_thirty(eval_group, open_round, count):
    group = eval_group()
    with pytest.raises(DomainError, match="1 tot 30"):
        open_round(group, "voor", count=count)


def test_a_second_open_round_for_the_same_meeting_is_refused(eval_group, open_round):
    group = eval_group()
    round_, _codes = open_round(group, "sessie", number=2)
    with pytest.raises(DomainError, match="al een ronde open"):
        open_round(group, "sessie", number=2)
    open_round(group, "sessie", number=3)  # another meeting is fine
    service.close_round(db.session, group.facilitator_a, round_)
    db.session.commit()
    open_round(group, "sessie", number=2)  # after closing, a new round may open


def test_round_needs_question_set_from_the_pinned_version(make_group, app_ctx):
    group = make_group(participants=6)  # no methodiek version at all
    with pytest.raises(DomainError, match="geen vragenlijst"):
        service.open_round(
            db.session,
            group.facilitator_a,
            group,
            "voor",
            group_session=None,
            count=6,
            secret=SECRET,
            today=service.today_local(),
        )


def test_default_number_of_codes_is_attendance_else_active_participants(eval_group):
    group = eval_group(participants=9)
    gs = group.sessions[0]
    assert service.default_code_count(db.session, group, gs) == 9
    for participant, status in zip(
        group.participants, ["present"] * 6 + ["absent", "excused", "present"], strict=True
    ):
        db.session.add(
            Attendance(group_session_id=gs.id, participant_id=participant.id, status=status)
        )
    db.session.commit()
    assert service.default_code_count(db.session, group, gs) == 7


def test_add_codes_can_void_unused_ones(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "voor", count=4)
    answer(round_, codes[0], pearlin_values())
    new = service.add_codes(
        db.session,
        group.facilitator_a,
        round_,
        2,
        secret=SECRET,
        today=service.today_local(),
        replace_unused=True,
    )
    db.session.commit()
    today = service.today_local()
    assert all(service.find_round(db.session, c, SECRET, today) is None for c in codes)
    assert all(service.find_round(db.session, c, SECRET, today) is not None for c in new)
    assert service.response_counts(db.session, [round_])[round_.id] == 1  # the used code stays
    assert service.codes_of_round(
        db.session, round_, [*new, codes[1], "XXXXX-XXXXX"], SECRET
    ) == sorted(new)


# --- answering ----------------------------------------------------------------------------------


def test_a_code_works_once(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    answer(round_, codes[0], {"veilig_in_groep": 4, "opmerking": "Goed"})
    with pytest.raises(service.CodeRejected):
        answer(round_, codes[0], {"veilig_in_groep": 1})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 2
    assert service.find_round(db.session, codes[0], SECRET, service.today_local()) is None


def test_expired_or_closed_round_refuses_its_codes(eval_group, open_round, answer):
    group = eval_group()
    today = service.today_local()
    round_, codes = open_round(group, "sessie", number=1, count=3, today=today - timedelta(days=10))
    assert service.find_round(db.session, codes[0], SECRET, today) is None
    with pytest.raises(service.CodeRejected):
        answer(round_, codes[0], {"veilig_in_groep": 4})
    db.session.rollback()
    other, other_codes = open_round(group, "sessie", number=2, count=3)
    service.close_round(db.session, group.facilitator_a, other)
    db.session.commit()
    with pytest.raises(service.CodeRejected):
        answer(other, other_codes[0], {"veilig_in_groep": 4})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
    assert service.close_expired_rounds(db.session, [round_], today) == 1
    assert round_.closed_dt is not None


def test_parse_answers_refuses_values_off_the_scale(methodiek_version):
    sessie = methodiek_version.question_set("sessie")
    values, errors = service.parse_answers(
        sessie,
        {
            "q-veilig_in_groep": "6",
            "q-kon_zeggen": "abc",
            "q-bruikbaar": "5",
            "q-gehoord": "",
            "q-opmerking": "x" * (service.MAX_TEXT_LENGTH + 1),
            "q-onbekend": "3",
        },
    )
    assert errors == {
        "veilig_in_groep": "error_choice",
        "kon_zeggen": "error_choice",
        "opmerking": "error_too_long",
    }
    assert values["bruikbaar"] == 5 and "gehoord" not in values and "onbekend" not in values


# --- Pearlin Mastery ----------------------------------------------------------------------------

# The items marked reverse in voor-na.yaml (pm1, pm2, pm3, pm5, pm7) count 5 - value.
PEARLIN_CASES = [
    # all "strongly disagree": five reversed items give 4, pm4 and pm6 give 1 -> 20 + 2
    ({f"pm{i}": 1 for i in range(1, 8)}, 22),
    # all "strongly agree": reversed 1 each (5), pm4 and pm6 4 each (8)
    ({f"pm{i}": 4 for i in range(1, 8)}, 13),
    # the most mastery possible
    ({"pm1": 1, "pm2": 1, "pm3": 1, "pm4": 4, "pm5": 1, "pm6": 4, "pm7": 1}, 28),
    # the least
    ({"pm1": 4, "pm2": 4, "pm3": 4, "pm4": 1, "pm5": 4, "pm6": 1, "pm7": 4}, 7),
    # mixed: 3 + 2 + 4 + 3 + 1 + 2 + 3
    ({"pm1": 2, "pm2": 3, "pm3": 1, "pm4": 3, "pm5": 4, "pm6": 2, "pm7": 2}, 18),
]


@pytest.mark.parametrize(("values", "expected"), PEARLIN_CASES)
def test_pearlin_mastery_score_reverse_codes_the_negative_items(
    methodiek_version, values, expected
):
    voor_na = methodiek_version.question_set("voor-na")
    reversed_items = {q["id"] for q in voor_na.questions if q.get("reverse")}
    assert reversed_items == {"pm1", "pm2", "pm3", "pm5", "pm7"}
    assert service.pearlin_score(voor_na, {**values, "eigen1": 4}) == expected


def test_pearlin_score_needs_all_seven_items(methodiek_version):
    voor_na = methodiek_version.question_set("voor-na")
    values = {f"pm{i}": 2 for i in range(1, 7)}
    assert service.pearlin_score(voor_na, values) is None


def test_pre_post_comparison_is_of_group_means(eval_group, open_round, answer):
    group = eval_group()
    pre, pre_codes = open_round(group, "voor", count=4)
    post, post_codes = open_round(group, "na", count=4)
    # totals 22, 13, 18 before; 28, 18, 22 after (cases above); one incomplete list after
    for code, (values, _score) in zip(
        pre_codes, [PEARLIN_CASES[0], PEARLIN_CASES[1], PEARLIN_CASES[4]], strict=False
    ):
        answer(pre, code, {**values, "eigen1": 2})
    for code, (values, _score) in zip(
        post_codes, [PEARLIN_CASES[2], PEARLIN_CASES[4], PEARLIN_CASES[0]], strict=False
    ):
        answer(post, code, {**values, "eigen1": 4})
    answer(post, post_codes[3], {"pm1": 1, "eigen1": 1})  # not complete: no mastery score
    results = service.group_results(db.session, group, service.today_local())
    mastery = results.mastery
    assert mastery.before.n == 3 and mastery.after.n == 3
    assert mastery.before.mean == pytest.approx(53 / 3)
    assert mastery.after.mean == pytest.approx(68 / 3)
    # sd of 22, 13, 18: squared deviations add up to 122/3; over n - 1 = 2 that is 61/3
    assert mastery.before.sd == pytest.approx(math.sqrt(61 / 3), rel=1e-6)
    assert mastery.change == pytest.approx(5.0)
    own = {c.id: c for c in results.own}
    assert set(own) == {f"eigen{i}" for i in range(1, 7)}
    assert own["eigen1"].before.mean == 2 and own["eigen1"].after.mean == pytest.approx(13 / 4)
    assert own["eigen1"].after.n == 4


# --- results --------------------------------------------------------------------------------------


def test_results_show_from_three_answers_paper_included(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=5)
    answer(round_, codes[0], {"veilig_in_groep": 5, "opmerking": "een"})
    answer(round_, codes[1], {"veilig_in_groep": 4, "opmerking": "twee"})
    result = service.round_result(db.session, round_)
    assert result.responses == 2 and not result.is_visible and result.questions == []
    service.enter_paper_answers(
        db.session, group.facilitator_a, round_, {"veilig_in_groep": 3}, today=service.today_local()
    )
    db.session.commit()
    result = service.round_result(db.session, round_)
    assert result.responses == 3 and result.is_visible
    first = result.questions[0]
    assert first.id == "veilig_in_groep" and first.n == 3 and first.mean == 4
    assert [o.count for o in first.options] == [0, 0, 1, 1, 1]
    assert not result.questions[1].is_visible  # kon_zeggen: nobody answered it
    paper = db.session.scalars(sa.select(Answer).where(Answer.is_staff_entered.is_(True))).all()
    assert [a.value_int for a in paper] == [3]


def test_open_answers_come_in_random_order(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=8)
    texts = [f"antwoord {i}" for i in range(8)]
    for code, text in zip(codes, texts, strict=True):
        answer(round_, code, {"opmerking": text})
    orders = set()
    for _ in range(12):
        shown = service.round_result(db.session, round_).text_questions[0].texts
        assert sorted(shown) == sorted(texts)
        orders.add(tuple(shown))
    assert len(orders) > 1


def test_trend_only_for_meetings_with_three_answers(eval_group, open_round, answer):
    group = eval_group()
    for number, scores in [(1, [3, 4, 5]), (2, [5, 5]), (3, [2, 4, 4, 2])]:
        round_, codes = open_round(group, "sessie", number=number, count=4)
        for code, score in zip(codes, scores, strict=False):
            answer(round_, code, {"veilig_in_groep": score, "kon_zeggen": score})
    results = service.group_results(db.session, group, service.today_local())
    assert [p.number for p in results.trend] == [1, 3]
    assert results.trend[0].means["veilig_in_groep"] == 4
    assert results.trend[1].means["kon_zeggen"] == 3
    assert results.trend[1].means.get("bruikbaar") is None
    assert documents.group_charts(results)["trend"].startswith("data:image/svg+xml;base64,")


# --- exports ------------------------------------------------------------------------------------


def test_csv_reads_back_without_ids_and_without_small_rounds(eval_group, open_round, answer, app):
    group = eval_group()
    small, small_codes = open_round(group, "sessie", number=1, count=3)
    answer(small, small_codes[0], {"veilig_in_groep": 1})
    shown, codes = open_round(group, "sessie", number=2, count=4)
    for code, score in zip(codes, [5, 3, 4, 3], strict=True):
        answer(shown, code, {"veilig_in_groep": score, "opmerking": f"tekst {score}"})
    results = service.group_results(db.session, group, service.today_local())
    data = documents.results_csv(results)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 8
    assert {r["bijeenkomst"] for r in rows} == {"2"}
    assert not any(name == "id" or name.endswith("_id") for name in rows[0])
    scale = [r for r in rows if r["vraag"] == "veilig_in_groep"]
    assert [r["antwoord"] for r in scale] == ["3", "3", "4", "5"]  # sorted, not as sent
    assert scale[0]["antwoordtekst"] == "Niet eens, niet oneens"
    answer_ids = db.session.scalars(sa.select(Answer.id)).all()
    assert not any(answer_id in data.decode() for answer_id in answer_ids)


def test_slips_pdf_reads_back_with_codes_and_neutral_title(eval_group, open_round, app_ctx):
    group = eval_group(name="Weerbaarheid Oost geweld")
    _round, codes = open_round(group, "voor", count=12)
    pdf = documents.slips_pdf(group.public_title, codes, "https://vragen.example.org")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in codes:
        assert service.format_code(code) in text
    assert text.count("Vrouwengroep") == 12
    assert "https://vragen.example.org/e" in text
    assert "Weerbaarheid" not in text and not find_sensitive_words(text)
    assert group.facilitator_a.name not in text
    assert_only_shipped_fonts(pdf)


def test_report_pdf_reads_back(eval_group, open_round, answer, app_ctx):
    group = eval_group(name="Groep De Linde")
    round_, codes = open_round(group, "sessie", number=1, count=4)
    for code, score in zip(codes, [4, 4, 5], strict=False):
        answer(round_, code, {"veilig_in_groep": score, "opmerking": "Ik voelde me welkom"})
    small, small_codes = open_round(group, "sessie", number=2, count=4)
    answer(small, small_codes[0], {"veilig_in_groep": 1, "opmerking": "geheim"})
    results = service.group_results(db.session, group, service.today_local())
    pdf = documents.report_pdf(db.session, group, results)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Evaluatieverslag" in text and "Groep De Linde" in text
    assert "4,3" in text  # mean of 4, 4, 5
    assert "Ik voelde me welkom" in text
    assert "Nog te weinig antwoorden" in text
    assert "geheim" not in text
    assert_only_shipped_fonts(pdf)


def test_charts_are_self_contained_svg_with_title_and_figures(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    for code in codes:
        answer(round_, code, {"veilig_in_groep": 4})
    charts = documents.round_charts(service.round_result(db.session, round_))
    assert len(charts) == 1
    import base64

    svg = base64.b64decode(charts[0]["uri"].split(",", 1)[1]).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg
    # every reference points inside the SVG: nothing is fetched from anywhere
    assert not re.findall(r'(?:href|src)="(?!#)', svg)
    # a title and a description with the figures, for screen readers
    assert re.search(r"<title>[^<]+</title>", svg)
    description = re.search(r"<desc>([^<]+)</desc>", svg).group(1)
    assert "op mijn gemak in de groep.: " in description
    assert "Mee eens 3" in description and "Mee oneens 0" in description


def test_charts_start_no_plotting_library():
    """A chart costs milliseconds: drawing one imports nothing heavy like matplotlib."""
    import subprocess
    import sys

    code = (
        "import sys; from veiligthuis.evaluations import charts; "
        "charts.trend_svg([1, 2], [('Vraag', [3.0, None])], (1, 5)); "
        "charts.prepost_svg([('Groep', 17.0, 21.0)], (7, 28)); "
        "charts.distribution_svg([('Vraag', [1, 2])], ['nee', 'ja']); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_chart_text_is_escaped_and_figures_readable():
    from veiligthuis.evaluations import charts

    svg = charts.prepost_svg([("<Groep & co>", 17.25, None)], (7, 28))
    assert "<Groep" not in svg and "&lt;Groep &amp; co&gt;" in svg
    assert ">17,2<" in svg  # the Dutch decimal comma on the bar (17.25 rounds half to even)
    assert "voor 17,2" in svg and "na " not in svg.split("<desc>")[1].split("</desc>")[0]


def test_rounds_relation_rows_stay_with_their_group(eval_group, open_round):
    group = eval_group()
    open_round(group, "voor")
    other = eval_group()
    assert service.group_rounds(db.session, other) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationRound)) == 1


def test_answer_ids_are_random_hex(eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=6)
    for code in codes:
        answer(round_, code, {"veilig_in_groep": random.randint(1, 5), "kon_zeggen": 3})
    ids = db.session.scalars(sa.select(Answer.id)).all()
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == len(ids) == 12


@pytest.mark.parametrize(
    "values",
    [[], [4], [3, 3, 3], [1, 5], [7, 28, 19, 22, 13, 18, 27, 8], list(range(1, 6)) * 40],
)
def test_mean_and_spread_agree_with_the_exact_figures(values):
    import statistics

    from veiligthuis.evaluations.results import Stat

    stat = Stat.of(values)
    assert stat.n == len(values)
    assert stat.mean == (pytest.approx(statistics.fmean(values), abs=1e-12) if values else None)
    if len(values) < 2:
        assert stat.sd is None
    else:
        assert stat.sd == pytest.approx(statistics.stdev(values), abs=1e-12)
