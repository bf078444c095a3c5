"""Hostile files are refused before any parser that could be tricked reads them."""

import io
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .base import ImportRejected

MAX_ZIP_MEMBERS = 2000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def reject_unsafe_xml(data, part_name):
    """Refuse XML with a DOCTYPE or entity declarations (XXE, billion laughs) or broken XML.

    defusedxml parses without expanding anything and raises on DTDs and entities.
    """
    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportRejected(
            f"{part_name} declares a DTD or entities, which documents never need and attacks "
            "use (XXE, entity expansion). The file was refused; export it again from its "
            "authoring tool."
        ) from None
    except Exception as error:  # ParseError and friends: the XML itself is broken
        raise ImportRejected(f"{part_name} is not well-formed XML ({error}).") from None


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
