"""What a reader of a PDF checks about its fonts: only the shipped files, embedded.

The check reads the font program itself (its name table), not only the name the PDF gives it:
a system font that stood in would carry its own family name there.
"""

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader

#: the family names print-fonts.css gives the shipped files, as WeasyPrint writes them
SHIPPED_FAMILIES = {"VT-Sans": "Noto Sans", "VT-Arabic": "Noto Sans Arabic"}


def embedded_fonts(data: bytes) -> list[tuple[str, str]]:
    """(name in the PDF, family inside the embedded font program) for every font used."""
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            base = str(font["/BaseFont"]).split("+")[-1]
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{base} is not embedded"
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            fonts.append((base, program["name"].getDebugName(1)))
    return fonts


def assert_only_shipped_fonts(data: bytes) -> None:
    """Every font in the PDF is one of the app's own files, embedded; at least one is used."""
    fonts = embedded_fonts(data)
    assert fonts, "the PDF uses no font at all"
    for base, family in fonts:
        name = base.removesuffix("-Bold")
        assert name in SHIPPED_FAMILIES, f"{base} is not a shipped font"
        assert family == SHIPPED_FAMILIES[name], f"{base} is really {family}"
