"""The lifecycle is the one writer of segment state: no other module of the workbench or
the agents changes `Segment.target` or `status`, or builds a `Revision`, by ORM or by SQL.

The scan reads the source with `ast`, so it is about code, not comments. It knows the
usual ways a write slips in: `.update(target=...)`, `bulk_update([...], ["status"])`,
`segment.target = ...`, `.save(update_fields=["status"])`, `Revision(...)`,
`Revision.objects.create(...)`, and SQL text that updates the segments table.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWNERS = {"workbench/documents/lifecycle.py"}
STATE = {"target", "status", "draft_origin", "match_percent", "locked"}
CREATORS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _mentions_segment(node):
    """Whether an expression is segments: `Segment.objects...`, `document.segments...`,
    or a variable named like a segment (`segment`, `locked_segment`, `twin`)."""
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr == "segments":
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            name = node.id.lower()
            return node.id == "Segment" or "segment" in name or "twin" in name
        else:
            return False


def _string_items(node):
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {item.value for item in node.elts if isinstance(item, ast.Constant)}
    return set()


def violations(source, filename="<code>"):
    """(line, what) for each write of segment state or revision in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, receiver = node.func.attr, node.func.value
            keywords = {keyword.arg for keyword in node.keywords}
            if name == "update" and keywords & STATE and _mentions_segment(receiver):
                found.append((node.lineno, f"updates {sorted(keywords & STATE)} of segments"))
            if name == "bulk_update" and _mentions_segment(receiver):
                fields = set().union(*(_string_items(arg) for arg in node.args[1:]))
                for keyword in node.keywords:
                    if keyword.arg == "fields":
                        fields |= _string_items(keyword.value)
                if fields & STATE:
                    found.append((node.lineno, "bulk_update of segment state"))
            if name == "save" and _mentions_segment(receiver):
                for keyword in node.keywords:
                    if keyword.arg == "update_fields" and _string_items(keyword.value) & STATE:
                        found.append((node.lineno, "saves segment state"))
            if name in CREATORS and "revision" in ast.unparse(receiver).lower():
                found.append((node.lineno, f"Revision {name}"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Revision"
        ):
            found.append((node.lineno, "builds a Revision"))
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if (
                        isinstance(leaf, ast.Attribute)
                        and leaf.attr in STATE
                        and _mentions_segment(leaf.value)
                    ):
                        found.append((node.lineno, f"assigns segment.{leaf.attr}"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = node.value.lower()
            if "update" in sql and ("documents_segment" in sql or "db_table" in sql):
                found.append((node.lineno, "SQL that updates segments"))
            if "insert" in sql and "translation_revision" in sql:
                found.append((node.lineno, "SQL that inserts revisions"))
        if isinstance(node, ast.JoinedStr):
            text = ast.unparse(node).lower()
            if "update" in text and "segment" in text and "_meta.db_table" in text:
                found.append((node.lineno, "SQL that updates segments"))
    return found


def production_modules():
    for folder in ("workbench", "agents"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in OWNERS:
                yield relative, path


def test_only_the_lifecycle_writes_segment_state_or_revisions():
    offenders = [
        f"{relative}:{line}: {what}"
        for relative, path in production_modules()
        for line, what in violations(path.read_text(encoding="utf-8"), relative)
    ]
    assert offenders == [], "Write segment state through documents.lifecycle:\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    "code",
    [
        "Segment.objects.filter(pk=1).update(target='x')",
        "document.segments.update(status='approved')",
        "Segment.objects.bulk_update(rows, ['status', 'version'])",
        "segment.target = text",
        "twin.status = 'translated'",
        "segment.save(update_fields=['status'])",
        "Revision(segment=segment, new_status='approved')",
        "Revision.objects.create(segment=segment)",
        "segment.revisions.create(new_target='x')",
        "cursor.execute('UPDATE documents_segment SET status = %s')",
        "sql = f'UPDATE {Segment._meta.db_table} SET target = %s'",
    ],
)
def test_the_scan_catches_each_way_of_writing_around_the_lifecycle(code):
    assert violations(code)


def test_the_scan_leaves_reads_and_other_models_alone():
    code = """
Segment.objects.filter(status="approved").count()
annotation.status = "outdated"
job.status = Job.Status.FAILED
Annotation.objects.filter(segment__in=ids).update(status="outdated")
"""
    assert violations(code) == []
