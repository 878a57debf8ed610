"""Human-vs-machine agreement: the coders' consensus against an automatic measure.

An automatic measure is binned onto the coding scale with cut points fixed in advance
(``bin_to_scale``: the measure's native range is mapped linearly onto the codes and rounded
to the nearest code), never tuned on the coded data; then correlation, Krippendorff's alpha
between the consensus and the binned measure, and a confusion matrix are reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import pearsonr, spearmanr

from usrussia import config
from usrussia.validate.agreement import (
    CONFIDENCE,
    N_RESAMPLES,
    _alpha_statistic,
    _check_level,
    _with_interval,
    codes_matrix,
    value_table,
)


def consensus(data: Any, level: str) -> np.ndarray:
    """The coders' consensus code of each unit: NaN where there is none.

    Nominal: the most frequent code, when one code is more frequent than every other.
    Ordinal: the median, when it is a code (an even split between two codes has none).
    Interval and ratio: the mean of the codes.
    """
    matrix = codes_matrix(data)
    _check_level(level, matrix)
    m = (~np.isnan(matrix)).sum(axis=1)
    out = np.full(len(matrix), np.nan)
    if level in ("interval", "ratio"):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(m > 0, np.nansum(matrix, axis=1) / m, np.nan)
    if level == "ordinal":
        ordered = np.sort(matrix, axis=1)  # NaN last
        low = np.take_along_axis(ordered, np.maximum((m - 1) // 2, 0)[:, None], axis=1)[:, 0]
        high = np.take_along_axis(ordered, np.maximum(m // 2, 0)[:, None], axis=1)[:, 0]
        return np.where((m > 0) & (low == high), low, np.nan)
    table = value_table(matrix)
    if len(table.values):
        top = table.counts.max(axis=1)
        unique = (table.counts == top[:, None]).sum(axis=1) == 1
        out = np.where((m > 0) & unique, table.values[table.counts.argmax(axis=1)], np.nan)
    return out


def to_codes(values: Any, codes: Sequence[float]) -> np.ndarray:
    """Each value replaced by the nearest code; a value halfway goes to the higher code."""
    codes = np.sort(np.asarray(codes, dtype=float))
    values = np.asarray(values, dtype=float)
    cuts = (codes[1:] + codes[:-1]) / 2
    nearest = codes[np.searchsorted(cuts, np.nan_to_num(values), side="right")]
    return np.where(np.isnan(values), np.nan, nearest)


def bin_to_scale(
    values: Any, native_range: tuple[float, float], codes: Sequence[float]
) -> np.ndarray:
    """A measure binned onto the coding scale with cut points fixed in advance.

    The measure's ``native_range`` (low, high) is mapped linearly onto the lowest to the
    highest code, values outside it are clipped, and each is rounded to the nearest code.
    Nothing is fitted to the data.
    """
    low, high = native_range
    codes = np.sort(np.asarray(codes, dtype=float))
    span = codes[-1] - codes[0]
    scaled = codes[0] + (np.asarray(values, dtype=float) - low) / (high - low) * span
    return to_codes(np.clip(scaled, codes[0], codes[-1]), codes)


def cut_points(native_range: tuple[float, float], codes: Sequence[float]) -> list[float]:
    """The values of the measure at which ``bin_to_scale`` moves to the next code."""
    low, high = native_range
    codes = np.sort(np.asarray(codes, dtype=float))
    cuts = (codes[1:] + codes[:-1]) / 2
    return (low + (cuts - codes[0]) / (codes[-1] - codes[0]) * (high - low)).tolist()


def confusion_matrix(human: Any, machine: Any, codes: Sequence[float]) -> np.ndarray:
    """Counts of (human code, machine code) pairs: rows human, columns machine, codes order."""
    codes = np.sort(np.asarray(codes, dtype=float))
    human, machine = np.asarray(human, dtype=float), np.asarray(machine, dtype=float)
    rows = np.searchsorted(codes, human)
    cols = np.searchsorted(codes, machine)
    table = np.zeros((len(codes), len(codes)), dtype=np.int64)
    np.add.at(table, (rows, cols), 1)
    return table


def machine_agreement(
    human: Any,
    measure: Any,
    codes: Sequence[float],
    native_range: tuple[float, float],
    level: str,
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
    confidence: float = CONFIDENCE,
) -> dict[str, Any]:
    """Agreement of an automatic measure with the coders' consensus.

    Parameters
    ----------
    human : array-like
        The consensus code of each unit (``consensus``); NaN where there is none.
    measure : array-like
        The automatic measure of each unit on its own scale; NaN where it is missing.
    codes : sequence of float
        The codes of the coding scale (numeric, ordered).
    native_range : (low, high)
        The measure's own range, mapped onto the codes by ``bin_to_scale``.
    level : {"ordinal", "interval", "ratio"}
        The metric of alpha between the consensus and the binned measure.

    Returns
    -------
    dict
        ``n`` units with both, ``pearson_r`` and ``spearman_r`` of the consensus with the
        raw measure, ``alpha`` and its ``interval`` between the consensus and the binned
        measure, ``exact`` (share of units where the binned measure is the consensus,
        rounded to the nearest code), ``cut_points`` on the measure's scale, and
        ``confusion`` (rows: consensus, columns: binned measure).
    """
    human, measure = np.asarray(human, dtype=float), np.asarray(measure, dtype=float)
    both = ~np.isnan(human) & ~np.isnan(measure)
    human, measure = human[both], measure[both]
    binned = bin_to_scale(measure, native_range, codes)
    rounded = to_codes(human, codes)
    correlated = len(human) >= 3 and np.ptp(human) > 0 and np.ptp(measure) > 0
    table = value_table(np.column_stack([human, binned]))
    statistic, size = _alpha_statistic(table, level)
    alpha = _with_interval(statistic, len(human), n_resamples, seed, confidence, size)
    result = {
        "n": int(both.sum()),
        "pearson_r": float(pearsonr(human, measure)[0]) if correlated else None,
        "spearman_r": float(spearmanr(human, measure)[0]) if correlated else None,
        "alpha": alpha["value"],
        "interval": alpha["interval"],
        "exact": float((binned == rounded).mean()) if len(human) else None,
        "native_range": list(native_range),
        "cut_points": cut_points(native_range, codes),
        "confusion": {
            "codes": [float(c) for c in np.sort(np.asarray(codes, dtype=float))],
            "rows": "consensus (nearest code)",
            "columns": "binned measure",
            "counts": confusion_matrix(rounded, binned, codes).tolist(),
        },
    }
    if not correlated:
        result["note"] = "correlations undefined: fewer than 3 units or no variation"
    return result


def rounded(value: Any, digits: int = 4) -> Any:
    """A copy of nested dicts/lists with every float rounded (stable figures in JSON)."""
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    if isinstance(value, float | np.floating):
        return round(float(value), digits) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
