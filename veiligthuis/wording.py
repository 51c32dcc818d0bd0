"""Neutral wording: what a participant may see or receive must not give her away; and the few
phrases every staff page writes the same way (plurals, dates).

One check serves every text a participant (or whoever reads her phone) can see: public titles,
the neutral sender, certificates, calendars, mails and the method's participant texts. It reads
Dutch, English, Turkish and Arabic and catches compounds ("Partnergeweld", "Veiligthuis-groep"):
the text is case-folded, stripped of accents and vowel marks, and the words of a Latin-script
text are read as one run of letters, so hyphens, spaces, zero-width characters and digits used as
letters ("g3weld") do not hide a word. Arabic words are read one by one: short Arabic words
("مع نفسك") would otherwise spell a sensitive word across a space.
"""

import re
import unicodedata
from datetime import date

from babel.dates import format_date

#: normalised spelling -> the word reported; each is refused wherever it occurs in the text
SENSITIVE_WORDS = {
    # Dutch
    "geweld": "geweld",
    "huiselijk": "huiselijk",
    "veiligthuis": "veilig thuis",
    "maatschappelijkwerk": "maatschappelijk werk",
    "mishandeling": "mishandeling",
    "mishandeld": "mishandeld",
    "mishandel": "mishandel",
    "misbruik": "misbruik",
    "slachtoffer": "slachtoffer",
    "blijfvanmijnlijf": "blijf-van-mijn-lijf",
    "vrouwenopvang": "vrouwenopvang",
    "eergerelateerd": "eergerelateerd",
    "verkrachting": "verkrachting",
    # English
    "violence": "violence",
    "violent": "violent",
    "abusive": "abusive",
    "abuse": "abuse",
    "domestic": "domestic",
    "victim": "victim",
    "shelter": "shelter",
    "battered": "battered",
    # Turkish
    "siddet": "şiddet",
    "istismar": "istismar",
    "siginmaevi": "sığınma evi",
    "siginak": "sığınak",
    "magdur": "mağdur",
    # Arabic (alef forms, ta marbuta and alef maqsura normalised, see _normalise)
    "عنف": "عنف",
    "عنيف": "عنيف",
    "اساءه": "إساءة",
    "ضحيه": "ضحية",
    "ضحايا": "ضحايا",
    "ملجا": "ملجأ",
    "ملاجي": "ملاجئ",
    "اعتداء": "اعتداء",
}

#: short acronyms, refused only as a word of their own ("Amsterdam" is fine, "AMW-groep" not)
SENSITIVE_ACRONYMS = {"amw": "amw"}

#: ordinary words that contain a sensitive spelling; a whole word like this is read as neutral
_ORDINARY = re.compile(
    r"\w*geweldig\w*"  # geweldig, geweldige: great
    r"|\w*عنفوان\w*"  # vigour
    r"|\w*اضحيه\w*"  # the Eid sacrifice
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0640"))
_LETTERS = str.maketrans({"ı": "i", "ة": "ه", "ى": "ي"})
_DIGITS = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
#: digits used as letters ("g3weld"); "1" is read once as i and once as l
_LEET = [str.maketrans(_DIGITS | {"1": one}) for one in "il"]
_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"\w+")
_SEARCH = re.compile(
    "|".join(re.escape(word) for word in sorted(SENSITIVE_WORDS, key=len, reverse=True))
)


def _normalise(text: str) -> str:
    """Case-folded, without accents, vowel marks, zero-width characters and tatweel."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_ZERO_WIDTH).translate(_LETTERS)


def _run(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The words of ``text`` as one run of letters, and where each word starts in it.

    Arabic words and ordinary words ("geweldig") stay apart, by a "|" that no word contains.
    """
    run = ""
    starts: list[tuple[int, str]] = []
    for word in _WORD.findall(text):
        if _ORDINARY.fullmatch(word):
            run += "|"
            continue
        if run and (_ARABIC.search(word) or _ARABIC.search(run[-1])):
            run += "|"
        starts.append((len(run), word))
        run += word
    return run, starts


def find_sensitive_words(text: str | None) -> list[str]:
    """The sensitive words in ``text`` (as SENSITIVE_WORDS reports them), in order of appearance."""
    found: dict[int, str] = {}
    normalised = _normalise(text or "")
    for leet in _LEET:
        run, starts = _run(normalised.translate(leet))
        for match in _SEARCH.finditer(run):
            found.setdefault(match.start(), SENSITIVE_WORDS[match.group(0)])
        for start, word in starts:
            if word in SENSITIVE_ACRONYMS:
                found.setdefault(start, SENSITIVE_ACRONYMS[word])
    return [found[position] for position in sorted(found)]


def plural(count: int, singular: str, many: str) -> str:
    """``count`` with the right Dutch noun: "1 wijziging", "3 wijzigingen"."""
    return f"{count} {singular if count == 1 else many}"


def day_nl(day: date) -> str:
    """A date as every staff page writes it: "maandag 27 april 2026"."""
    return format_date(day, "EEEE d MMMM y", locale="nl")
