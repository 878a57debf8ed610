"""Comparison records: the one home of the record of a two-group comparison (its fields,
``compare_groups`` / ``compare_frame`` that fill it, ``describe`` that reads it in one
sentence) and of ``comparison_table``, many records with adjusted p-values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.compare.resampling import (
    N_RESAMPLES,
    STATISTICS,
    _as_values,
    _bootstrap_stats,
    _check,
    _percentile,
    _strata_codes,
    adjust_pvalues,
    cliffs_delta,
    cohens_d,
    permutation_pvalue,
)
from usrussia.corpus.records import InputError

RECORD_FIELDS: tuple[str, ...] = (
    "group_a",
    "group_b",
    "measure",
    "diff",
    "ci_low",
    "ci_high",
    "p_value",
    "effect_size",
    "n_a",
    "n_b",
    "window_days",
)
EXTRA_FIELDS: tuple[str, ...] = (
    "statistic",
    "method",
    "mean_a",
    "mean_b",
    "diff_median",
    "median_ci_low",
    "median_ci_high",
    "cliffs_delta",
    "note",
)
SMALL_N = 10  # below this a percentile bootstrap interval undercovers badly


def empty_record(**labels: Any) -> dict[str, Any]:
    """A record with every field missing, then ``labels`` (e.g. ``note`` for a comparison
    that cannot be made)."""
    record: dict[str, Any] = {f: float("nan") for f in RECORD_FIELDS + EXTRA_FIELDS}
    record.update(note="", statistic="mean", method="bootstrap+permutation", window_days=None)
    record.update(labels)
    return record


def compare_groups(
    a: Any,
    b: Any,
    *,
    group_a: str = "a",
    group_b: str = "b",
    measure: str = "value",
    window_days: int | None = None,
    statistic: str = "mean",
    n_resamples: int = N_RESAMPLES,
    confidence: float = 0.95,
    seed: int = config.SEED,
    strata_a: Any = None,
    strata_b: Any = None,
    method: str = "bootstrap+permutation",
) -> dict[str, Any]:
    """One comparison record of ``measure`` between two groups of documents.

    ``diff``, ``ci_low``/``ci_high`` (bootstrap) and ``p_value`` (permutation) refer to
    ``statistic`` of group_b minus group_a; ``diff_median`` and its interval come from the
    same resamples; ``effect_size`` is Cohen's d, ``cliffs_delta`` the rank effect size.
    Missing values are removed and counted in ``note``; a group with fewer than 2 values or
    all-identical values gives NaN where a figure is undefined and says why in ``note``
    rather than raising.

    Parameters
    ----------
    a, b : array-like
        Values of group_a and group_b.
    group_a, group_b, measure : str
        Labels written into the record.
    window_days : int, optional
        The meeting window the groups come from, written into the record.
    statistic : {"mean", "median"}
    n_resamples : int
    confidence : float
    seed : int
        Seed of the bootstrap; the permutation test uses ``seed + 1``.
    strata_a, strata_b : array-like, optional
        Stratum labels for the bootstrap (``bootstrap_diff``).
    method : str
        Label of the method, written into the record.

    Returns
    -------
    record : dict
        ``RECORD_FIELDS`` and ``EXTRA_FIELDS``.
    """
    _check(statistic, n_resamples, confidence)
    record = empty_record(
        group_a=group_a,
        group_b=group_b,
        measure=measure,
        window_days=window_days,
        statistic=statistic,
        method=method,
    )
    notes: list[str] = []
    values: dict[str, np.ndarray] = {}
    strata: dict[str, np.ndarray | None] = {}
    for key, name, x, s in (("a", group_a, a, strata_a), ("b", group_b, b, strata_b)):
        x = _as_values(x).ravel()
        keep = np.isfinite(x)
        if not keep.all():
            dropped = int((~keep).sum())
            notes.append(f"{dropped} {name} documents without a {measure} value left out")
        values[key] = x[keep]
        strata[key] = None if s is None else _strata_codes(s, x.size)[keep]
        record[f"n_{key}"] = int(keep.sum())
    a, b = values["a"], values["b"]
    for key, name in (("a", group_a), ("b", group_b)):
        if values[key].size < 2:
            notes.append(f"{name} has {values[key].size} document(s), need at least 2")
    if a.size:
        record["mean_a"] = float(a.mean())
    if b.size:
        record["mean_b"] = float(b.mean())
    if a.size and b.size:
        stat = STATISTICS[statistic]
        record["diff"] = float(stat(b) - stat(a))
        record["diff_median"] = float(np.median(b) - np.median(a))
        record["cliffs_delta"] = cliffs_delta(a, b)
    if a.size < 2 or b.size < 2:
        notes.append("no interval, test or Cohen's d")
        record["note"] = "; ".join(notes)
        return record
    if min(a.size, b.size) < SMALL_N:
        notes.append(
            f"small group (n < {SMALL_N}): the bootstrap interval is too narrow,"
            " trust the permutation p-value"
        )
    pooled = np.concatenate([a, b])
    if np.ptp(pooled) == 0:
        notes.append(f"all {pooled.size} values are identical ({pooled[0]:g}): nothing to test")
    elif max(np.ptp(a), np.ptp(b)) == 0:
        notes.append("values are constant within each group: Cohen's d undefined")
    record["effect_size"] = cohens_d(a, b)
    rng = np.random.default_rng(seed)
    wanted = tuple(dict.fromkeys((statistic, "median")))
    dist_a = _bootstrap_stats(a, n_resamples, rng, strata["a"], wanted)
    dist_b = _bootstrap_stats(b, n_resamples, rng, strata["b"], wanted)
    low, high = _percentile(dist_b[statistic] - dist_a[statistic], confidence)
    record["ci_low"], record["ci_high"] = float(low), float(high)
    low, high = _percentile(dist_b["median"] - dist_a["median"], confidence)
    record["median_ci_low"], record["median_ci_high"] = float(low), float(high)
    record["p_value"] = permutation_pvalue(
        a, b, statistic=statistic, n_resamples=n_resamples, seed=seed + 1
    )
    record["note"] = "; ".join(notes)
    return record


def compare_frame(
    df: pd.DataFrame,
    measure: str,
    by: str,
    group_a: Any,
    group_b: Any,
    *,
    strata: str | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """``compare_groups`` on the rows of ``df`` whose ``by`` column equals each group label.

    Parameters
    ----------
    df : DataFrame
    measure, by : str
        Columns of the values and of the group labels.
    group_a, group_b
        The two labels of ``by`` compared.
    strata : str, optional
        Column (e.g. ``source``) to stratify the bootstrap by.
    **kwargs
        Passed to ``compare_groups``.

    Returns
    -------
    record : dict
        Rows with no ``by`` value (e.g. undated documents have no era) are counted in
        ``note``. Raises ``InputError`` when a named column is missing.
    """
    missing = [c for c in (measure, by, strata) if c is not None and c not in df.columns]
    if missing:
        raise InputError(f"columns not in the frame: {', '.join(missing)}")
    sub_a, sub_b = df[df[by] == group_a], df[df[by] == group_b]
    record = compare_groups(
        sub_a[measure],
        sub_b[measure],
        group_a=str(group_a),
        group_b=str(group_b),
        measure=measure,
        strata_a=None if strata is None else sub_a[strata],
        strata_b=None if strata is None else sub_b[strata],
        **kwargs,
    )
    unassigned = int(df[by].isna().sum())
    if unassigned:
        extra = f"{unassigned} documents without a {by} (e.g. no date) are in neither group"
        record["note"] = "; ".join(filter(None, [record["note"], extra]))
    return record


def describe(record: dict[str, Any], alpha: float = 0.05) -> str:
    """One plain-language sentence for a comparison record, from its own numbers.

    A difference is called clear only when its 95% interval excludes zero AND its p-value
    (Holm/BH-adjusted when the record has ``p_adjusted``) is below ``alpha``; the sentence
    says whether the interval includes no difference, and names the controls of a
    regression record.

    Parameters
    ----------
    record : dict
        A record of ``compare_groups`` or a row of ``comparison_table``.
    alpha : float

    Returns
    -------
    sentence : str
        E.g. "no clear difference between trump1 and obama on score: trump1 scores 0.030
        higher; the 95% interval, -0.050 to +0.110, includes no difference (p = 0.4;
        n = 37 obama, 109 trump1)."
    """
    a, b, m = record["group_a"], record["group_b"], record["measure"]
    diff, low, high = (float(record.get(k, np.nan)) for k in ("diff", "ci_low", "ci_high"))
    p = float(record.get("p_adjusted", np.nan))
    p_name = "adjusted p" if np.isfinite(p) else "p"
    p = p if np.isfinite(p) else float(record.get("p_value", np.nan))
    note = f" Note: {record['note']}." if record.get("note") else ""
    if not np.isfinite(diff):
        return f"{b} vs {a} ({m}): could not be estimated.{note}"
    counts = f"n = {_count(record.get('n_a'))} {a}, {_count(record.get('n_b'))} {b}"
    controls = record.get("controls")
    held = f" with {controls} held constant" if isinstance(controls, str) and controls else ""
    direction = "higher" if diff > 0 else "lower"
    shift = f"{b} scores {abs(diff):.3f} {direction}{held}"
    if not (np.isfinite(low) and np.isfinite(p)):
        return f"too few documents to tell {b} from {a} on {m}: {shift}, untested ({counts}).{note}"
    excludes = low > 0 or high < 0
    interval = (
        f"the 95% interval, {low:+.3f} to {high:+.3f}, "
        f"{'rules out' if excludes else 'includes'} no difference"
    )
    if excludes and p < alpha:
        opening = f"{b} scores {direction} than {a} on {m}, by {abs(diff):.3f}{held}"
        return f"{opening}; {interval} ({p_name} = {p:.3g}; {counts}).{note}"
    but = f", but {p_name} = {p:.3g} is not below {alpha:g}" if excludes else ""
    opening = f"no clear difference between {b} and {a} on {m}: {shift}"
    p_text = "" if excludes else f"{p_name} = {p:.3g}; "
    return f"{opening}; {interval}{but} ({p_text}{counts}).{note}"


def _count(value: Any) -> str:
    """A group size as a whole number (a dash when missing)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "-"


def comparison_table(records: Sequence[dict[str, Any]], correction: str = "holm") -> pd.DataFrame:
    """The records as one frame with ``p_adjusted`` across all of them.

    Parameters
    ----------
    records : sequence of dict
    correction : {"holm", "fdr_bh"}
        Passed to ``adjust_pvalues``.

    Returns
    -------
    table : DataFrame
        Record fields first, then ``p_adjusted``, ``correction`` and any other keys.
    """
    table = pd.DataFrame(list(records))
    for col in RECORD_FIELDS + EXTRA_FIELDS:
        if col not in table.columns:
            table[col] = np.nan
    table["p_adjusted"] = adjust_pvalues(table["p_value"], correction) if len(table) else []
    table["correction"] = correction
    first = [c for c in RECORD_FIELDS + ("p_adjusted",) + EXTRA_FIELDS if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]
