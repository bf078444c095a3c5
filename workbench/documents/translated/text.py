"""The translated text file: one paragraph per block of the original, a blank line
between paragraphs, as the text importer reads them."""

from ..placeholders import TOKEN
from .blocks import translated_blocks


def write_text(segments):
    paragraphs = []
    for block in translated_blocks(segments):
        number = f"{block.paragraph_number}. " if block.paragraph_number else ""
        paragraphs.append(number + TOKEN.sub("", block.text))
    return ("\n\n".join(paragraphs) + "\n").encode("utf-8")
