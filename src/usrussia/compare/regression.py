"""Regression and sensitivity: the one home of the era comparison with controls (OLS with
HC3 robust errors, ``era_regression``) and of the grid of the main comparison over tone
measures and window widths (``sensitivity``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia.compare.events import compare_meeting_eras
from usrussia.compare.records import compare_frame, comparison_table, empty_record
from usrussia.io import progress


def sensitivity(
    df: pd.DataFrame,
    events: pd.DataFrame,
    measures: Sequence[str],
    widths: Sequence[int],
    era_a: str,
    era_b: str,
    *,
    by: str = "era",
    window_by: str = "meeting_era",
    **kwargs: Any,
) -> pd.DataFrame:
    """The era comparison for every measure: overall and in windows of every width.

    Window rows compare documents near era_a meetings with documents near era_b meetings
    (the document-level record of ``compare_meeting_eras``); the overall row (window_days
    None) uses every document of the two eras. Drawn by ``usrussia.plots.plot_comparisons``.

    Parameters
    ----------
    df, events : DataFrame
        Documents, and meetings from ``load_events``.
    measures : sequence of str
    widths : sequence of int
        Window widths in days.
    era_a, era_b : str
    by : str
        Column of the eras.
    window_by : str
        ``by`` of ``compare_meeting_eras``: the meeting's era, or a column of ``df``.
    **kwargs
        Passed to ``compare_frame``.

    Returns
    -------
    table : DataFrame
        ``comparison_table`` of the records, one per measure and width (plus overall).
    """
    records = []
    for measure in progress(measures, desc="sensitivity", unit=" measures"):
        overall = compare_frame(df, measure, by, era_a, era_b, **kwargs)
        overall["method"] = "all documents"
        records.append(overall)
        for width in widths:
            records.append(
                compare_meeting_eras(
                    df, events, measure, era_a, era_b, width, by=window_by, **kwargs
                )[0]
            )
    return comparison_table(records)


def _independent_columns(x: pd.DataFrame) -> list[str]:
    """Columns of ``x`` that each add rank, in order (drops redundant dummies)."""
    kept: list[str] = []
    rank = 0
    for col in x.columns:
        trial = np.linalg.matrix_rank(x[[*kept, col]].to_numpy())
        if trial > rank:
            kept.append(col)
            rank = trial
    return kept


def era_regression(
    df: pd.DataFrame,
    measure: str,
    group_a: str,
    group_b: str,
    *,
    by: str = "era",
    controls: Sequence[str] = ("source", "outlet"),
    length_col: str | None = "n_words",
    min_level: int = 2,
    confidence: float = 0.95,
    window_days: int | None = None,
) -> dict[str, Any]:
    """OLS of ``measure`` on an indicator of ``group_b`` (vs ``group_a``) with controls.

    Controls: a dummy per level of each ``controls`` column (levels with fewer than
    ``min_level`` documents pooled as ``other``; a column with one level left out) and
    ``log(1 + length_col)``. Standard errors are HC3 (heteroskedasticity-robust).

    Parameters
    ----------
    df : DataFrame
    measure, group_a, group_b : str
    by : str
        Column of the groups.
    controls : sequence of str
    length_col : str, optional
        Column of the length; None for no length control.
    min_level : int
    confidence : float
    window_days : int, optional
        Written into the record.

    Returns
    -------
    record : dict
        ``diff`` is the group coefficient with its CI and p-value. When the group is not
        separable from the controls (e.g. every obama document comes from one source and
        every trump1 document from another) it is NaN and ``note`` says why.
    """
    import statsmodels.api as sm

    record = empty_record(
        group_a=str(group_a),
        group_b=str(group_b),
        measure=measure,
        window_days=window_days,
        statistic="ols coefficient",
        method="ols_hc3",
    )
    sub = df[df[by].isin([group_a, group_b])]
    finite = np.isfinite(sub[measure].astype(float))
    notes: list[str] = []
    unassigned = int(df[by].isna().sum())
    if unassigned:
        notes.append(f"{unassigned} documents without a {by} (e.g. no date) are in neither group")
    if not finite.all():
        notes.append(f"{int((~finite).sum())} documents without a {measure} value left out")
    sub = sub[finite]
    record["n_a"] = int((sub[by] == group_a).sum())
    record["n_b"] = int((sub[by] == group_b).sum())
    columns = {"const": np.ones(len(sub))}
    if length_col is not None:
        columns[f"log1p_{length_col}"] = np.log1p(sub[length_col].astype(float).to_numpy())
    x = pd.DataFrame(columns, index=sub.index)
    used = []
    for col in controls:
        levels = sub[col].astype(object).fillna("unknown").astype(str)
        counts = levels.value_counts()
        levels = levels.where(levels.map(counts) >= min_level, "other")
        if levels.nunique() < 2:
            continue
        used.append(col)
        x = x.join(pd.get_dummies(levels, prefix=col, drop_first=True, dtype=float))
    record["controls"] = ", ".join(used + ([f"log1p({length_col})"] if length_col else []))
    problem = ""
    if min(record["n_a"], record["n_b"]) < 2:
        problem = "each group needs at least 2 documents with a value"
    else:
        kept = _independent_columns(x)
        x["era"] = (sub[by] == group_b).astype(float).to_numpy()
        if np.linalg.matrix_rank(x[[*kept, "era"]].to_numpy()) == len(kept):
            problem = f"{by} is confounded with the controls ({record['controls']}): not identified"
        elif len(sub) <= len(kept) + 2:
            problem = f"{len(sub)} documents for {len(kept) + 1} parameters: too few"
    if problem:
        record["note"] = "; ".join([*notes, problem])
        return record
    kept.append("era")
    fit = sm.OLS(sub[measure].astype(float).to_numpy(), x[kept]).fit(cov_type="HC3")
    low, high = fit.conf_int(alpha=1 - confidence).loc["era"]
    record.update(
        diff=float(fit.params["era"]),
        ci_low=float(low),
        ci_high=float(high),
        p_value=float(fit.pvalues["era"]),
        mean_a=float(sub.loc[sub[by] == group_a, measure].mean()),
        mean_b=float(sub.loc[sub[by] == group_b, measure].mean()),
    )
    if not np.isfinite(fit.bse["era"]):
        notes.append("HC3 standard error undefined (a document with leverage 1)")
    dropped = [c for c in x.columns if c not in kept]
    if dropped:
        notes.append(f"{len(dropped)} redundant control columns dropped")
    record["note"] = "; ".join(notes)
    return record
