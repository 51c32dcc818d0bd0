"""A small, valid methodiek built in code, to import or to write out and break."""

from copy import deepcopy

from veiligthuis.methodiek.content import PEARLIN_ITEMS, Content, SessionContent
from veiligthuis.methodiek.models import LANGUAGES
from veiligthuis.methodiek.service import import_content

ACTIVITIES = [
    {"title": "Welkom", "minutes": 15, "description": "Thee en een rondje."},
    {"title": "Kringgesprek", "minutes": 35, "description": "Iedere vrouw vertelt iets."},
    {"title": "Pauze", "minutes": 15, "kind": "pauze", "description": "Thee."},
    {"title": "Oefening met kaarten", "minutes": 30, "description": "Kaarten op tafel."},
    {"title": "Tekenen", "minutes": 40, "description": "Een tekening van thuis."},
    {"title": "Afsluiting", "minutes": 15, "description": "Iedere vrouw zegt één woord."},
]


def texts(word: str) -> dict[str, str]:
    """The same short text in the four languages."""
    return {lang: f"{word} ({lang})" for lang in LANGUAGES}


def question_set(kind: str) -> dict:
    """A minimal valid question set of ``kind``."""
    data = {
        "set": kind,
        "title": texts("Titel"),
        "intro": texts("Uitleg"),
        "scales": {
            "agree3": [
                {"value": 1, "face": ":(", **texts("Oneens")},
                {"value": 2, "face": ":|", **texts("Neutraal")},
                {"value": 3, "face": ":)", **texts("Eens")},
            ]
        },
        "questions": [
            {"id": "prettig", "type": "scale", "scale": "agree3", "text": texts("Prettig")},
            {"id": "opmerking", "type": "text", "text": texts("Opmerking")},
        ],
    }
    if kind == "voor-na":
        data = {
            "set": kind,
            "title": data["title"],
            "intro": data["intro"],
            "source": "Pearlin, L. I., & Schooler, C. (1978). The structure of coping.",
            "scales": data["scales"],
            "questions": [
                {
                    "id": item,
                    "type": "scale",
                    "scale": "agree3",
                    "reverse": reverse,
                    "group": "pearlin",
                    "text": texts(f"Vraag {item}"),
                }
                for item, reverse in PEARLIN_ITEMS.items()
            ]
            + [
                {
                    "id": "eigen1",
                    "type": "scale",
                    "scale": "agree3",
                    "group": "eigen",
                    "text": texts("Ik weet wat ik kan doen"),
                }
            ],
        }
    return data


def make_content(label: str = "2026.1") -> Content:
    """Twelve sessions of 150 minutes with one break each, a handout each, three sets."""
    sessions = []
    handouts = {}
    for number in range(1, 13):
        handout = f"{number:02d}-blad.md"
        handouts[handout] = (
            f"# Blad {number}\n\nIets om thuis te lezen over bijeenkomst {number}.\n"
        )
        sessions.append(
            SessionContent(
                number=number,
                slug=f"thema-{number}",
                title=f"Thema {number}",
                theme=f"Waar bijeenkomst {number} over gaat",
                goals=[f"Doel {number}a", f"Doel {number}b"],
                activities=deepcopy(ACTIVITIES),
                materials=["flip-over", f"kaartjes set {number}"],
                handouts=[handout],
                home_practice=f"Oefening {number} voor thuis.",
                culture_notes=f"Cultuur {number}.",
                low_literacy_notes=f"Plaatjes {number}.",
                body=f"## Achtergrond\n\nTekst voor begeleiders bij bijeenkomst {number}.\n",
            )
        )
    return Content(
        meta={"title": "Een veilig thuis", "version": label, "description": "Testversie."},
        sessions=sessions,
        handouts=handouts,
        question_sets={kind: question_set(kind) for kind in ("afsluiting", "sessie", "voor-na")},
        documents={
            "werving/folder.md": "# Vrouwengroep\n\nEen groep voor vrouwen.\n",
            "werving/verwijzers.yaml": (
                "referrers:\n  - kind: huisarts\n    label: Huisarts\n    why: Ziet veel vrouwen.\n"
            ),
        },
    )


def publish_content(db_session, label: str = "2026.1", content: Content | None = None):
    """Import a small valid methodiek as a published version (committed)."""
    version = import_content(db_session, content or make_content(label))
    db_session.commit()
    return version
