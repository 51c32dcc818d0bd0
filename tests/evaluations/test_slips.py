"""Code slips: every QR code on the sheet is a sharp bitmap that a scanner reads as its slip's
address, ten slips to a page, and no code appears twice or goes missing."""

import io
import re

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from veiligthuis.evaluations import service
from veiligthuis.evaluations.documents import SLIPS_PER_PAGE, code_url, slips_pdf

BASE = "https://planning.example.org"


def _codes(n: int) -> list[str]:
    return [service.generate_code() for _ in range(n)]


def _images(reader: PdfReader) -> dict[str, object]:
    """Every image XObject of the document by name (WeasyPrint shares one resource dict)."""
    found = {}
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for name in xobjects:
            found[name] = xobjects[name].get_object()
    return found


def _decode(image: Image.Image) -> list[str]:
    # one pixel per module: enlarge without smoothing, as the print stylesheet does
    large = image.convert("L").resize((image.width * 8, image.height * 8), Image.NEAREST)
    return [barcode.text for barcode in zxingcpp.read_barcodes(large)]


def test_every_qr_code_on_the_slips_scans_as_its_own_address(app):
    codes = _codes(13)
    with app.test_request_context():
        pdf = slips_pdf("Vrouwengroep", codes, BASE)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    images = _images(reader)
    # bitmaps drawn without smoothing, so the modules print as squares, not blurred dots
    assert images and all(xobject["/Subtype"] == "/Image" for xobject in images.values())
    assert all(xobject.get("/Interpolate") == BooleanObject(False) for xobject in images.values())
    decoded = []
    for page in reader.pages:
        for image in page.images:
            decoded += _decode(image.image)
    assert sorted(set(decoded)) == sorted(code_url(BASE, code) for code in codes)


def test_ten_slips_to_a_page_each_with_its_code_under_its_qr_code(app):
    codes = _codes(SLIPS_PER_PAGE + 3)
    with app.test_request_context():
        reader = PdfReader(io.BytesIO(slips_pdf("Vrouwengroep", codes, BASE)))
    drawn = [
        len(re.findall(rb"/\S+ Do\b", page.get_contents().get_data())) for page in reader.pages
    ]
    assert drawn == [SLIPS_PER_PAGE, 3]
    texts = [page.extract_text() for page in reader.pages]
    for index, code in enumerate(codes):
        assert service.format_code(code) in texts[index // SLIPS_PER_PAGE]
