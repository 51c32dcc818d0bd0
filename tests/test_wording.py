"""The one neutral-wording check, tried with the words a title, a mail or a handout could hide."""

from datetime import date, time

import pytest

from veiligthuis.extensions import db
from veiligthuis.groups.service import GroupData, check_group_data
from veiligthuis.models import DomainError
from veiligthuis.wording import find_sensitive_words

#: words, compounds and spellings that tell an abuser what the group is about (nl, en, tr, ar)
REFUSED = [
    # Dutch
    "Geweld",
    "Partnergeweld groep",
    "Relatiegeweld",
    "Huiselijk geweld",
    "Eergerelateerd geweld",
    "Geweldloos communiceren",
    "Vrouwenmishandeling",
    "Mishandeld",
    "Kindermisbruik",
    "Slachtofferhulp",
    "Veilig Thuis",
    "Veiligthuis-groep",
    "veilig-thuis",
    "Groep van het AMW",
    "AMW-groep",
    "Maatschappelijk werk Noord",
    "maatschappelijkwerk",
    "Blijf-van-mijn-lijfhuis",
    "Blijf van mijn lijf",
    "Vrouwenopvang",
    "Ge\u200bweld",  # a zero-width space in the middle
    "Ge\u00adweld",  # a soft hyphen
    "G E W E L D",
    "g3w3ld",
    "GEWÉLD",
    # English
    "Domestic violence group",
    "Violent partner",
    "Abuse survivors",
    "Abused women",
    "Abusive relationship",
    "Victim support",
    "Women's shelter",
    # Turkish
    "Şiddet",
    "Aile içi şiddet",
    "ŞİDDET GÖREN KADINLAR",
    "Kadına şiddet",
    "İstismar",
    "Kadın sığınma evi",
    "Kadin siginma evi",
    "Mağdur kadınlar",
    # Arabic
    "عنف",
    "العنف الأسري",
    "العنـــف",  # tatweel stretching the word
    "العُنف",  # with a vowel mark
    "إساءة",
    "ضحية",
    "ضحايا",
    "ملجأ",
]

#: ordinary words, several containing a risky string, that a neutral text may well use
ALLOWED = [
    "Geweldig",
    "Een geweldige groep",
    "Geweldiger dan ooit",
    "Amsterdam",  # 'amw' is only refused as a word of its own
    "Samwise",
    "Kinderopvang",  # childcare, not a shelter
    "Veilig fietsen",
    "Thuis op dinsdag",
    "Werk en inkomen",
    "Maatschappij en werk",
    "Vrouwengroep Linde",
    "Ontmoetingsgroep",
    "Sterk in je schoenen",
    "Dinsdagochtend 9.30 uur",
    "Wijkcentrum De Linde",
    "Misverstand",
    "Handelingen",
    "Tuesday coffee morning",
    "Spring into balance",
    "Kahve sabahı",  # Turkish: coffee morning
    "Güçlü kadınlar",  # Turkish: strong women
    "Sohbet grubu",
    "لقاء الثلاثاء",  # Arabic: the Tuesday meeting
    "مع نفسك",  # Arabic: with yourself (the letters of عنف across two words)
    "عن فترة",  # Arabic: about a period (same)
    "عنفوان",  # Arabic: vigour
    "",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text):
    assert find_sensitive_words(text), text


@pytest.mark.parametrize("text", ALLOWED)
def test_allowed(text):
    assert find_sensitive_words(text) == [], text


def test_enough_cases_in_four_languages():
    assert len(REFUSED) >= 40


def test_reports_each_word_in_order():
    assert find_sensitive_words("Over huiselijk geweld en het AMW") == [
        "huiselijk",
        "geweld",
        "amw",
    ]


def test_reports_the_word_found_in_a_compound():
    assert find_sensitive_words("Vrouwenmishandeling") == ["mishandeling"]
    assert find_sensitive_words("Veiligthuis-groep") == ["veilig thuis"]


def test_none_is_no_text():
    assert find_sensitive_words(None) == []


@pytest.mark.parametrize(
    "title",
    [
        "Partnergeweld groep",
        "Relatiegeweld",
        "Vrouwenmishandeling",
        "Kindermisbruik",
        "Veiligthuis-groep",
    ],
)
def test_a_group_title_that_gives_her_away_is_refused(app_ctx, make_location, make_user, title):
    # These titles were accepted and reached her calendar as SUMMARY and X-WR-CALNAME.
    location = make_location()
    a, b = make_user("facilitator"), make_user("facilitator")
    data = GroupData(
        name="Dinsdaggroep",
        public_title=title,
        location_id=location.id,
        room_id=location.rooms[0].id,
        weekday=0,
        start_time=time(10, 0),
        first_date=date(2026, 9, 7),
        facilitator_a_id=a.id,
        facilitator_b_id=b.id,
    )
    with pytest.raises(DomainError) as refused:
        check_group_data(db.session, data)
    assert refused.value.field == "public_title"
