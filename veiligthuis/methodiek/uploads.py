"""Uploaded session files: what a file really is (by its bytes, never its name), and where it
is kept (by content hash, outside static/, so nothing uploaded is ever served as a page)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from werkzeug.utils import secure_filename


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of attachment."""

    extension: str
    content_type: str
    label: str


KINDS = {
    "pdf": FileKind("pdf", "application/pdf", "PDF"),
    "docx": FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word-document",
    ),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument-tekst"),
    "pptx": FileKind(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint-presentatie",
    ),
    "png": FileKind("png", "image/png", "PNG-afbeelding"),
    "jpg": FileKind("jpg", "image/jpeg", "JPEG-foto"),
    "mp3": FileKind("mp3", "audio/mpeg", "MP3-geluid"),
    "mp4": FileKind("mp4", "video/mp4", "MP4-video"),
}
ALLOWED_LABEL = "pdf, docx, odt, pptx, png, jpg, mp3 of mp4"
#: other spellings of an accepted extension
EXTENSION_ALIASES = {"jpeg": "jpg", "jpe": "jpg", "m4v": "mp4"}
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"MSNV",
    b"dash",
    b"mmp4",
    b"3gp4",
    b"3gp5",
}
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def detect_kind(data: bytes) -> str | None:
    """The accepted kind (a key of KINDS) that ``data`` really is, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"ID3") or _is_mpeg_audio_frame(data):
        return "mp3"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in MP4_BRANDS:
        return "mp4"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _is_mpeg_audio_frame(data: bytes) -> bool:
    # An MPEG-1/2 Layer III frame header: 11 sync bits, then layer bits 01.
    return (
        len(data) >= 4 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0 and (data[1] >> 1) & 3 == 1
    )


def _office_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    with archive:
        names = set(archive.namelist())
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None  # documents with macros are refused
        if "mimetype" in names and _small_member(archive, "mimetype") == (
            b"application/vnd.oasis.opendocument.text"
        ):
            return "odt"
        if "[Content_Types].xml" in names:
            types = _small_member(archive, "[Content_Types].xml") or b""
            for marker, kind in OOXML_TYPES.items():
                if marker.encode() in types:
                    return kind
    return None


def _small_member(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes | None:
    """A member's bytes when it is small (a zip bomb must not be unpacked)."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limit:
            return None
        with archive.open(info) as member:
            return member.read(limit + 1)[:limit].strip()
    except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        return None


def describe_refused(data: bytes) -> str:
    """A Dutch description of a file that is not accepted, for the message."""
    if data.startswith(b"MZ"):
        return "een Windows-programma"
    if data.startswith(b"\x7fELF"):
        return "een programma (Linux)"
    if data[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
    ):
        return "een programma (macOS)"
    if data.startswith(b"\xca\xfe\xba\xbe"):
        return "een programma"
    if data.startswith(b"#!"):
        return "een script"
    if data.startswith(b"PK\x03\x04"):
        return "een zip-bestand (geen Word-, PowerPoint- of OpenDocument-bestand, of met macro's)"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")):
        return "een webpagina of script"
    return "een soort bestand dat hier niet kan"


def is_path_like(name: str) -> bool:
    """Whether an uploaded name tries to point into folders (``../x``, ``a/b``, ``C:\\x``)."""
    return "/" in name or "\\" in name or name.strip().startswith("..") or "\x00" in name


def clean_filename(name: str, kind: str) -> str:
    """A safe download name for an upload of ``kind``: the name's own words, our extension."""
    safe = secure_filename(name or "")
    stem, dot, ext = safe.rpartition(".")
    if not dot:
        stem, ext = safe, ""
    ext = EXTENSION_ALIASES.get(ext.lower(), ext.lower())
    if ext not in KINDS and ext:
        stem = f"{stem}_{ext}" if stem else ext
    stem = stem.strip("._-")[:100] or "bijlage"
    return f"{stem}.{KINDS[kind].extension}"


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def blob_path(folder: str | Path, sha256: str) -> Path:
    """Where the file with hash ``sha256`` lives: <folder>/<first two>/<hash>."""
    if not SHA256.match(sha256):
        raise ValueError("not a sha256")
    return Path(folder) / sha256[:2] / sha256


def store_blob(folder: str | Path, data: bytes) -> str:
    """Keep ``data`` under its hash (once; the same content is stored once); returns the hash."""
    digest = sha256_hex(data)
    target = blob_path(folder, digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o640)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest
