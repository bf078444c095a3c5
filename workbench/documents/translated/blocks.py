"""Segments back into the blocks (paragraphs, cells, notes) they were split from."""

from dataclasses import dataclass, field

# Written without spaces between sentences. Korean puts spaces between words.
WITHOUT_SPACES = ("zh", "ja", "yue")


@dataclass
class TranslatedBlock:
    index: int
    kind: str
    paragraph_number: str
    structure: dict
    placeholders: dict = field(default_factory=dict)
    texts: list = field(default_factory=list)  # (text, translated)
    sources: list = field(default_factory=list)

    @property
    def text(self):
        return self.joiner.join(text for text, _ in self.texts)

    joiner = " "


def translated_blocks(segments, target_language=""):
    """The blocks in order, each with its segments' text: the target where there is
    one, else the source."""
    blocks, current = [], None
    joiner = "" if target_language.split("-")[0].lower() in WITHOUT_SPACES else " "
    for segment in segments:
        if current is None or segment.block != current.index:
            current = TranslatedBlock(
                segment.block, segment.kind, segment.paragraph_number, segment.structure
            )
            current.joiner = joiner
            blocks.append(current)
        current.placeholders |= segment.placeholders
        translated = bool(segment.target.strip())
        current.sources.append(segment.source)
        current.texts.append((segment.target if translated else segment.source, translated))
    return blocks
