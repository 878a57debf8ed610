"""Agreement statistics: Krippendorff's alpha, Cohen's and Fleiss' kappa, percent agreement.

Reliability data: a units x coders array of numeric codes, NaN for a missing code. Missing
codes are handled as Krippendorff (2011) does: a unit with fewer than two codes drops out.

Every statistic is computed from per-unit tables weighted by how often each unit is drawn:
once for the estimate, with replacement for the bootstrap (``n_resamples`` times, seeded;
percentile interval), so an interval always belongs to its estimate. Human-vs-machine
agreement: ``usrussia.validate.machine_agreement``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from usrussia import config

LEVELS = config.ALPHA_LEVELS
N_RESAMPLES = 1000
CONFIDENCE = 0.95
_BUDGET = 4_000_000  # floats held per bootstrap chunk (resamples x table size)


def codes_matrix(data: Any) -> np.ndarray:
    """A float units x coders array of codes; ``None`` and NaN are missing codes.

    Raises ``ValueError`` when the data are not a 2-D array of numbers.
    """
    try:
        matrix = np.array(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("codes must be numbers, with NaN or None for a missing code") from exc
    if matrix.ndim != 2:
        raise ValueError(f"expected a units x coders array, got {matrix.ndim} dimension(s)")
    if np.isinf(matrix).any():
        raise ValueError("codes must be finite numbers")
    return matrix


def _check_level(level: str, matrix: np.ndarray) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    if level == "ratio" and (matrix < 0).any():
        raise ValueError("ratio data cannot be negative (a ratio scale starts at zero)")


@dataclass(frozen=True)
class ValueTable:
    """How many codes of each value every unit received.

    ``values`` are the distinct codes, ascending; ``counts[u, v]`` is the number of coders
    who gave unit ``u`` the code ``values[v]``.
    """

    values: np.ndarray
    counts: np.ndarray

    @property
    def per_unit(self) -> np.ndarray:
        """The number of codes of each unit."""
        return self.counts.sum(axis=1)


def value_table(matrix: np.ndarray) -> ValueTable:
    """The ``ValueTable`` of every unit (row) of a units x coders code matrix."""
    present = ~np.isnan(matrix)
    values = np.unique(matrix[present])
    rows, cols = np.nonzero(present)
    counts = np.zeros((len(matrix), len(values)))
    np.add.at(counts, (rows, np.searchsorted(values, matrix[rows, cols])), 1.0)
    return ValueTable(values, counts)


def pairable(matrix: np.ndarray) -> np.ndarray:
    """The rows (units) that have at least two codes."""
    return (~np.isnan(matrix)).sum(axis=1) >= 2


def _distance(values: np.ndarray, level: str) -> np.ndarray:
    """Krippendorff's squared difference between every two values (not ordinal)."""
    c, k = values[:, None], values[None, :]
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = ((c - k) / (c + k)) ** 2
    return np.nan_to_num(ratio, nan=0.0)  # c + k = 0 only where c = k = 0


def _ordinal_distance(marginals: np.ndarray) -> np.ndarray:
    """Ordinal squared differences for each row of value frequencies (resamples x V x V).

    delta(c, k) = (n_c + ... + n_k - (n_c + n_k) / 2) ** 2, which equals
    (cum_k - cum_c + (n_c - n_k) / 2) ** 2 for either order of c and k.
    """
    cum = np.cumsum(marginals, axis=1)
    n = marginals
    return (cum[:, None, :] - cum[:, :, None] + (n[:, :, None] - n[:, None, :]) / 2) ** 2


def _alpha_statistic(table: ValueTable, level: str) -> tuple[Callable, int]:
    """alpha as a function of unit weights (resamples x units), and its size per resample."""
    counts, m = table.counts, table.per_unit
    n_values = len(table.values)
    if level == "ordinal":
        pairs = (counts[:, :, None] * counts[:, None, :]).reshape(len(counts), -1)
        pairs = sparse.csr_matrix(pairs / (m - 1)[:, None])

        def disagreements(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            marginals = w @ counts
            delta = _ordinal_distance(marginals)
            coincidences = np.asarray((pairs.T @ w.T).T).reshape(delta.shape)
            observed = (coincidences * delta).sum(axis=(1, 2))
            expected = np.einsum("bc,bck,bk->b", marginals, delta, marginals)
            return observed, expected

        size = n_values * n_values
    else:
        delta = _distance(table.values, level)
        per_unit = ((counts @ delta) * counts).sum(axis=1) / (m - 1)

        def disagreements(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            marginals = w @ counts
            return w @ per_unit, ((marginals @ delta) * marginals).sum(axis=1)

        size = n_values

    def alpha(w: np.ndarray) -> np.ndarray:
        observed, expected = disagreements(w)
        total = w @ m
        with np.errstate(invalid="ignore", divide="ignore"):
            value = 1.0 - (total - 1.0) * observed / expected
        return np.where(expected > 0, value, np.nan)

    return alpha, size


def _estimate(statistic: Callable[[np.ndarray], np.ndarray], n_units: int) -> float:
    """The statistic with every unit drawn once."""
    return float(statistic(np.ones((1, n_units)))[0]) if n_units else math.nan


def bootstrap_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    n_units: int,
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
    confidence: float = CONFIDENCE,
    size: int = 1,
) -> tuple[float, float] | None:
    """Percentile interval of a statistic over resamples of the units (with replacement).

    Parameters
    ----------
    statistic : callable
        Maps unit weights (resamples x units: how often each unit was drawn) to one value
        per resample.
    n_units : int
        How many units there are to draw.
    n_resamples, seed, confidence
        The number of resamples, the seed of ``numpy.random.default_rng`` and the coverage.
    size : int
        Floats the statistic holds per resample (the resamples are computed in chunks).

    Returns
    -------
    (low, high), or None when there is nothing to resample or no resample is defined.
    """
    if n_units == 0 or n_resamples < 1:
        return None
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_resamples, _BUDGET // (size + n_units)))
    values = []
    for start in range(0, n_resamples, chunk):
        b = min(chunk, n_resamples - start)
        draws = rng.integers(0, n_units, size=(b, n_units)) + n_units * np.arange(b)[:, None]
        weights = np.bincount(draws.ravel(), minlength=b * n_units).reshape(b, n_units)
        values.append(statistic(weights.astype(float)))
    values = np.concatenate(values)
    if np.isnan(values).all():
        return None
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha of a units x coders array of codes (NaN: no code).

    Parameters
    ----------
    data : array-like
        One row per unit, one column per coder; missing codes are NaN or None.
    level : {"nominal", "ordinal", "interval", "ratio"}
        The metric of the differences between codes.

    Returns
    -------
    alpha, or NaN when it is undefined (no pairable unit, or all codes the same).
    """
    matrix = codes_matrix(data)
    _check_level(level, matrix)
    table = value_table(matrix[pairable(matrix)])
    statistic, _ = _alpha_statistic(table, level)
    return _estimate(statistic, len(table.counts))


def _cohen_statistic(a: np.ndarray, b: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Cohen's kappa of two coders' codes (units both coded) as a function of unit weights."""
    categories = np.unique(np.concatenate([a, b]))
    one_a = (a[:, None] == categories).astype(float)
    one_b = (b[:, None] == categories).astype(float)
    agree = (a == b).astype(float)

    def kappa(w: np.ndarray) -> np.ndarray:
        total = w.sum(axis=1)
        observed = w @ agree / total
        expected = ((w @ one_a) * (w @ one_b)).sum(axis=1) / total**2
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (observed - expected) / (1.0 - expected)
        return np.where(expected < 1.0, value, np.nan)

    return kappa


def cohen_kappa(a: Sequence[float], b: Sequence[float]) -> float:
    """Cohen's (1960) kappa of two coders over the units both coded (NaN: no code).

    Returns NaN when it is undefined (no unit coded by both, or one category only).
    """
    a, b = codes_matrix(np.column_stack([a, b])).T
    both = ~np.isnan(a) & ~np.isnan(b)
    return _estimate(_cohen_statistic(a[both], b[both]), int(both.sum()))


def _fleiss_statistic(matrix: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Fleiss' kappa of units coded by every coder, as a function of unit weights."""
    counts = value_table(matrix).counts
    raters = matrix.shape[1]
    per_unit = ((counts**2).sum(axis=1) - raters) / (raters * (raters - 1))

    def kappa(w: np.ndarray) -> np.ndarray:
        total = w.sum(axis=1)
        observed = w @ per_unit / total
        expected = (((w @ counts) / (raters * total[:, None])) ** 2).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (observed - expected) / (1.0 - expected)
        return np.where(expected < 1.0, value, np.nan)

    return kappa


def fleiss_kappa(data: Any) -> float:
    """Fleiss' (1971) kappa over the units that every coder coded (codes as categories).

    Returns NaN when it is undefined (fewer than two coders, no complete unit, or one
    category only).
    """
    matrix = codes_matrix(data)
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    if matrix.shape[1] < 2:
        return math.nan
    return _estimate(_fleiss_statistic(complete), len(complete))


def _percent_statistic(table: ValueTable) -> Callable[[np.ndarray], np.ndarray]:
    """Share of agreeing pairs of codes within units, as a function of unit weights."""
    agreeing = (table.counts * (table.counts - 1)).sum(axis=1)
    m = table.per_unit
    pairs = m * (m - 1)
    return lambda w: (w @ agreeing) / (w @ pairs)


def percent_agreement(data: Any) -> float:
    """Share of pairs of codes within a unit that agree, over the pairable units.

    With two coders it is the share of units both coded in which they gave the same code.
    """
    matrix = codes_matrix(data)
    table = value_table(matrix[pairable(matrix)])
    return _estimate(_percent_statistic(table), len(table.counts))


def _with_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    n_units: int,
    n_resamples: int,
    seed: int,
    confidence: float,
    size: int = 1,
) -> dict[str, Any]:
    """``value`` and bootstrap ``interval`` of one statistic over ``n_units`` units."""
    value = _estimate(statistic, n_units)
    interval = (
        bootstrap_interval(statistic, n_units, n_resamples, seed, confidence, size)
        if math.isfinite(value)
        else None
    )
    return {"value": value if math.isfinite(value) else None, "interval": interval}


def reliability(
    data: Any,
    level: str,
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
    confidence: float = CONFIDENCE,
) -> dict[str, Any]:
    """Inter-coder reliability of a units x coders array of codes, with bootstrap intervals.

    Parameters
    ----------
    data : array-like
        One row per unit, one column per coder; NaN or None where a coder gave no code.
    level : {"nominal", "ordinal", "interval", "ratio"}
        The metric of Krippendorff's alpha. The kappas and percent agreement treat codes as
        categories whatever the level.
    n_resamples, seed, confidence
        The unit bootstrap: resamples, seed and coverage of the percentile intervals.

    Returns
    -------
    dict
        ``alpha`` and its ``interval``, ``level``, ``n_units`` (rows), ``n_coders``,
        ``n_units_pairable`` and ``n_pairable`` (pairable values, Krippendorff's n),
        ``cohen_kappa``, ``fleiss_kappa`` and ``percent_agreement`` (each with ``value``,
        ``interval``, ``n_units``, and a ``note`` where it is undefined), ``bootstrap``
        and ``notes``.
    """
    matrix = codes_matrix(data)
    _check_level(level, matrix)
    n_units, n_coders = matrix.shape
    per_unit = (~np.isnan(matrix)).sum(axis=1)
    table = value_table(matrix[per_unit >= 2])
    n_pair = len(table.counts)
    boot = (n_resamples, seed, confidence)
    notes = []
    if (per_unit == 0).any():
        notes.append(f"{int((per_unit == 0).sum())} unit(s) have no code and are left out")
    if (per_unit == 1).any():
        notes.append(f"{int((per_unit == 1).sum())} unit(s) have one code only: not pairable")
    statistic, size = _alpha_statistic(table, level)
    alpha = _with_interval(statistic, n_pair, *boot, size=size)
    if alpha["value"] is None:
        notes.append(
            "alpha is undefined: no unit has two codes"
            if n_pair == 0
            else "alpha is undefined: every code is the same, so there is no variation"
        )
    percent = {**_with_interval(_percent_statistic(table), n_pair, *boot), "n_units": n_pair}
    if percent["value"] is None:
        percent["note"] = "undefined: no unit has two codes"
    return {
        "alpha": alpha["value"],
        "interval": alpha["interval"],
        "level": level,
        "n_units": n_units,
        "n_coders": n_coders,
        "n_units_pairable": n_pair,
        "n_pairable": int(table.per_unit.sum()),
        "cohen_kappa": _cohen_entry(matrix, boot),
        "fleiss_kappa": _fleiss_entry(matrix, boot),
        "percent_agreement": percent,
        "bootstrap": dict(
            method="units resampled with replacement; percentile interval",
            **dict(zip(("n_resamples", "seed", "confidence"), boot, strict=True)),
        ),
        "notes": notes,
    }


def _cohen_entry(matrix: np.ndarray, boot: tuple[int, int, float]) -> dict[str, Any]:
    if matrix.shape[1] != 2:
        return {"value": None, "interval": None, "n_units": 0, "note": "needs exactly 2 coders"}
    a, b = matrix.T
    both = ~np.isnan(a) & ~np.isnan(b)
    entry = _with_interval(_cohen_statistic(a[both], b[both]), int(both.sum()), *boot)
    entry["n_units"] = int(both.sum())
    if entry["value"] is None:
        entry["note"] = "undefined: no unit coded by both, or one category only"
    return entry


def _fleiss_entry(matrix: np.ndarray, boot: tuple[int, int, float]) -> dict[str, Any]:
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    entry = _with_interval(_fleiss_statistic(complete), len(complete), *boot)
    entry["n_units"] = len(complete)
    if entry["value"] is None:
        entry["note"] = "undefined: no unit coded by every coder, or one category only"
    elif len(complete) < len(matrix):
        entry["note"] = "over the units every coder coded"
    return entry
