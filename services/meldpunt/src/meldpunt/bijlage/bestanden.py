"""What an attachment is (sniffed from its content, never from its name) and its cleaning:
images re-encoded by Pillow (EXIF, GPS and every other metadata chunk gone), PDF document
information and XMP metadata removed by pikepdf. Anything else is refused (415)."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError

from integriteit_shared.http.problems import BadRequest, UnsupportedMediaType

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEKST = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

_ODT_MIMETYPE = ODT.encode()
# pixels an image may have: a small file may decode to a huge one (a "decompression bomb")
MAX_PIXELS = 40_000_000
_TEKST_CONTROLE = set(range(32)) - {9, 10, 12, 13}


def _zip_soort(inhoud: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
            namen = z.namelist()
            if namen[:1] == ["mimetype"] and z.read("mimetype").strip() == _ODT_MIMETYPE:
                return ODT
            if "[Content_Types].xml" in namen and "word/document.xml" in namen:
                return DOCX
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    return None


def _is_tekst(inhoud: bytes) -> bool:
    try:
        tekst = inhoud.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) in _TEKST_CONTROLE for c in tekst)


def soort(inhoud: bytes) -> str:
    """The media type of the content; 415 when it is none of the accepted ones."""
    if not inhoud:
        raise BadRequest(
            "Het bestand is leeg.", invalid_params=[{"name": "bestand", "reason": "Leeg."}]
        )
    if inhoud.startswith(b"%PDF-"):
        return PDF
    if inhoud.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if inhoud.startswith(b"\xff\xd8\xff"):
        return JPEG
    if inhoud.startswith(b"PK\x03\x04"):
        gevonden = _zip_soort(inhoud)
        if gevonden is not None:
            return gevonden
    elif _is_tekst(inhoud):
        return TEKST
    raise UnsupportedMediaType(
        "Alleen PDF, PNG, JPEG, platte tekst, DOCX en ODT worden aangenomen."
    )


def _afbeelding(inhoud: bytes, formaat: str) -> bytes:
    """Decoded and encoded anew from its pixels only: no EXIF, GPS, text chunks or ICC."""
    try:
        with Image.open(io.BytesIO(inhoud)) as bron:
            if bron.width * bron.height > MAX_PIXELS:
                raise UnsupportedMediaType(f"Een afbeelding heeft hoogstens {MAX_PIXELS} pixels.")
            bron.load()
            beeld = ImageOps.exif_transpose(bron)  # shown as before, without the tag
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise UnsupportedMediaType("De afbeelding is onleesbaar.") from None
    if beeld.mode not in ("1", "L", "LA", "RGB", "RGBA", "CMYK", "I;16"):
        beeld = beeld.convert("RGBA")
    # a new image holding the pixels only: nothing of the original's info travels along
    schoon = Image.new(beeld.mode, beeld.size)
    schoon.paste(beeld)
    if formaat == "JPEG" and schoon.mode not in ("RGB", "L", "CMYK"):
        schoon = schoon.convert("RGB")
    uit = io.BytesIO()
    schoon.save(uit, format=formaat, **({"quality": 90} if formaat == "JPEG" else {}))
    return uit.getvalue()


def _pdf(inhoud: bytes) -> bytes:
    """The PDF without its document information dictionary and XMP metadata."""
    try:
        with pikepdf.open(io.BytesIO(inhoud)) as pdf:
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            uit = io.BytesIO()
            pdf.save(uit)
            return uit.getvalue()
    except pikepdf.PdfError:
        raise UnsupportedMediaType("De PDF is onleesbaar.") from None


def opschonen(inhoud: bytes, media_type: str) -> bytes:
    """What is stored of an upload of `media_type`."""
    if media_type == PNG:
        return _afbeelding(inhoud, "PNG")
    if media_type == JPEG:
        return _afbeelding(inhoud, "JPEG")
    if media_type == PDF:
        return _pdf(inhoud)
    return inhoud
