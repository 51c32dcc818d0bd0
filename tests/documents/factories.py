"""A methodiek version with twelve session plans and handouts, made directly with the models
(the loader of the methodiek area is not needed for calendars and documents).

``realistic=True`` gives texts of the length of the real method book (about 7 kB per session,
1.5 kB per handout): the benchmark and one draaiboek test use it.
"""

from veiligthuis.methodiek.models import Handout, MethodiekVersion, SessionPlan
from veiligthuis.models import utcnow

TITLES = [
    "Kennismaking en groepsafspraken",
    "Wat is een gezonde relatie",
    "De golfbeweging",
    "Goed voorbereid",
    "Rollen en verwachtingen",
    "Mijn sterke kanten",
    "Grenzen aangeven",
    "Wat kinderen helpt",
    "Samen oneens",
    "Wie kan helpen",
    "Mijn keuzes",
    "Herstelrecept en afscheid",
]

ACTIVITIES = [
    ("Welkom en terugblik", 15, None),
    ("Rondje met fotokaarten", 35, None),
    ("Uitleg en oefening in tweetallen", 30, None),
    ("Pauze", 15, "pauze"),
    ("Creatieve opdracht", 30, None),
    ("Afsluiting en evaluatie", 25, None),
]

SENTENCE = (
    "De begeleiders nemen de tijd om iedere vrouw welkom te heten en vragen hoe het de "
    "afgelopen week ging; niemand hoeft iets te vertellen wat ze niet wil, en wie stil is "
    "mag stil blijven. "
)
TURKISH = "Türkçe: Güçlü yanlarım, şimdi ve burada; İyi ki geldin, ılık çay."
ARABIC = "العربية: مرحبا بكم في المجموعة"


def _plan(number: int, *, realistic: bool, handout_files: list[str]) -> SessionPlan:
    repeat = 2 if realistic else 1
    activities = [
        {
            "title": title,
            "minutes": minutes,
            "description": (SENTENCE * repeat).strip(),
            **({"kind": kind} if kind else {}),
        }
        for title, minutes, kind in ACTIVITIES
    ]
    body = "\n\n".join(f"## Achtergrond {i}\n\n{SENTENCE * 3}" for i in range(1, 6))
    return SessionPlan(
        number=number,
        slug=f"sessie-{number}",
        title=TITLES[number - 1],
        theme=f"Thema van bijeenkomst {number}",
        goals=[f"Doel {i}: {SENTENCE[:80].strip()}" for i in range(1, 5)],
        activities=activities,
        materials=[
            "flip-over en stiften",
            "fotokaarten",
            "thee, koffie en iets lekkers",
            f"werkblad {number}",
        ],
        handout_files=handout_files,
        home_practice=SENTENCE,
        culture_notes=SENTENCE * (3 if realistic else 1),
        low_literacy_notes=SENTENCE * repeat,
        body=body if realistic else "",
    )


def _handout(number: int, *, realistic: bool) -> Handout:
    lines = [f"# Werkblad {number}: {TITLES[number - 1]}", ""]
    lines += ["> 🔐 Neem dit blad alleen mee als dat voor jou veilig voelt.", ""]
    lines += [SENTENCE.strip(), ""]
    if number == 6:
        lines += [TURKISH, "", ARABIC, ""]
    for i in range(1, 9 if realistic else 3):
        lines.append(f"- **Punt {i}**: {SENTENCE.strip()[:90]}")
    lines += ["", "<script>alert('x')</script> blijft tekst."]
    return Handout(filename=f"{number:02d}-werkblad.md", body="\n".join(lines))


def build_methodiek_version(
    db_session, *, label: str = "2026.1", realistic: bool = False, titles: list[str] | None = None
) -> MethodiekVersion:
    """A published version with twelve plans; session 12 reuses the handout of session 1."""
    version = MethodiekVersion(
        label=label, title="Een veilig thuis", status="published", published_dt=utcnow()
    )
    version.handouts = [_handout(n, realistic=realistic) for n in range(1, 13)]
    version.sessions = [
        _plan(
            n,
            realistic=realistic,
            handout_files=[f"{n:02d}-werkblad.md"] + (["01-werkblad.md"] if n == 12 else []),
        )
        for n in range(1, 13)
    ]
    db_session.add(version)
    db_session.flush()
    if titles:
        for plan, title in zip(version.sessions, titles, strict=False):
            plan.title = title
    return version


def pin_version(group, version) -> None:
    """Let ``group`` and all its meetings follow ``version``."""
    group.methodiek_version_id = version.id
    for gs in group.sessions:
        gs.methodiek_version_id = version.id
