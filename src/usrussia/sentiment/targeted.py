"""Tone towards a target: the words around its mention, the mention itself masked.

Sentence-level targeted tone gives every target of a sentence the sentence's tone, so in
"Merkel praised Macron but Trump attacked him" Merkel, Macron and Trump get one score. The
target-aware variant scores a window of words around the mention instead
(``target_window``): up to ``words`` words on each side, never across a contrast (``but``,
``while``, ``although``, ``;`` …, ``CONTRAST``) so that the other side of a "but" does not
count, with the mention replaced by a neutral placeholder so that a name never carries
tone itself. VADER's negation rules see the words before a sentiment word as usual, so
"did not praise" stays negative inside the window.

``choose_window`` picks the window size on NewsMTSC's training split only (macro-F1, with
class boundaries from the same split); ``usrussia.sentiment.news_validation`` compares
the variants on the held-out multi-target split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia.sentiment.classes import class_scores, fit_boundaries
from usrussia.sentiment.features import prepare
from usrussia.sentiment.model import ToneRegressor
from usrussia.text.tokens import TOKEN_PATTERN

PLACEHOLDER = "targetmention"  # stands for the mention: in no lexicon, no fitted vocabulary
# Words and marks a window does not cross: contrast and concession, and clause breaks.
CONTRAST = re.compile(
    r"(?i)(?<!\w)(?:but|while|whereas|although|though|however|yet|despite|instead)(?!\w)"
    r"|[;:—–]| - "
)
WINDOWS: tuple[int | None, ...] = (4, 8, 12, 16, None)  # words each side; None: to the breaks
_WORD = re.compile(TOKEN_PATTERN)


def target_window(sentence: str, start: int, end: int, words: int | None = 8) -> str:
    """The text around one mention with the mention masked: what its tone is read from.

    Parameters
    ----------
    sentence : str
    start, end : int
        The mention is ``sentence[start:end]``.
    words : int or None
        At most this many words on each side; None: as far as the contrast breaks.

    Returns
    -------
    str
        From the first to the last word kept, the mention replaced by ``PLACEHOLDER``,
        never across a ``CONTRAST`` on either side of the mention.
    """
    left_stop = max((m.end() for m in CONTRAST.finditer(sentence, 0, start)), default=0)
    right_stop = next((m.start() for m in CONTRAST.finditer(sentence, end)), len(sentence))
    before = [m for m in _WORD.finditer(sentence, left_stop, start)]
    after = [m for m in _WORD.finditer(sentence, end, right_stop)]
    if words is not None:
        before, after = before[len(before) - words :] if words else [], after[:words]
    left = before[0].start() if before else start
    right = after[-1].end() if after else end
    return f"{sentence[left:start]}{PLACEHOLDER}{sentence[end:right]}"


def target_windows(
    sentences: Sequence[str], starts: Sequence[int], ends: Sequence[int], words: int | None
) -> list[str]:
    """``target_window`` of each (sentence, start, end)."""
    spans = zip(sentences, starts, ends, strict=True)
    return [target_window(s, int(a), int(b), words) for s, a, b in spans]


def target_tone(
    model: ToneRegressor,
    sentences: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    words: int | None,
) -> np.ndarray:
    """The recommended score of each mention's window (``target_window``).

    Parameters
    ----------
    model : ToneRegressor
    sentences : sequence of str
    starts, ends : sequence of int
        Where each mention is.
    words : int or None
        The window (``target_window``).

    Returns
    -------
    ndarray
        One score per mention, on the model's scale.
    """
    return model.predict_features(*prepare(target_windows(sentences, starts, ends, words)))


def masked_sentences(frame: pd.DataFrame) -> list[str]:
    """Each target's whole sentence with its mention masked (the widest window)."""
    return [
        f"{s[:a]}{PLACEHOLDER}{s[b:]}"
        for s, a, b in zip(frame["sentence"], frame["start"], frame["end"], strict=True)
    ]


def choose_window(
    model: ToneRegressor, train: pd.DataFrame, windows: Sequence[int | None] = WINDOWS
) -> tuple[int | None, dict[str, Any]]:
    """The window whose targeted tone classifies NewsMTSC's training targets best.

    Each window's boundaries are fitted on the same training targets; the window with the
    best macro-F1 is chosen (ties: the first in ``windows``). Nothing of the test splits
    is used.

    Parameters
    ----------
    model : ToneRegressor
        The score read from the windows.
    train : DataFrame
        ``load_newsmtsc("train")``.
    windows : sequence of int or None

    Returns
    -------
    words : int or None
        The chosen window.
    by_window : dict
        Per window (``"all"`` for None): its training macro-F1.
    """
    f1 = {}
    for words in windows:
        tone = target_tone(model, train["sentence"], train["start"], train["end"], words)
        labels = train["polarity"]
        f1[words] = class_scores(tone, labels, fit_boundaries(tone, labels))["macro_f1"]
    best = max(f1.values())
    chosen = next(w for w in windows if f1[w] == best)
    return chosen, {("all" if w is None else str(w)): round(v, 4) for w, v in f1.items()}
