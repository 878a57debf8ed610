"""VADER, exactly NLTK's and faster: the one home of the VADER analyzer and its scores.

``vader()`` gives NLTK 3.10's ``SentimentIntensityAnalyzer.polarity_scores`` for every
sentence (the tests compare all four fields with NLTK's on the NYT and Kremlin sentences),
computed another way, and also reports the sums of the rule-adjusted word valences:

- NLTK builds, per sentence, a table of every word x every punctuation mark to strip one
  leading or trailing mark; which word a token becomes depends on the token alone
  (``_vader_word``), so each distinct token is looked up once, in a table of ``_Word``
  records that hold what the rules ask of it (lexicon valence, booster scalar, negation,
  capitals, the words the rules compare); the table starts again past ``TABLE_LIMIT``.
- Only a word of the lexicon that is not a booster can carry a valence; a sentence
  without one scores (0, 0, 0, 1) and its other rules are never run, and a word's rules
  for the three words before it run only where one of them can change its valence. NLTK
  scores a repeated word at its first position, so each distinct word is scored once.
- Repeated sentences (wire copy) are scored once: an LRU cache of the results of
  sentences up to ``CACHED_LENGTH`` characters.

NLTK's port differs from the ``vaderSentiment`` package on some sentences (negation with
"no", emoji); the project uses NLTK's.
"""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Sequence
from itertools import compress, pairwise
from operator import attrgetter

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

THRESHOLD = 0.05  # VADER's class thresholds: >= 0.05 positive, <= -0.05 negative
COLUMNS = ("compound", "pos", "neg", "neu", "valence_pos", "valence_neg")
CACHED_SENTENCES = 2**16  # the results kept for repeated sentences
CACHED_LENGTH = 1000  # the longest sentence whose result is kept (bounds the cache's memory)
TABLE_LIMIT = 2**18  # distinct tokens kept before the token table starts again

_C = VaderConstants
_PUNC = frozenset(_C.PUNC_LIST)
_DELETE_PUNCTUATION = str.maketrans("", "", string.punctuation)  # NLTK's regex, as a table
# the pairs of adjacent words in NLTK's idioms and two-word boosters ("kind of")
_IDIOM_PAIRS = frozenset(
    pair for key in (*_C.SPECIAL_CASE_IDIOMS, *_C.BOOSTER_DICT) for pair in pairwise(key.split())
)
_RULE_WORDS = frozenset(("never", "so", "this"))  # NLTK's _never_check compares these exactly
_EMPTY = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
_NEUTRAL = (0.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_HIT = attrgetter("hit")
_BUT = attrgetter("but")
_UPPER = attrgetter("upper")
_RULE = attrgetter("rule")
_TOK = attrgetter("tok")


def _vader_word(token: str) -> str:
    """The word NLTK's VADER makes of a whitespace token (of two or more characters).

    NLTK maps ``p + w`` and ``w + p`` to ``w`` for each mark ``p`` of its list and each
    word ``w`` (two or more characters) of the sentence with ASCII punctuation deleted.
    Such a ``w`` is the token itself with its punctuation deleted, so the word depends on
    the token alone.
    """
    word = token.translate(_DELETE_PUNCTUATION)
    if len(word) > 1:
        if token.endswith(word) and token[: len(token) - len(word)] in _PUNC:
            return word
        if token.startswith(word) and token[len(word) :] in _PUNC:
            return word
    return token


class _Word:
    """One word of VADER's word list and what its rules ask of it."""

    __slots__ = (
        "booster",
        "but",
        "hit",
        "kind",
        "low",
        "negated",
        "rule",
        "tok",
        "upper",
        "val",
    )

    def __init__(self, tok: str, lexicon: dict[str, float]) -> None:
        low = tok.lower()
        self.tok = tok
        self.low = low
        self.upper = tok.isupper()
        self.val = lexicon.get(low)  # None: not in the lexicon
        self.booster = _C.BOOSTER_DICT.get(low)
        self.hit = self.val is not None and self.booster is None  # may carry a valence
        self.negated = low in _C.NEGATE or "n't" in low  # NLTK's negated([tok])
        # a word that changes the valence of a word up to three after it
        self.rule = self.booster is not None or self.negated or tok in _RULE_WORDS or low == "least"
        self.kind = low == "kind"
        self.but = low == "but"


class _Table(dict):
    """Whitespace token -> its ``_Word`` (None for a one-character token NLTK drops)."""

    def __init__(self, lexicon: dict[str, float]) -> None:
        super().__init__()
        self.lexicon = lexicon
        self.words: dict[str, _Word] = {}

    def __missing__(self, token: str) -> _Word | None:
        if len(token) > 1:
            tok = _vader_word(token)
            word = self.words.get(tok)
            if word is None:
                word = self.words[tok] = _Word(tok, self.lexicon)
        else:
            word = None
        self[token] = word
        return word


class Vader:
    """NLTK's VADER, exactly, faster; it also reports the sums of its word valences.

    ``polarity_scores`` returns NLTK's ``compound``, ``pos``, ``neg`` and ``neu`` and
    ``valence_pos`` and ``valence_neg``, the sums of the positive and negative word
    valences after VADER's negation, booster and "but" rules, before the compound's
    saturating normalisation. ``lexicon`` is NLTK's lexicon (word -> valence).
    """

    def __init__(self) -> None:
        self.lexicon: dict[str, float] = SentimentIntensityAnalyzer().lexicon
        self._table = _Table(self.lexicon)
        self._cached = functools.lru_cache(maxsize=CACHED_SENTENCES)(self._scores)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """NLTK's ``polarity_scores`` of ``text``, with ``valence_pos`` and ``valence_neg``."""
        return dict(zip(COLUMNS, self.scores(text), strict=True))

    def scores(self, text: str) -> tuple[float, float, float, float, float, float]:
        """(compound, pos, neg, neu, valence_pos, valence_neg) of one sentence (str)."""
        if len(text) <= CACHED_LENGTH:
            return self._cached(text)
        return self._scores(text)

    def _scores(self, text: str) -> tuple[float, float, float, float, float, float]:
        table = self._table
        if len(table) >= TABLE_LIMIT:  # bounded memory on an endless stream of new tokens
            table = self._table = _Table(self.lexicon)
        words = list(filter(None, map(table.__getitem__, text.split())))
        if not words:
            return _EMPTY
        hits = list(compress(range(len(words)), map(_HIT, words)))
        if not hits:
            return _NEUTRAL
        valences: dict[int, float] = {}  # NLTK scores a word at its first position
        sentiments: list[tuple[int, float]] = []
        cap_diff: bool | None = None
        for j in hits:
            i = words.index(words[j])
            if i not in valences:
                if cap_diff is None:
                    n_upper = sum(map(_UPPER, words))
                    cap_diff = 0 < len(words) - n_upper < len(words)
                valences[i] = self._valence(words, i, cap_diff)
            if valences[i]:
                sentiments.append((j, valences[i]))
        if sentiments and any(map(_BUT, words)):
            bi = list(map(_BUT, words)).index(True)
            sentiments = [
                (j, v * 0.5 if j < bi else v * 1.5 if j > bi else v) for j, v in sentiments
            ]
        return _score_valence([v for _, v in sentiments], len(words), text)

    def _valence(self, words: list[_Word], i: int, cap_diff: bool) -> float:
        """NLTK's ``sentiment_valence`` of the word at ``i`` (a lexicon word, no booster).

        NLTK's rules for the three words before are run only where one of them can change
        the valence: a booster, a negation, "never", "so", "this", "least", or two adjacent
        words of an idiom (``_near_idiom``).
        """
        word = words[i]
        if word.kind and i < len(words) - 1 and words[i + 1].low == "of":
            return 0
        valence = word.val
        if word.upper and cap_diff:
            valence = valence + _C.C_INCR if valence > 0 else valence - _C.C_INCR
        idiom = i > 2 and _near_idiom(words, i)
        if not idiom and not any(map(_RULE, words[max(i - 3, 0) : i])):
            return valence
        for start_i in range(3):
            if i > start_i and words[i - (start_i + 1)].val is None:
                s = _scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _never_check(valence, words, start_i, i)
                if start_i == 2 and idiom:
                    valence = _idioms_check(valence, [w.tok for w in words], i)
        return _least_check(valence, words, i)


def _near_idiom(words: list[_Word], i: int) -> bool:
    """Whether two adjacent words from ``i - 3`` to ``i + 2`` are adjacent in an idiom.

    Every phrase NLTK's ``_idioms_check`` looks up has two such words, so without them
    it changes nothing.
    """
    toks = list(map(_TOK, words[i - 3 : i + 3]))
    return not _IDIOM_PAIRS.isdisjoint(pairwise(toks))


def _scalar_inc_dec(word: _Word, valence: float, cap_diff: bool) -> float:
    """NLTK's ``scalar_inc_dec``: the booster's push on the valence that follows it."""
    scalar = 0.0
    if word.booster is not None:
        scalar = word.booster
        if valence < 0:
            scalar *= -1
        if word.upper and cap_diff:
            if valence > 0:
                scalar += _C.C_INCR
            else:
                scalar -= _C.C_INCR
    return scalar


def _never_check(valence: float, words: list[_Word], start_i: int, i: int) -> float:
    """NLTK's ``_never_check``: negation up to three words back, "never so/this"."""
    if start_i == 0:
        if words[i - 1].negated:
            valence = valence * _C.N_SCALAR
    elif start_i == 1:
        if words[i - 2].tok == "never" and words[i - 1].tok in ("so", "this"):
            valence = valence * 1.5
        elif words[i - 2].negated:
            valence = valence * _C.N_SCALAR
    elif (words[i - 3].tok == "never" and words[i - 2].tok in ("so", "this")) or words[
        i - 1
    ].tok in ("so", "this"):
        valence = valence * 1.25
    elif words[i - 3].negated:
        valence = valence * _C.N_SCALAR
    return valence


def _idioms_check(valence: float, toks: list[str], i: int) -> float:
    """NLTK's ``_idioms_check`` (run only where ``_near_idiom``)."""
    idioms, boosters = _C.SPECIAL_CASE_IDIOMS, _C.BOOSTER_DICT
    onezero = f"{toks[i - 1]} {toks[i]}"
    twoonezero = f"{toks[i - 2]} {toks[i - 1]} {toks[i]}"
    twoone = f"{toks[i - 2]} {toks[i - 1]}"
    threetwoone = f"{toks[i - 3]} {toks[i - 2]} {toks[i - 1]}"
    threetwo = f"{toks[i - 3]} {toks[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in idioms:
            valence = idioms[seq]
            break
    if len(toks) - 1 > i:
        zeroone = f"{toks[i]} {toks[i + 1]}"
        if zeroone in idioms:
            valence = idioms[zeroone]
    if len(toks) - 1 > i + 1:
        zeroonetwo = f"{toks[i]} {toks[i + 1]} {toks[i + 2]}"
        if zeroonetwo in idioms:
            valence = idioms[zeroonetwo]
    if threetwo in boosters or twoone in boosters:
        valence = valence + _C.B_DECR
    return valence


def _least_check(valence: float, words: list[_Word], i: int) -> float:
    """NLTK's ``_least_check``: "least" before the word negates it (not "at/very least")."""
    if i > 1 and words[i - 1].val is None and words[i - 1].low == "least":
        if words[i - 2].low != "at" and words[i - 2].low != "very":
            valence = valence * _C.N_SCALAR
    elif i > 0 and words[i - 1].val is None and words[i - 1].low == "least":
        valence = valence * _C.N_SCALAR
    return valence


def _score_valence(
    sentiments: list[float], n_words: int, text: str
) -> tuple[float, float, float, float, float, float]:
    """NLTK's ``score_valence`` from the non-zero valences, in order, of ``n_words`` words.

    The zero valences NLTK also lists change no sum; they are counted as neutral.
    """
    sum_s = float(sum(sentiments))
    ep_count = min(text.count("!"), 4)
    qm_count = text.count("?")
    qm_amplifier = 0 if qm_count <= 1 else qm_count * 0.18 if qm_count <= 3 else 0.96
    punct_emph_amplifier = ep_count * 0.292 + qm_amplifier
    if sum_s > 0:
        sum_s += punct_emph_amplifier
    elif sum_s < 0:
        sum_s -= punct_emph_amplifier
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    pos_sum = 0.0
    neg_sum = 0.0
    for s in sentiments:
        if s > 0:
            pos_sum += float(s) + 1
        if s < 0:
            neg_sum += float(s) - 1
    neu_count = n_words - len(sentiments)
    if pos_sum > math.fabs(neg_sum):
        pos_sum += punct_emph_amplifier
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= punct_emph_amplifier
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (
        round(compound, 4),
        round(math.fabs(pos_sum / total), 3),
        round(math.fabs(neg_sum / total), 3),
        round(math.fabs(neu_count / total), 3),
        float(sum(s for s in sentiments if s > 0)),
        float(sum(s for s in sentiments if s < 0)),
    )


@functools.lru_cache(maxsize=1)
def vader() -> Vader:
    """The cached VADER analyzer (loading the lexicon takes a while; do it once)."""
    return Vader()


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
    scores = vader().scores
    values = np.array([scores(s) for s in sentences], dtype=np.float64).reshape(-1, len(COLUMNS))
    names = [f"vader_{c}" if c in ("compound", "pos", "neg", "neu") else c for c in COLUMNS]
    return pd.DataFrame(values, columns=names)
