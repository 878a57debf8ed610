"""What is measured on each sentence: the one home of the model's inputs.

A sentence is masked (``mask_names``), tokenised once into lower-cased words with the
project's one word tokeniser (``usrussia.text.tokens.word_tokenize``) and measured: VADER,
the lexicon sums and counts, the lexicon tone (``sentence_features``). The bags of terms
(words and word n-grams with ``usrussia.text.tokens.ngrams``, or word prefixes) are
scikit-learn ``TfidfVectorizer`` s over those words (``term_vectorizer``) that count
them with numpy once their vocabulary is fixed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia.corpus.selection import load_alias_rows
from usrussia.sentiment.lexicons import LEXICON_COLUMNS, lexicon_tone, word_counts
from usrussia.sentiment.vader import vader, vader_scores
from usrussia.text.token_counts import TokenTerms, TokenTfidfVectorizer
from usrussia.text.tokens import word_tokenize

PREFIX_LENGTH = 4  # the model's second bag of terms: the first 4 letters of each word
DENSE_FEATURES = (
    "vader_compound",
    "vader_pos",
    "vader_neg",
    "vader_neu",
    "valence_pos",
    "valence_neg",
    "lexicon_tone",
    "log_words",
    *LEXICON_COLUMNS[2:],  # the AFINN and pattern.en sums and counts
)


@functools.lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Aliases (from the alias table) that contain a word of the VADER lexicon."""
    lexicon = vader().lexicon
    names = {
        row["alias"]: row["canonical"].replace("_", "")
        for row in load_alias_rows()
        if any(w.lower() in lexicon for w in word_tokenize(row["alias"]))
    }
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), names


def mask_names(sentences: Sequence[str]) -> list[str]:
    """Replace names whose words carry sentiment ("United States") by one neutral token.

    Otherwise VADER and the lexicon would count "United" (+1.8) as a positive word in
    every sentence about the United States or the United Nations.

    Parameters
    ----------
    sentences : sequence of str

    Returns
    -------
    list of str
        The sentences, each such name replaced by its canonical token without underscores.
    """
    pattern, names = _name_pattern()
    return [pattern.sub(lambda m: names[m.group(0)], s) for s in sentences]


def tokenize(sentences: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The lower-cased words of each sentence (``word_tokenize``), done once per sentence.

    Parameters
    ----------
    sentences : sequence of str

    Returns
    -------
    tuple of tuple of str
        The words the lexicon counts and the model's bags of terms are taken from;
        immutable, so that the counters number the words once for all of them
        (``usrussia.text.token_counts``).
    """
    return tuple(tuple(word_tokenize(s.lower())) for s in sentences)


def sentence_features(masked: Sequence[str], words: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Everything measured on each sentence: VADER, lexicon sums and counts, lexicon tone.

    Parameters
    ----------
    masked : sequence of str
        The sentences after ``mask_names``.
    words : sequence of sequence of str
        Their ``tokenize``.

    Returns
    -------
    DataFrame
        One row per sentence, with every column of ``DENSE_FEATURES``, ``n_words``,
        ``n_pos_words`` and ``n_neg_words`` (``lexicon_tone`` is 0 without words).
    """
    features = pd.concat([vader_scores(list(masked)), word_counts(words)], axis=1)
    features["lexicon_tone"] = np.nan_to_num(
        lexicon_tone(features["n_pos_words"], features["n_neg_words"], features["n_words"])
    )
    features["log_words"] = np.log1p(features["n_words"])
    return features


def prepare(sentences: Sequence[str]) -> tuple[pd.DataFrame, tuple[tuple[str, ...], ...]]:
    """Mask, tokenise and measure sentences: the inputs of the recommended score.

    Parameters
    ----------
    sentences : sequence of str

    Returns
    -------
    features : DataFrame
        ``sentence_features`` of the masked sentences.
    words : tuple of tuple of str
        Their lower-cased words (``tokenize``).
    """
    masked = mask_names(sentences)
    words = tokenize(masked)
    return sentence_features(masked, words), words


def term_vectorizer(
    prefix: int | None, ngram_range: Sequence[int], **kwargs: Any
) -> TokenTfidfVectorizer:
    """The sublinear, L2-normalised tf-idf of one bag of terms over tokenised sentences.

    Parameters
    ----------
    prefix : int or None
        None for words and word n-grams; else the length of the word prefixes counted.
    ngram_range : (int, int)
        The smallest and largest n of the word n-grams; (1, 1) for prefixes.
    **kwargs
        Passed to ``TfidfVectorizer`` (``min_df``, ``vocabulary``).

    Returns
    -------
    TfidfVectorizer
        Taking lists of words (``tokenize``), not raw text; with a fixed vocabulary it
        counts them with numpy (``usrussia.text.token_counts.TokenTfidfVectorizer``). A prefix
        is the first letters of a word, a crude stem ("sanction", "sanctions").
    """
    return TokenTfidfVectorizer(
        analyzer=TokenTerms(ngram_range, prefix), sublinear_tf=True, dtype=np.float64, **kwargs
    )
