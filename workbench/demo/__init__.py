"""The demo: a fictional Hong Kong appellate judgment (source, builder, DOCX), the Court of
Appeal's judgment below it and a Chinese verdict (UTF-8 and Big5-HKSCS); the recordings
of what the team and the agents wrote on them (recordings/); the story of their two weeks
(story.py) that `manage.py seed_demo` writes; and the demo replay model (replay_model.py)
that `make run` starts when no model is configured. Used by seed_demo and the benches."""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
