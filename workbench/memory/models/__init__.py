from .glossary import Term
from .tm import TranslationMemory, TranslationUnit

__all__ = ["Term", "TranslationMemory", "TranslationUnit"]
