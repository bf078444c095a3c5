from .analysis import Analysis
from .glossary import Term
from .tm import TranslationMemory, TranslationUnit

__all__ = ["Analysis", "Term", "TranslationMemory", "TranslationUnit"]
