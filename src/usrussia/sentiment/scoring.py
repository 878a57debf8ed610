"""Scoring sentences and documents: the one home of document aggregation and targeted tone.

Every measure is scored sentence by sentence (``usrussia.text.sentences.split_sentences``) and
then aggregated to the document, because VADER's compound score saturates towards +-1 when
a whole article is scored at once. Targeted tone (``tone_russia``, ``tone_us``) is the mean
``score`` of the sentences that name the target, with the aliases of
``data/external/entity_aliases.csv`` (``target_patterns``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia.corpus import selection
from usrussia.io import progress as progress_bar
from usrussia.sentiment.features import prepare
from usrussia.sentiment.lexicons import lexicon_tone
from usrussia.sentiment.model import load_model
from usrussia.sentiment.vader import THRESHOLD
from usrussia.text.sentences import split_sentences

TARGETS = {"russia": "russia", "united_states": "us"}  # alias-table target -> column suffix
MEASURES = ("score", "vader_compound", "lexicon_tone")  # the recommended one first
# Every per-document tone measure of score_documents (targeted tone last).
TONE_MEASURES = (*MEASURES, *(f"tone_{suffix}" for suffix in TARGETS.values()))


def _unique(items: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct items in first-seen order, and each item's position among them."""
    position: dict[str, int] = {}
    inverse = np.fromiter(
        (position.setdefault(s, len(position)) for s in items), np.int64, len(items)
    )
    return list(position), inverse


def score_sentences(sentences: Sequence[str]) -> pd.DataFrame:
    """Score each sentence: VADER, lexicon tone and the recommended ``score``.

    Returns one row per sentence, in order, with ``vader_compound``, ``vader_pos``,
    ``vader_neg``, ``vader_neu``, ``lexicon_tone`` (0 for a sentence without words),
    ``score``, ``n_words``, ``n_pos_words``, ``n_neg_words`` and the model's other features.
    A sentence is measured once however often it occurs (every measure is the sentence's
    own, so a repeat gets the same row).
    """
    unique, inverse = _unique([s if isinstance(s, str) else "" for s in sentences])
    features = _score_distinct(unique)
    if len(unique) == len(inverse):
        return features
    return features.iloc[inverse].reset_index(drop=True)


def _score_distinct(sentences: list[str]) -> pd.DataFrame:
    """``score_sentences`` of sentences that are all different (each is measured once)."""
    features, words = prepare(sentences)
    features["score"] = load_model().predict_features(features, words)
    return features


@functools.lru_cache(maxsize=1)
def target_patterns() -> dict[str, re.Pattern[str]]:
    """The matcher of each target (by column suffix): ``usrussia.corpus.selection``'s."""
    patterns = selection.target_patterns()
    return {suffix: patterns[target] for target, suffix in TARGETS.items()}


# The sentence measures the documents' ones are aggregated from.
_AGGREGATED = ["vader_compound", "score", "n_pos_words", "n_neg_words", "n_words"]


def _aggregate(scored: pd.DataFrame, doc: np.ndarray, n_docs: int, targets: bool) -> pd.DataFrame:
    """Document rows from sentence rows (``doc`` gives each sentence's document index)."""
    groups = scored.assign(
        doc=doc,
        pos=scored["vader_compound"] >= THRESHOLD,
        neg=scored["vader_compound"] <= -THRESHOLD,
    ).groupby("doc")
    out = pd.DataFrame(index=pd.RangeIndex(n_docs))
    means = groups[["vader_compound", "pos", "neg", "score"]].mean()
    out["vader_compound"] = means["vader_compound"]
    out["vader_pos_share"] = means["pos"]
    out["vader_neg_share"] = means["neg"]
    sums = groups[["n_pos_words", "n_neg_words", "n_words"]].sum().reindex(out.index)
    out["lexicon_tone"] = lexicon_tone(sums["n_pos_words"], sums["n_neg_words"], sums["n_words"])
    out["score"] = means["score"]
    out["n_sentences"] = groups.size().reindex(out.index).fillna(0).astype(np.int64)
    if targets:
        for suffix in TARGETS.values():
            mentions = scored[f"mentions_{suffix}"].to_numpy()
            target_groups = scored.loc[mentions, "score"].groupby(doc[mentions])
            out[f"tone_{suffix}"] = target_groups.mean()
            counts = target_groups.size().reindex(out.index).fillna(0)
            out[f"n_sentences_{suffix}"] = counts.astype(np.int64)
    return out


def score_documents(
    texts: Iterable[str], targets: bool = True, progress: str | None = None, batch: int = 500
) -> pd.DataFrame:
    """Score documents sentence by sentence and aggregate; one row per text, in order.

    Columns: ``vader_compound`` (mean of sentence compounds), ``vader_pos_share`` and
    ``vader_neg_share`` (share of sentences >= 0.05 / <= -0.05), ``lexicon_tone`` (GDELT
    tone over all the document's words), ``score`` (mean sentence score), ``n_sentences``;
    with ``targets`` also ``tone_russia``, ``tone_us`` (mean score of the sentences naming
    the target, NaN when none does) and ``n_sentences_russia``, ``n_sentences_us``.
    A text that is missing or has no sentence gets NaN scores and ``n_sentences`` 0.
    ``progress`` is the progress bar's label (no bar when ``None``).
    """
    texts = list(texts)
    parts: list[pd.DataFrame] = []
    pending: list[Any] = []
    for text in progress_bar(texts, desc=progress, unit="doc"):
        pending.append(text)
        if len(pending) == batch:
            parts.append(_score_batch(pending, targets))
            pending = []
    if pending or not parts:
        parts.append(_score_batch(pending, targets))
    return pd.concat(parts, ignore_index=True)


def _score_batch(texts: list[Any], targets: bool) -> pd.DataFrame:
    """Split a batch of texts into sentences, score them, and aggregate per text."""
    sentences: list[str] = []
    doc: list[int] = []
    for i, text in enumerate(texts):
        split = split_sentences(text) if isinstance(text, str) else []
        sentences.extend(split)
        doc.extend([i] * len(split))
    unique, inverse = _unique(sentences)
    scored = _score_distinct(unique)[_AGGREGATED]
    if targets:
        for suffix, pattern in target_patterns().items():
            scored[f"mentions_{suffix}"] = np.fromiter(
                (pattern.search(s) is not None for s in unique), bool, len(unique)
            )
    scored = scored.iloc[inverse].reset_index(drop=True)
    return _aggregate(scored, np.array(doc, dtype=np.int64), len(texts), targets)
