"""Text cleaning: named, documented steps composed into a configurable cleaner.

The foundation ships the normalisation every source needs (Unicode NFKC, whitespace
collapse); the cleaning issue extends this module with the full set of steps.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def normalize_unicode(text: str) -> str:
    """NFKC-normalise, so that non-breaking spaces and compatibility forms become plain."""
    return unicodedata.normalize("NFKC", text)


def collapse_whitespace(text: str) -> str:
    """Collapse runs of spaces and tabs to one space and keep single line breaks."""
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def clean_text(text: str, source: str | None = None) -> str:
    """The project's default cleaning of one document's text (``source`` picks extra steps)."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    return collapse_whitespace(normalize_unicode(text))
