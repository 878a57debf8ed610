"""Resampling statistics and effect sizes: the one home of bootstrap intervals, permutation
p-values, Cohen's d, Cliff's delta and p-value adjustment for many comparisons.

Sign convention: every difference is group_b minus group_a (positive: group_b scores higher),
and both effect sizes point the same way. Every random step uses a ``numpy`` Generator seeded
with ``seed`` (default ``config.SEED``) and is vectorised over resamples, in chunks bounded
by memory.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config

STATISTICS: dict[str, Callable[..., np.ndarray]] = {"mean": np.mean, "median": np.median}
N_RESAMPLES = 5000
_BUDGET = 4_000_000  # array elements per chunk of resamples (memory bound, not a result)


def _as_values(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _check(statistic: str, n_resamples: int, confidence: float = 0.95) -> None:
    """Raise ``ValueError`` for a setting no comparison can use."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {sorted(STATISTICS)}, got {statistic!r}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")


def _chunk_sizes(total: int, width: int) -> Iterator[int]:
    """Resample counts per chunk so a chunk holds at most ``_BUDGET`` elements."""
    step = max(1, _BUDGET // max(width, 1))
    for start in range(0, total, step):
        yield min(step, total - start)


def _resample_indices(
    rng: np.random.Generator, n: int, size: int, strata: np.ndarray | None
) -> np.ndarray:
    """``(size, n)`` row indices drawn with replacement, within each stratum when given."""
    if strata is None:
        return rng.integers(0, n, size=(size, n))
    parts = []
    for code in np.unique(strata):
        positions = np.flatnonzero(strata == code)
        parts.append(positions[rng.integers(0, positions.size, size=(size, positions.size))])
    return np.concatenate(parts, axis=1)


def _bootstrap_stats(
    x: np.ndarray,
    n_resamples: int,
    rng: np.random.Generator,
    strata: np.ndarray | None = None,
    statistics: Sequence[str] = ("mean",),
) -> dict[str, np.ndarray]:
    """Bootstrap distributions of each statistic of ``x`` (rows resampled)."""
    out = {s: np.empty((n_resamples, *x.shape[1:])) for s in statistics}
    start = 0
    for size in _chunk_sizes(n_resamples, x.size):
        sample = x[_resample_indices(rng, x.shape[0], size, strata)]
        for s in statistics:
            out[s][start : start + size] = STATISTICS[s](sample, axis=1)
        start += size
    return out


def _strata_codes(strata: Any, n: int) -> np.ndarray | None:
    if strata is None:
        return None
    codes = pd.factorize(pd.Series(np.asarray(strata, dtype=object)).fillna("unknown"))[0]
    if codes.size != n:
        raise ValueError(f"strata has {codes.size} labels for {n} values")
    return codes


def _percentile(dist: np.ndarray, confidence: float) -> tuple[Any, Any]:
    """The percentile interval of a bootstrap distribution: two floats for one statistic,
    two arrays (one bound per column) for a resamples x columns distribution."""
    alpha = 1.0 - confidence
    low, high = np.quantile(dist, [alpha / 2, 1 - alpha / 2], axis=0)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


def bootstrap_diff(
    a: Any,
    b: Any,
    *,
    statistic: str = "mean",
    n_resamples: int = N_RESAMPLES,
    confidence: float = 0.95,
    seed: int = config.SEED,
    strata_a: Any = None,
    strata_b: Any = None,
) -> tuple[Any, Any]:
    """Percentile bootstrap interval of ``statistic(b) - statistic(a)``.

    Each group's documents are resampled with replacement independently (within each
    stratum when strata are given, e.g. by source, so every resample keeps the groups'
    source mix; a stratum of one document adds no variance).

    Parameters
    ----------
    a, b : array-like
        Values of the two groups, at least 2 rows each; 1-D, or 2-D (documents x columns,
        e.g. topic shares), whole rows resampled.
    statistic : {"mean", "median"}
    n_resamples : int
    confidence : float
        Coverage of the interval, between 0 and 1.
    seed : int
        Seed of the ``numpy`` Generator.
    strata_a, strata_b : array-like, optional
        A stratum label per document of each group.

    Returns
    -------
    (low, high) : two floats, or two arrays (one bound per column) for 2-D input
    """
    _check(statistic, n_resamples, confidence)
    a, b = _as_values(a), _as_values(b)
    if min(a.shape[0], b.shape[0]) < 2:
        raise ValueError("bootstrap_diff needs at least 2 documents in each group")
    rng = np.random.default_rng(seed)
    codes_a, codes_b = _strata_codes(strata_a, a.shape[0]), _strata_codes(strata_b, b.shape[0])
    dist_a = _bootstrap_stats(a, n_resamples, rng, codes_a, (statistic,))
    dist_b = _bootstrap_stats(b, n_resamples, rng, codes_b, (statistic,))
    return _percentile(dist_b[statistic] - dist_a[statistic], confidence)


def bootstrap_ci(
    x: Any,
    *,
    statistic: str = "mean",
    n_resamples: int = N_RESAMPLES,
    confidence: float = 0.95,
    seed: int = config.SEED,
    strata: Any = None,
) -> tuple[Any, Any]:
    """Percentile bootstrap interval of ``statistic(x)`` over rows (documents).

    Parameters
    ----------
    x : array-like
        At least 2 rows; 1-D, or 2-D (documents x columns), whole rows resampled.
    statistic : {"mean", "median"}
    n_resamples : int
    confidence : float
        Coverage of the interval, between 0 and 1.
    seed : int
        Seed of the ``numpy`` Generator.
    strata : array-like, optional
        A stratum label per row; rows are resampled within their stratum.

    Returns
    -------
    (low, high) : two floats, or two arrays (one bound per column) for 2-D input
    """
    _check(statistic, n_resamples, confidence)
    x = _as_values(x)
    if x.shape[0] < 2:
        raise ValueError("bootstrap_ci needs at least 2 rows")
    rng = np.random.default_rng(seed)
    dist = _bootstrap_stats(x, n_resamples, rng, _strata_codes(strata, x.shape[0]), (statistic,))
    return _percentile(dist[statistic], confidence)


def _split_orders(n: int, n_a: int, n_resamples: int, rng: np.random.Generator) -> Iterator:
    """Chunks of row orders of the pooled sample; the first ``n_a`` positions form group a.

    Enumerates every split exactly when there are at most ``n_resamples`` of them.
    """
    if math.comb(n, n_a) <= n_resamples:
        combos = np.array(list(itertools.combinations(range(n), n_a)), dtype=np.int64)
        mask = np.zeros((len(combos), n), dtype=bool)
        mask[np.arange(len(combos))[:, None], combos] = True
        yield np.argsort(~mask, axis=1, kind="stable")
        return
    for size in _chunk_sizes(n_resamples, n):
        yield rng.permuted(np.tile(np.arange(n), (size, 1)), axis=1)


def permutation_pvalue(
    a: Any,
    b: Any,
    *,
    statistic: str = "mean",
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
) -> float:
    """Two-sided permutation p-value of ``statistic(b) - statistic(a)``.

    Group labels are shuffled over the pooled documents; p is the share of shuffles with a
    difference at least as large in absolute value as the observed one, counting the
    observed split ((k + 1) / (n_resamples + 1)), or the exact share when every split can
    be enumerated within ``n_resamples``.

    Parameters
    ----------
    a, b : array-like
        1-D values, at least one per group.
    statistic : {"mean", "median"}
    n_resamples : int
    seed : int
        Seed of the ``numpy`` Generator.

    Returns
    -------
    p_value : float
    """
    _check(statistic, n_resamples)
    a, b = _as_values(a), _as_values(b)
    if min(a.size, b.size) < 1:
        raise ValueError("permutation_pvalue needs at least 1 value in each group")
    stat = STATISTICS[statistic]
    pooled = np.concatenate([a, b])
    observed = float(stat(b) - stat(a))
    tolerance = abs(observed) * np.finfo(float).eps * 100
    rng = np.random.default_rng(seed)
    exact = math.comb(pooled.size, a.size) <= n_resamples
    extreme = total = 0
    for orders in _split_orders(pooled.size, a.size, n_resamples, rng):
        sample = pooled[orders]
        null = stat(sample[:, a.size :], axis=1) - stat(sample[:, : a.size], axis=1)
        extreme += int(np.count_nonzero(np.abs(null) >= abs(observed) - tolerance))
        total += orders.shape[0]
    if exact:
        return extreme / total
    return (extreme + 1) / (total + 1)


def cohens_d(a: Any, b: Any) -> float:
    """Cohen's d: (mean(b) - mean(a)) / pooled standard deviation (ddof=1).

    Parameters
    ----------
    a, b : array-like
        1-D values of the two groups.

    Returns
    -------
    d : float
        NaN with fewer than 2 values in a group or no spread.
    """
    a, b = _as_values(a), _as_values(b)
    if a.size < 2 or b.size < 2:
        return float("nan")
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    if pooled <= 0:
        return float("nan")
    return float((b.mean() - a.mean()) / math.sqrt(pooled))


def cliffs_delta(a: Any, b: Any) -> float:
    """Cliff's delta: P(b > a) - P(b < a) over all pairs (ties count as neither).

    Parameters
    ----------
    a, b : array-like
        1-D values of the two groups.

    Returns
    -------
    delta : float
        In [-1, 1]; NaN for an empty group.
    """
    a, b = _as_values(a), _as_values(b)
    if a.size == 0 or b.size == 0:
        return float("nan")
    a_sorted = np.sort(a)
    greater = np.searchsorted(a_sorted, b, side="left").sum()  # pairs with a < b
    less = (a.size - np.searchsorted(a_sorted, b, side="right")).sum()  # pairs with a > b
    return float((greater - less) / (a.size * b.size))


def adjust_pvalues(p_values: Any, method: str = "holm") -> np.ndarray:
    """Holm or Benjamini-Hochberg adjusted p-values (``statsmodels``).

    Parameters
    ----------
    p_values : array-like
        NaN for comparisons that could not be tested: they stay NaN and do not count
        towards the number of comparisons.
    method : {"holm", "fdr_bh"}

    Returns
    -------
    adjusted : ndarray of the shape of ``p_values``
    """
    from statsmodels.stats.multitest import multipletests

    p = _as_values(p_values)
    out = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    if tested.any():
        out[tested] = multipletests(p[tested], method=method)[1]
    return out
