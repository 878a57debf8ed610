"""Documented rules that decide which documents are about the US or about Russia.

The corpus keeps every document and records the mention counts; ``relevant`` is each
source's rule applied to them (see ``data/README.md``):

- Kremlin pages are *US-related* when the title names the US or the text names it at
  least ``KREMLIN_MIN_US_MENTIONS`` times.
- News articles, headlines, State of the Union addresses and user files are
  *Russia-related* when the title or text names Russia at least once.
"""

from __future__ import annotations

import re

US_TERMS = (
    r"United States",
    r"U\.\s?S\.(?:\s?A\.)?",
    r"USA",
    r"US",
    r"Americans?",
    r"America",
    r"Washington",
    r"White House",
    r"Clinton",
    r"Bush",
    r"Obama",
    r"Trump",
    r"Biden",
    r"Tillerson",
    r"Pompeo",
    r"Kerry",
    r"Blinken",
)
RUSSIA_TERMS = (
    r"Russian?s?",
    r"Russia's",
    r"Putin",
    r"Kremlin",
    r"Moscow",
    r"Medvedev",
    r"Lavrov",
    r"Peskov",
    r"Shoigu",
    r"Soviet",
)

# Case-sensitive on purpose: "US" the country, not "us" the pronoun.
US_PATTERN = re.compile(r"(?<![\w.])(?:" + "|".join(US_TERMS) + r")(?![\w])")
RUSSIA_PATTERN = re.compile(r"(?<![\w])(?:" + "|".join(RUSSIA_TERMS) + r")(?![\w])")

KREMLIN_MIN_US_MENTIONS = 3


def count_mentions(text: str, pattern: re.Pattern[str]) -> int:
    """How many times ``pattern`` occurs in ``text``."""
    return sum(1 for _ in pattern.finditer(text))


def us_related(title: str, text: str) -> bool:
    """The Kremlin rule: the title names the US, or the text does at least 3 times."""
    return bool(US_PATTERN.search(title)) or (
        count_mentions(text, US_PATTERN) >= KREMLIN_MIN_US_MENTIONS
    )


def russia_related(title: str, text: str) -> bool:
    """The media rule: the title or the text names Russia at least once."""
    return bool(RUSSIA_PATTERN.search(title) or RUSSIA_PATTERN.search(text))


# The rule of each source whose documents are selected differently from the media rule.
RULES = {"kremlin": us_related}


def relevant(source: str, title: str, text: str) -> bool:
    """Whether a document is in scope: its source's rule (``RULES``), else ``russia_related``.

    The one place relevance is decided; the corpus build applies it to the cleaned title
    and text.
    """
    return RULES.get(source, russia_related)(title, text)
