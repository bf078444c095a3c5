"""The demo material: a fictional Hong Kong appellate judgment (source, builder, DOCX) and
a Chinese excerpt in UTF-8 and Big5-HKSCS, used by `manage.py seed_demo` and the benches."""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
