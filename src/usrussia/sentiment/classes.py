"""Three classes from a continuous tone: boundaries learned on training data, the scores of
a classification (macro-F1, accuracy) and a paired, clustered bootstrap of a difference.

A measure (VADER's compound, the lexicon tone, the recommended score) is continuous; the
human labels of NewsMTSC are negative, neutral, positive. ``fit_boundaries`` chooses the
two cuts that maximise macro-F1 on the training split only, so the test splits judge the
measure and not the cuts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from usrussia import config

LABELS = (-1, 0, 1)  # negative, neutral, positive
N_CUTS = 200  # candidate cuts: between the values at 200 evenly spaced ranks (0.5% apart)
BOOTSTRAP = 2000  # resamples of the paired bootstrap


@dataclass(frozen=True)
class Boundaries:
    """Negative below ``low``, positive from ``high`` on, neutral between."""

    low: float
    high: float

    def classify(self, values: Any) -> np.ndarray:
        """-1, 0 or +1 for each value."""
        values = np.asarray(values, dtype=np.float64)
        return np.where(values < self.low, -1, np.where(values >= self.high, 1, 0))


def _confusion(labels: np.ndarray, predicted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted 3 x 3 counts (true class, predicted class), each row of ``weights`` apart."""
    cell = (np.asarray(labels) + 1) * 3 + (np.asarray(predicted) + 1)
    onehot = np.zeros((len(cell), 9))
    onehot[np.arange(len(cell)), cell] = 1.0
    return (np.atleast_2d(weights) @ onehot).reshape(-1, 3, 3)


def _macro_f1_of(confusion: np.ndarray) -> np.ndarray:
    """Macro-F1 of each confusion matrix (a class never true nor predicted scores 0)."""
    tp = np.diagonal(confusion, axis1=-2, axis2=-1)
    total = confusion.sum(axis=-1) + confusion.sum(axis=-2)
    f1 = np.divide(2 * tp, total, out=np.zeros_like(tp), where=total > 0)
    return f1.mean(axis=-1)


def macro_f1(labels: Any, predicted: Any) -> float:
    """The mean over the three classes of each class's F1 (scikit-learn's ``macro``).

    Parameters
    ----------
    labels, predicted : array-like of -1, 0, +1

    Returns
    -------
    float
    """
    labels = np.asarray(labels)
    return float(_macro_f1_of(_confusion(labels, predicted, np.ones(len(labels))))[0])


def _cuts(values: np.ndarray, n_cuts: int) -> np.ndarray:
    """Candidate cuts: -inf, +inf and midpoints between distinct values at spaced ranks."""
    distinct = np.unique(values)
    ranks = np.unique(np.linspace(0, len(distinct) - 1, n_cuts + 1).round().astype(np.int64))
    ranks = ranks[ranks < len(distinct) - 1]
    middles = (distinct[ranks] + distinct[ranks + 1]) / 2
    return np.concatenate([[-np.inf], middles, [np.inf]])


def fit_boundaries(values: Any, labels: Any, n_cuts: int = N_CUTS) -> Boundaries:
    """The two cuts with the best macro-F1 on (training) values and their labels.

    Every pair of candidate cuts (``low <= high``, each halfway between two distinct
    values, so no value lies on a cut and a difference in a value's last digits cannot
    move it across) is scored at once from cumulative class counts; ties go to the
    smallest ``low``, then the smallest ``high``.

    Parameters
    ----------
    values : array-like of float
        The measure on the training split.
    labels : array-like of -1, 0, +1
        The human labels.
    n_cuts : int
        About how many candidate cuts (at evenly spaced ranks of the distinct values).

    Returns
    -------
    Boundaries
    """
    values, labels = np.asarray(values, dtype=np.float64), np.asarray(labels)
    cuts = _cuts(values, n_cuts)
    order = np.argsort(values, kind="stable")
    below = np.searchsorted(values[order], cuts, side="left")
    cumulative = np.zeros((len(values) + 1, 3))
    for k, label in enumerate(LABELS):
        cumulative[1:, k] = np.cumsum(labels[order] == label)
    counts = cumulative[below]  # per cut: how many of each class lie below it
    total = cumulative[-1]
    low, high = counts[:, None, :], counts[None, :, :]
    regions = (low, high - low, total - high)  # predicted negative, neutral, positive

    def f1(region: np.ndarray, k: int) -> np.ndarray:
        denominator = region.sum(axis=-1) + total[k]
        return np.divide(2 * region[..., k], denominator, out=np.zeros(region.shape[:2]),
                         where=denominator > 0)  # fmt: skip

    scores = sum(f1(r, k) for k, r in enumerate(regions)) / 3
    scores[np.tril_indices(len(cuts), -1)] = -1.0  # low > high
    i, j = np.unravel_index(np.argmax(scores), scores.shape)
    return Boundaries(float(cuts[i]), float(cuts[j]))


def class_scores(values: Any, labels: Any, boundaries: Boundaries) -> dict[str, float]:
    """How a measure classifies: macro-F1, accuracy, and Spearman r with the labels.

    Parameters
    ----------
    values : array-like of float
    labels : array-like of -1, 0, +1
    boundaries : Boundaries

    Returns
    -------
    dict
        ``n``, ``macro_f1``, ``accuracy``, ``spearman_r`` (of the continuous values).
    """
    values, labels = np.asarray(values, dtype=np.float64), np.asarray(labels)
    predicted = boundaries.classify(values)
    return {
        "n": int(len(labels)),
        "macro_f1": macro_f1(labels, predicted),
        "accuracy": float(np.mean(predicted == labels)),
        "spearman_r": float(spearmanr(values, labels)[0]),
    }


def bootstrap_difference(
    labels: Any,
    predicted_a: Any,
    predicted_b: Any,
    clusters: Sequence[Any],
    n: int = BOOTSTRAP,
    seed: int = config.SEED,
) -> tuple[float, float, float]:
    """Macro-F1 of B minus A, with a 95% percentile interval from a paired bootstrap.

    Clusters (sentences: the targets of one sentence are not independent) are resampled
    with replacement, the same resample for A and B.

    Parameters
    ----------
    labels, predicted_a, predicted_b : array-like of -1, 0, +1
    clusters : sequence
        The cluster of each item.
    n, seed : int

    Returns
    -------
    (difference, low, high)
    """
    labels = np.asarray(labels)
    _, cluster = np.unique(np.asarray(clusters), return_inverse=True)
    n_clusters = int(cluster.max()) + 1
    draws = np.random.default_rng(seed).integers(0, n_clusters, size=(n, n_clusters))
    per_cluster = np.stack([np.bincount(row, minlength=n_clusters) for row in draws])
    weights = per_cluster[:, cluster].astype(np.float64)
    a = _macro_f1_of(_confusion(labels, predicted_a, weights))
    b = _macro_f1_of(_confusion(labels, predicted_b, weights))
    low, high = np.percentile(b - a, [2.5, 97.5])
    return macro_f1(labels, predicted_b) - macro_f1(labels, predicted_a), float(low), float(high)
