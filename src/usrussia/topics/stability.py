"""Topic stability: the one home of matching topics between fits and of stability across seeds.

Topics of two fits over the same vocabulary are paired by Hungarian matching on the cosine of
their word loadings; stability is the mean matched similarity over every pair of seed fits.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from threadpoolctl import threadpool_limits

from usrussia.io import progress
from usrussia.topics.model import TopicModel


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (zero rows: 0)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    na = np.linalg.norm(a, axis=1, keepdims=True)
    nb = np.linalg.norm(b, axis=1, keepdims=True)
    return (a / np.where(na == 0, 1, na)) @ (b / np.where(nb == 0, 1, nb)).T


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair each topic of fit ``a`` with one topic of fit ``b`` (Hungarian matching).

    The pairing maximises the total cosine similarity of the paired loadings.

    Parameters
    ----------
    a, b : array-like of shape (n_topics, n_terms)
        Topic-word loadings of two fits over the same vocabulary.

    Returns
    -------
    partner : ndarray of shape (n_topics,)
        For topic ``i`` of ``a``, its partner in ``b``.
    similarity : ndarray of shape (n_topics,)
        The cosine similarity of each pair.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"topic matrices differ in shape: {a.shape} vs {b.shape}")
    sim = _cosine(a, b)
    rows, partner = linear_sum_assignment(sim, maximize=True)
    return partner[np.argsort(rows)], sim[rows, partner][np.argsort(rows)]


def stability(fits: Sequence[np.ndarray]) -> float:
    """Mean matched cosine similarity over every pair of fits.

    Parameters
    ----------
    fits : sequence of array-like of shape (n_topics, n_terms)
        Topic-word loadings of at least two fits.

    Returns
    -------
    float
        1.0 when every fit has the same topics.
    """
    if len(fits) < 2:
        raise ValueError("stability needs at least two fits")
    with threadpool_limits(limits=1):  # like the fits: the figure must not follow thread counts
        pairs = [match_topics(a, b)[1].mean() for a, b in itertools.combinations(fits, 2)]
    return float(np.mean(pairs))


def seed_fits(
    X, model: str, n_topics: int, seeds: Sequence[int], desc: str | None = None
) -> list[TopicModel]:
    """The same model fitted once per seed (for ``stability``).

    Parameters
    ----------
    X : sparse matrix of shape (n_documents, n_terms)
        Counts.
    model : str
        One of ``MODELS``.
    n_topics : int
        Number of topics.
    seeds : sequence of int
        One fit per seed.
    desc : str or None
        Label of the progress bar.

    Returns
    -------
    list of TopicModel
    """
    return [
        TopicModel(model=model, n_topics=n_topics, random_state=s).fit(X)
        for s in progress(seeds, desc=desc, unit="fit")
    ]
