"""Hostile files are refused before any parser that could be tricked reads them."""

import io
import re
import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .base import ImportRejected

MAX_ZIP_MEMBERS = 2000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Where a DOCTYPE can be: before the root element, after at most a BOM, the XML
# declaration and comments. Its internal subset is between [ and ].
PROLOG_BYTES = 64 * 1024
DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.DOTALL)
ENTITY_MARKUP = re.compile(rb"<!ENTITY|%\s*[\w.-]+\s*;|%[\w.-]+")


def reject_unsafe_xml(data, part_name):
    """Refuse XML that declares entities (XXE, billion laughs) or is broken.

    A DOCTYPE alone is harmless and common (OmegaT writes one into every TMX, many TBX
    files name their DTD): it is accepted when it declares no entities, general or
    parameter, and references none, and nothing ever fetches its external subset (the
    parsers that read the file after this check load no DTD and touch no network).
    defusedxml parses without expanding anything and raises on any entity declaration.
    """
    check_doctype(data, part_name)
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportRejected(_entities_refused(part_name)) from None
    except Exception as error:  # ParseError and friends: the XML itself is broken
        raise ImportRejected(f"{part_name} is not well-formed XML ({error}).") from None


def check_doctype(head, part_name):
    """Refuse a DOCTYPE whose internal subset declares or references entities, from the
    first bytes of a file (the DOCTYPE always comes before the root element), so a
    streaming reader can check before it parses."""
    match = DOCTYPE.search(head[:PROLOG_BYTES])
    if match and ENTITY_MARKUP.search(match.group("subset") or b""):
        raise ImportRejected(_entities_refused(part_name))


def _entities_refused(part_name):
    return (
        f"{part_name} declares entities in its DTD, which documents never need and attacks "
        "use (XXE, entity expansion). The file was refused; export it again from its "
        "authoring tool."
    )


def open_zip_safely(data, what="The file"):
    """Open a ZIP container after checking sizes and ratios in its directory, before
    decompressing a single byte."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRejected(
            f"{what} is not a valid ZIP container (damaged or truncated)."
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportRejected(f"{what} holds {len(members)} parts; this is not a normal document.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRejected(
            f"{what} would unpack to {unpacked // (1024 * 1024)} MB (a “zip bomb”); refused."
        )
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise ImportRejected(
                f"{what} has a part ({member.filename}) compressed {member.file_size // member.compress_size}:1, "
                "typical of a “zip bomb”; refused."
            )
    return archive


def read_parts_safely(archive, what="The file"):
    """Every part of a checked container as {name: bytes}, each read in bounded chunks
    and never beyond the size its directory entry declared.

    The directory can lie: a part declared small may inflate to gigabytes, and a full
    `ZipFile.read` would inflate it in one go. Reading at most the declared size keeps
    memory bounded, and the CRC check at the declared end refuses the truncated part
    (even a CRC forged to match yields only the declared bytes, nothing more).
    """
    parts = {}
    for member in archive.infolist():
        if member.filename in parts:
            raise ImportRejected(
                f"{what} holds two parts named {member.filename}; this is not a normal "
                "document. Save it again from its authoring tool."
            )
        try:
            with archive.open(member) as stream:
                chunks = []
                left = member.file_size
                while left > 0 and (chunk := stream.read(min(left, 1024 * 1024))):
                    chunks.append(chunk)
                    left -= len(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
        ):
            raise ImportRejected(
                f"{what} is damaged: its part {member.filename} cannot be read. Open it in its "
                "authoring tool, save it again and upload the new file."
            ) from None
        parts[member.filename] = b"".join(chunks)
    return parts
