"""The open sentiment lexicons and the word counts taken with them: their one home.

Three lexicons, read once: the VADER lexicon's signs (the GDELT-style word lists of
``lexicon_tone``), AFINN-165 valences and pattern.en adjectives (``data/external/lexicons``).
Only single-word entries are used, a word being what ``usrussia.text.tokens.word_tokenize``
finds (lower-cased): the same words the sentences are counted in.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from scipy import sparse

from usrussia import config
from usrussia.sentiment.vader import vader
from usrussia.text.token_counts import TokenCountVectorizer, TokenTerms
from usrussia.text.tokens import word_tokenize

LEXICON_COLUMNS = (
    "n_pos_words",  # VADER lexicon signs (the lexicon tone's counts)
    "n_neg_words",
    "afinn_pos",  # sums of positive / negative valences, and counts
    "afinn_neg",
    "afinn_n_pos",
    "afinn_n_neg",
    "pattern_pos",
    "pattern_neg",
    "pattern_n_pos",
    "pattern_n_neg",
    "pattern_subjectivity",
)


def _is_word(entry: str) -> bool:
    """True if a lexicon entry is one lower-case word as the sentences are tokenised."""
    return word_tokenize(entry.lower()) == [entry]


@functools.lru_cache(maxsize=1)
def lexicon_polarity() -> dict[str, int]:
    """+1 or -1 for every single-word entry of the VADER lexicon (GDELT-style word lists).

    Returns
    -------
    dict
        Word -> +1 (positive valence) or -1 (negative); zero-valence words are left out.
    """
    return {w: 1 if v > 0 else -1 for w, v in vader().lexicon.items() if v and _is_word(w)}


@functools.lru_cache(maxsize=1)
def afinn() -> dict[str, float]:
    """AFINN-165 single-word valences; its multi-word phrases are left out.

    Returns
    -------
    dict
        Word -> valence (-5..+5).
    """
    lines = config.AFINN_TXT.read_text(encoding="utf-8").splitlines()
    rows = (line.rsplit("\t", 1) for line in lines)
    return {w: float(v) for w, v in rows if _is_word(w)}


@functools.lru_cache(maxsize=1)
def pattern_adjectives() -> dict[str, tuple[float, float]]:
    """pattern.en adjectives, averaged over their senses.

    Returns
    -------
    dict
        Word -> (polarity -1..+1, subjectivity 0..1).
    """
    senses: dict[str, list[tuple[float, float]]] = {}
    for word in ElementTree.parse(config.PATTERN_XML).getroot().iter("word"):
        form = word.get("form", "").lower()
        if _is_word(form):
            pair = (float(word.get("polarity", 0)), float(word.get("subjectivity", 0)))
            senses.setdefault(form, []).append(pair)
    return {w: tuple(np.mean(pairs, axis=0).tolist()) for w, pairs in senses.items()}


@functools.lru_cache(maxsize=1)
def _lexicon_weights() -> tuple[TokenCountVectorizer, sparse.csr_matrix]:
    """A counter over every lexicon word and a words x ``LEXICON_COLUMNS`` weight matrix."""
    vader_signs, afinn_valence, pattern = lexicon_polarity(), afinn(), pattern_adjectives()
    vocabulary = sorted(set(vader_signs) | set(afinn_valence) | set(pattern))
    weights = np.zeros((len(vocabulary), len(LEXICON_COLUMNS)))
    for i, word in enumerate(vocabulary):
        sign = vader_signs.get(word, 0)
        a = afinn_valence.get(word, 0.0)
        polarity, subjectivity = pattern.get(word, (0.0, 0.0))
        weights[i] = (
            sign > 0,
            sign < 0,
            max(a, 0.0),
            min(a, 0.0),
            a > 0,
            a < 0,
            max(polarity, 0.0),
            min(polarity, 0.0),
            polarity > 0,
            polarity < 0,
            subjectivity,
        )
    # A tokenised sentence is already its list of terms, counted with numpy.
    counter = TokenCountVectorizer(analyzer=TokenTerms(), vocabulary=vocabulary, dtype=np.float64)
    return counter, sparse.csr_matrix(weights)


def word_counts(words: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Lexicon sums and counts of each tokenised sentence.

    Parameters
    ----------
    words : sequence of sequence of str
        The lower-cased words of each sentence (``usrussia.sentiment.features.tokenize``).

    Returns
    -------
    DataFrame
        One row per sentence: ``n_words`` and the ``LEXICON_COLUMNS``.
    """
    counter, weights = _lexicon_weights()
    values = (counter.transform(words) @ weights).toarray()
    frame = pd.DataFrame(values, columns=list(LEXICON_COLUMNS))
    counts = [c for c in LEXICON_COLUMNS if c.startswith("n_") or "_n_" in c]
    frame[counts] = frame[counts].round().astype(np.int64)
    frame.insert(0, "n_words", [len(w) for w in words])
    return frame


def lexicon_tone(n_pos: Any, n_neg: Any, n_words: Any) -> np.ndarray:
    """GDELT's tone: (positive - negative words) / all words x 100.

    Parameters
    ----------
    n_pos, n_neg, n_words : array-like
        Positive, negative and all words of each text.

    Returns
    -------
    ndarray
        The tone of each text; NaN for a text without words.
    """
    n_words = np.asarray(n_words, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tone = (np.asarray(n_pos, float) - np.asarray(n_neg, float)) / n_words * 100.0
    return np.where(n_words > 0, tone, np.nan)
