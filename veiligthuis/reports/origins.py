"""Country of birth, typed freely at intake, counted as world regions.

The regions follow the groups Statistics Netherlands uses for origin, so a municipality can
set them beside its own figures. A country is never shown by name: a single woman from a small
country would be recognisable.
"""

import unicodedata

ORIGIN_REGIONS = {
    "nl": "Nederland",
    "tr": "Turkije",
    "ma": "Marokko",
    "sr": "Suriname",
    "cw": "Nederlandse Cariben en Aruba",
    "eu": "Europa (overig)",
    "af": "Afrika (overig)",
    "as": "Azië en Midden-Oosten",
    "am": "Amerika en Oceanië",
    "other": "anders, niet in te delen",
}

_COUNTRIES = {
    "nl": "nederland, holland, netherlands, the netherlands",
    "tr": "turkije, turkey, turkiye",
    "ma": "marokko, morocco",
    "sr": "suriname",
    "cw": "curacao, aruba, bonaire, sint maarten, sint eustatius, saba, nederlandse antillen",
    "eu": (
        "belgie, duitsland, frankrijk, polen, roemenie, bulgarije, spanje, portugal, italie, "
        "griekenland, hongarije, tsjechie, slowakije, litouwen, letland, estland, kroatie, "
        "servie, bosnie, albanie, kosovo, noord-macedonie, macedonie, oekraine, rusland, "
        "belarus, moldavie, engeland, verenigd koninkrijk, ierland, zweden, noorwegen, "
        "denemarken, finland, oostenrijk, zwitserland, slovenie, montenegro, cyprus, malta, "
        "luxemburg, poland, germany, ukraine"
    ),
    "af": (
        "eritrea, ethiopie, somalie, soedan, zuid-soedan, egypte, libie, tunesie, algerije, "
        "nigeria, ghana, kenia, oeganda, congo, angola, kaapverdie, guinee, sierra leone, "
        "liberia, senegal, kameroen, zuid-afrika, rwanda, burundi, tanzania, mali, ivoorkust"
    ),
    "as": (
        "syrie, irak, iran, afghanistan, pakistan, india, china, indonesie, vietnam, thailand, "
        "filipijnen, jemen, libanon, jordanie, saoedi-arabie, koeweit, armenie, azerbeidzjan, "
        "georgie, bangladesh, sri lanka, nepal, japan, zuid-korea, israel, palestina, "
        "kazachstan, oezbekistan, syria, iraq"
    ),
    "am": (
        "verenigde staten, amerika, canada, brazilie, colombia, venezuela, "
        "dominicaanse republiek, mexico, peru, chili, argentinie, cuba, jamaica, haiti, guyana, "
        "ecuador, bolivia, australie, nieuw-zeeland"
    ),
}

_LOOKUP = {
    name.strip(): region for region, names in _COUNTRIES.items() for name in names.split(",")
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.lower().split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def origin_region(country: str) -> str:
    """The key of ORIGIN_REGIONS for a country of birth as typed (Dutch or English name)."""
    return _LOOKUP.get(_plain(country), "other")
