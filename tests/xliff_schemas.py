"""The official XLIFF schemas shipped in workbench/documents/schemas, for the tests."""

from functools import cache
from pathlib import Path

from lxml import etree

FOLDER = Path(__file__).resolve().parent.parent / "workbench" / "documents" / "schemas"
FILES = {
    "1.2-strict": "xliff-core-1.2-strict.xsd",
    "1.2-transitional": "xliff-core-1.2-transitional.xsd",
    "2.0": "xliff_core_2.0.xsd",
}


@cache
def schema(name):
    return etree.XMLSchema(etree.parse(str(FOLDER / FILES[name])))


def schema_errors(data, name):
    """[] when `data` validates against the named schema, else lxml's messages."""
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    checker = schema(name)
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]
