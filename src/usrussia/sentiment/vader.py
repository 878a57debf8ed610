"""VADER, exactly NLTK's and faster: the one home of the VADER analyzer and its scores.

``vader()`` is NLTK 3.10's ``SentimentIntensityAnalyzer`` (with the lexicon shipped under
``data/external/nltk_data``) that builds its word list without NLTK's table of every word
x every punctuation mark, and also reports the sums of its rule-adjusted word valences.
NLTK's port differs from the ``vaderSentiment`` package on some sentences (negation with
"no", emoji); the project uses NLTK's.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Sequence

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants

THRESHOLD = 0.05  # VADER's class thresholds: >= 0.05 positive, <= -0.05 negative

_PUNC = frozenset(VaderConstants.PUNC_LIST)
_PUNC_LENGTHS = sorted({len(p) for p in _PUNC})
_PUNC_CHARS = frozenset("".join(_PUNC))
_DELETE_PUNCTUATION = str.maketrans("", "", string.punctuation)  # NLTK's regex, as a table


def _strip_punctuation(token: str, words: set[str]) -> str:
    """``token`` without one leading or trailing VADER punctuation mark around a known word."""
    if token[0] not in _PUNC_CHARS and token[-1] not in _PUNC_CHARS:
        return token
    for n in _PUNC_LENGTHS:
        if len(token) > n:
            if token[:n] in _PUNC and token[n:] in words:
                return token[n:]
            if token[-n:] in _PUNC and token[:-n] in words:
                return token[:-n]
    return token


class _SentiText(SentiText):
    """NLTK's ``SentiText`` with the same word list, built without NLTK's table of every
    word x every punctuation mark (about two thirds of NLTK VADER's time on news)."""

    def _words_and_emoticons(self) -> list[str]:
        words = {w for w in self.text.translate(_DELETE_PUNCTUATION).split() if len(w) > 1}
        return [_strip_punctuation(t, words) for t in self.text.split() if len(t) > 1]


class _Vader(SentimentIntensityAnalyzer):
    """NLTK's VADER, faster, that also reports the sums of its rule-adjusted word valences.

    ``polarity_scores`` is NLTK 3.10's, word for word, except that it builds a
    ``_SentiText``; the tests check that it gives NLTK's scores. ``compound``, ``pos``,
    ``neg`` and ``neu`` are NLTK's; ``valence_pos`` and ``valence_neg`` are the sums of the
    positive and negative word valences after VADER's negation, booster and "but" rules,
    before the compound's saturating normalisation.
    """

    def polarity_scores(self, text: str) -> dict[str, float]:
        sentitext = _SentiText(
            text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION
        )
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        first_index: dict[str, int] = {}
        for idx, token in enumerate(words_and_emoticons):
            first_index.setdefault(token, idx)
        for item in words_and_emoticons:
            i = first_index[item]
            if (
                i < len(words_and_emoticons) - 1
                and item.lower() == "kind"
                and words_and_emoticons[i + 1].lower() == "of"
            ) or item.lower() in self.constants.BOOSTER_DICT:
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)

    def score_valence(self, sentiments: list[float], text: str) -> dict[str, float]:
        scores = super().score_valence(sentiments, text)
        scores["valence_pos"] = float(sum(s for s in sentiments if s > 0))
        scores["valence_neg"] = float(sum(s for s in sentiments if s < 0))
        return scores


@functools.lru_cache(maxsize=1)
def vader() -> _Vader:
    """The cached VADER analyzer (loading the lexicon takes a while; do it once)."""
    return _Vader()


def vader_scores(sentences: Sequence[str]) -> pd.DataFrame:
    """NLTK VADER per sentence.

    Parameters
    ----------
    sentences : sequence of str
        The sentences, one text each.

    Returns
    -------
    DataFrame
        One row per sentence: ``vader_compound``, ``vader_pos``, ``vader_neg``,
        ``vader_neu``, ``valence_pos`` and ``valence_neg``.
    """
    analyzer = vader()
    rows = [analyzer.polarity_scores(s) for s in sentences]
    columns = ["compound", "pos", "neg", "neu", "valence_pos", "valence_neg"]
    frame = pd.DataFrame(rows, columns=columns, dtype=np.float64)
    return frame.rename(columns={c: f"vader_{c}" for c in columns[:4]})
