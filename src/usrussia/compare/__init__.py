"""Honest comparisons of per-document tone between groups, eras and summit windows.

Consumes a per-document measure (a numeric column such as ``score`` from
``usrussia.sentiment``) and returns statistics, never bare means:

- ``bootstrap_diff(a, b)`` / ``bootstrap_ci(x)``: percentile bootstrap intervals, documents
  resampled (within strata when given); ``bootstrap_ci`` resamples the rows of a 2-D array
  together, e.g. per-document topic shares, giving one interval per column.
- ``permutation_pvalue(a, b)``: two-sided permutation test (exact when the number of
  splits is small), ``cohens_d`` and ``cliffs_delta``: effect sizes.
- ``compare_groups(a, b, ...)`` / ``compare_frame(df, ...)``: one result record with all of
  the above, n per group and a ``note`` for bad input (tiny groups, identical values,
  missing values) instead of a crash; ``adjust_pvalues`` / ``comparison_table``: Holm or
  Benjamini-Hochberg across many comparisons.
- ``load_events``, ``event_windows``, ``meeting_summary``, ``compare_meeting_eras``:
  documents within +/-N days of each US-Russia presidential meeting.
- ``sensitivity``: the main comparison over window widths and measures.
- ``era_regression``: OLS of the measure on era with source/outlet and log length as
  controls, HC3 robust standard errors.
- Helpers for the comparisons: ``attach_scores`` (score each distinct text once, e.g. with
  ``usrussia.sentiment.score_documents``), ``mention_sentences`` (the sentences naming a
  target), ``same_weeks`` (only weeks every group published in), ``describe`` (a record in
  one plain sentence) and ``plot_comparisons`` (a forest plot of records).

Sign convention: every difference is group_b minus group_a (positive: group_b scores higher),
and both effect sizes point the same way. Every random step uses a ``numpy`` Generator seeded
with ``seed`` (default ``config.SEED``) and is vectorised over resamples.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.corpus import era_of
from usrussia.corpus.records import InputError
from usrussia.io import progress
from usrussia.text.tokens import split_sentences

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
EVENT_COLUMNS: tuple[str, ...] = ("date", "city", "country", "us_president", "ru_president")
STATISTICS: dict[str, Callable[..., np.ndarray]] = {"mean": np.mean, "median": np.median}
N_RESAMPLES = 5000
SMALL_N = 10  # below this a percentile bootstrap interval undercovers badly
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
    stratum when ``strata_a``/``strata_b`` label the documents, e.g. by source, so every
    resample keeps the groups' source mix; a stratum of one document adds no variance, so
    stratify only by labels that hold several documents each). Needs at least 2 documents
    per group. 1-D inputs give two floats; 2-D inputs (documents x columns, e.g. topic
    shares) resample whole rows and give two arrays, one bound per column.
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

    ``x`` 1-D gives two floats; ``x`` 2-D (documents x columns, e.g. topic shares) resamples
    whole rows and gives two arrays, one bound per column.
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
    observed split ((k + 1) / (n_resamples + 1)), or the exact share when every split can be
    enumerated within ``n_resamples``.
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
    """(mean(b) - mean(a)) / pooled standard deviation (ddof=1); NaN when undefined."""
    a, b = _as_values(a), _as_values(b)
    if a.size < 2 or b.size < 2:
        return float("nan")
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    if pooled <= 0:
        return float("nan")
    return float((b.mean() - a.mean()) / math.sqrt(pooled))


def cliffs_delta(a: Any, b: Any) -> float:
    """P(b > a) - P(b < a) over all pairs (ties count as neither); NaN for an empty group."""
    a, b = _as_values(a), _as_values(b)
    if a.size == 0 or b.size == 0:
        return float("nan")
    a_sorted = np.sort(a)
    greater = np.searchsorted(a_sorted, b, side="left").sum()  # pairs with a < b
    less = (a.size - np.searchsorted(a_sorted, b, side="right")).sum()  # pairs with a > b
    return float((greater - less) / (a.size * b.size))


def _empty_record(**labels: Any) -> dict[str, Any]:
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
    ``statistic`` (mean or median) of group_b minus group_a; ``diff_median`` and its
    interval come from the same resamples; ``effect_size`` is Cohen's d, ``cliffs_delta``
    the rank effect size. Missing values are removed and counted in ``note``; a group with
    fewer than 2 values or all-identical values gives NaN where a figure is undefined and
    says why in ``note`` rather than raising.
    """
    _check(statistic, n_resamples, confidence)
    record = _empty_record(
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

    ``strata`` names a column (e.g. ``source``) to stratify the bootstrap by. Rows with no
    ``by`` value (e.g. undated documents have no era) are counted in ``note``.
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
    """One plain-language sentence for a comparison record.

    A difference is called clear only when its 95% interval excludes zero AND its p-value
    (Holm/BH-adjusted when the record has ``p_adjusted``) is below ``alpha``.
    """
    a, b, m = record["group_a"], record["group_b"], record["measure"]
    diff, low, high = (float(record.get(k, np.nan)) for k in ("diff", "ci_low", "ci_high"))
    p = float(record.get("p_adjusted", np.nan))
    p_name = "adjusted p" if np.isfinite(p) else "p"
    p = p if np.isfinite(p) else float(record.get("p_value", np.nan))
    note = f" Note: {record['note']}." if record.get("note") else ""
    if not np.isfinite(diff):
        return f"{b} vs {a} ({m}): could not be estimated.{note}"
    if not (np.isfinite(low) and np.isfinite(p)):
        verdict = f"too few documents to tell {b} from {a}"
    elif (low > 0 or high < 0) and p < alpha:
        verdict = f"{b} scores {'higher' if diff > 0 else 'lower'} than {a}"
    else:
        verdict = f"no clear difference between {b} and {a}"
    interval = f"95% CI {low:+.3f} to {high:+.3f}, " if np.isfinite(low) else ""
    p_text = f"{p_name} = {p:.3g}, " if np.isfinite(p) else ""
    return (
        f"{verdict} on {m}: difference {diff:+.3f} ({interval}{p_text}"
        f"n = {record['n_a']}/{record['n_b']}).{note}"
    )


def adjust_pvalues(p_values: Any, method: str = "holm") -> np.ndarray:
    """Holm (``holm``) or Benjamini-Hochberg (``fdr_bh``) adjusted p-values.

    NaN p-values (comparisons that could not be tested) stay NaN and do not count
    towards the number of comparisons.
    """
    from statsmodels.stats.multitest import multipletests

    p = _as_values(p_values)
    out = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    if tested.any():
        out[tested] = multipletests(p[tested], method=method)[1]
    return out


def comparison_table(records: Sequence[dict[str, Any]], correction: str = "holm") -> pd.DataFrame:
    """The records as a frame with ``p_adjusted`` across all of them (``correction``)."""
    table = pd.DataFrame(list(records))
    for col in RECORD_FIELDS + EXTRA_FIELDS:
        if col not in table.columns:
            table[col] = np.nan
    table["p_adjusted"] = adjust_pvalues(table["p_value"], correction) if len(table) else []
    table["correction"] = correction
    first = [c for c in RECORD_FIELDS + ("p_adjusted",) + EXTRA_FIELDS if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]


def attach_scores(
    units: pd.DataFrame, scorer: Callable[[list[str]], pd.DataFrame], text_col: str = "text"
) -> pd.DataFrame:
    """``units`` with the columns of ``scorer(texts)`` beside them; each distinct text once.

    ``scorer`` returns one row per text in order (e.g. ``usrussia.sentiment.score_documents``),
    so identical texts (a headline posted twice) cost one scoring and get the same scores.
    A missing text (None, NaN) is not scored: its row gets missing scores.
    """
    codes, uniques = pd.factorize(units[text_col], use_na_sentinel=True)
    scores = scorer([str(t) for t in uniques]).reset_index(drop=True)
    if len(scores) != len(uniques):
        raise ValueError(f"scorer returned {len(scores)} rows for {len(uniques)} texts")
    clash = [c for c in scores.columns if c in units.columns]
    if clash:
        raise ValueError(f"scores would overwrite columns: {', '.join(clash)}")
    # factorize codes a missing text as -1, which reindex (unlike iloc) leaves as NaN.
    joined = scores.reindex(codes).set_axis(units.index)
    return pd.concat([units, joined], axis=1)


def mention_sentences(
    df: pd.DataFrame, pattern: re.Pattern[str], keep: Sequence[str] = ("doc_id", "era", "date")
) -> pd.DataFrame:
    """One row per sentence of ``df['text']`` that matches ``pattern`` (e.g. Russia terms).

    Columns: ``keep`` from the document, ``sentence_no`` (0-based within the document),
    ``text`` (the sentence). Used for the few Russia passages in long addresses.
    """
    rows = [
        {**{k: doc[k] for k in keep}, "sentence_no": i, "text": sentence}
        for doc in df.to_dict("records")
        for i, sentence in enumerate(split_sentences(doc["text"]))
        if pattern.search(sentence)
    ]
    return pd.DataFrame(rows, columns=[*keep, "sentence_no", "text"])


def same_weeks(df: pd.DataFrame, group: pd.Series, date_col: str = "date") -> pd.DataFrame:
    """Rows of ``df`` in calendar weeks (Monday start) where every group in ``group`` has
    documents, so groups are compared over the same news days. Adds a ``week`` column.
    """
    week = df[date_col].dt.to_period("W-SUN").astype(str)
    wanted = group.dropna().unique()
    per_week = pd.crosstab(week, group).reindex(columns=wanted, fill_value=0)
    weeks = per_week.index[(per_week > 0).all(axis=1)] if len(wanted) else []
    return df.assign(week=week)[week.isin(weeks)]


def load_events(path: str | os.PathLike[str] = config.EVENTS_CSV) -> pd.DataFrame:
    """The US-Russia meetings with ``era`` (via ``era_of``) and a ``meeting`` label.

    Raises ``InputError`` for a missing file, missing columns or an unreadable date.
    """
    try:
        events = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read events file {path}: {exc}") from None
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise InputError(f"events file {path} lacks columns: {', '.join(missing)}")
    dates = pd.to_datetime(events["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = events.loc[dates.isna(), "date"].tolist()
        raise InputError(f"events file {path}: unreadable dates {bad} (want YYYY-MM-DD)")
    events["date"] = dates
    events["era"] = [era_of(d.date())[0] for d in dates]
    events["meeting"] = dates.dt.strftime("%Y-%m-%d") + " " + events["city"]
    return events.sort_values("date", kind="stable").reset_index(drop=True)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def event_windows(
    df: pd.DataFrame, events: pd.DataFrame, window_days: int, date_col: str = "date"
) -> pd.DataFrame:
    """The documents dated within ``window_days`` of a meeting, labelled by that meeting.

    Adds ``meeting``, ``meeting_date``, ``meeting_era`` and ``days_from_meeting`` (signed,
    positive after the meeting). A document near two meetings goes to the nearer (the
    earlier on a tie), so no document counts twice. Undated documents cannot be placed;
    ``undated_count`` tells how many there were.
    """
    if window_days < 0:
        raise ValueError(f"window_days must be >= 0, got {window_days}")
    dated = df[df[date_col].notna()]
    ev = events.sort_values("date", kind="stable").reset_index(drop=True)
    if dated.empty or ev.empty:
        out = dated.iloc[:0].copy()
        for col in ("meeting", "meeting_date", "meeting_era", "days_from_meeting"):
            out[col] = pd.Series(dtype=object)
        return out
    doc_days, ev_days = _day_numbers(dated[date_col]), _day_numbers(ev["date"])
    after = np.searchsorted(ev_days, doc_days, side="left")
    left = np.clip(after - 1, 0, ev_days.size - 1)
    right = np.clip(after, 0, ev_days.size - 1)
    nearest = np.where(
        np.abs(ev_days[right] - doc_days) < np.abs(doc_days - ev_days[left]), right, left
    )
    offset = doc_days - ev_days[nearest]
    inside = np.abs(offset) <= window_days
    out = dated[inside].copy()
    chosen = ev.iloc[nearest[inside]]
    out["meeting"] = chosen["meeting"].to_numpy()
    out["meeting_date"] = chosen["date"].to_numpy()
    out["meeting_era"] = chosen["era"].to_numpy()
    out["days_from_meeting"] = offset[inside]
    return out


def undated_count(df: pd.DataFrame, date_col: str = "date") -> int:
    """How many documents have no date (and so no era and no window)."""
    return int(df[date_col].isna().sum())


def meeting_summary(
    windowed: pd.DataFrame, measure: str, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per meeting: era, n, mean, median and sd of ``measure`` in its window.

    With ``events``, every meeting gets a row, those without documents with n = 0 and a note.
    """
    grouped = windowed.groupby("meeting", sort=False)[measure]
    summary = pd.DataFrame(
        {
            "n": grouped.count(),
            "mean": grouped.mean(),
            "median": grouped.median(),
            "sd": grouped.std(ddof=1),
        }
    )
    if events is not None:
        labels = events.set_index("meeting")
        summary = summary.reindex(labels.index)
        summary["n"] = summary["n"].fillna(0).astype(int)
        summary.insert(0, "era", labels["era"])
        summary.insert(0, "date", labels["date"].dt.date)
    else:
        summary.insert(0, "era", windowed.groupby("meeting", sort=False)["meeting_era"].first())
    summary["note"] = np.select(
        [summary["n"] == 0, summary["n"] == 1], ["no documents in window", "one document"], ""
    )
    return summary.reset_index().rename(columns={"index": "meeting"})


def compare_meeting_eras(
    df: pd.DataFrame,
    events: pd.DataFrame,
    measure: str,
    era_a: str,
    era_b: str,
    window_days: int,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """Documents near era_a meetings vs documents near era_b meetings: two records.

    The first compares documents (resampled freely: stratifying by meeting would freeze
    the many one-page meetings and narrow the interval); the second compares meeting means
    (n = meetings with at least one document), the honest unit when the pages of one
    meeting echo each other.
    """
    windowed = event_windows(df, events, window_days)
    label_a, label_b = f"{era_a} meetings", f"{era_b} meetings"
    sub = windowed[windowed["meeting_era"].isin([era_a, era_b])]
    sub = sub.assign(meeting_group=sub["meeting_era"] + " meetings")
    doc = compare_frame(
        sub,
        measure,
        "meeting_group",
        label_a,
        label_b,
        window_days=window_days,
        method="documents in windows",
        **kwargs,
    )
    means = sub.groupby(["meeting", "meeting_group"])[measure].mean().reset_index()
    per_meeting = compare_frame(
        means,
        measure,
        "meeting_group",
        label_a,
        label_b,
        window_days=window_days,
        method="meeting means",
        **kwargs,
    )
    undated = undated_count(df)
    records = []
    for record in (doc, per_meeting):
        if undated:
            extra = f"{undated} undated documents could not be placed in a window"
            record["note"] = "; ".join(filter(None, [record["note"], extra]))
        records.append(record)
    return records


def sensitivity(
    df: pd.DataFrame,
    events: pd.DataFrame,
    measures: Sequence[str],
    widths: Sequence[int],
    era_a: str,
    era_b: str,
    *,
    by: str = "era",
    **kwargs: Any,
) -> pd.DataFrame:
    """The era comparison for every measure: overall and in windows of every width.

    Window rows compare documents near era_a meetings with documents near era_b meetings
    (the document-level record of ``compare_meeting_eras``); the overall row (window_days
    None) uses every document of the two eras. Shown as one figure by ``plot_comparisons``.
    """
    records = []
    for measure in progress(measures, desc="sensitivity", unit=" measures"):
        overall = compare_frame(df, measure, by, era_a, era_b, **kwargs)
        overall["method"] = "all documents"
        records.append(overall)
        for width in widths:
            records.append(
                compare_meeting_eras(df, events, measure, era_a, era_b, width, **kwargs)[0]
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
    ``min_level`` documents pooled as ``other``; a column with one level is left out) and
    ``log(1 + length_col)``. Standard errors are HC3 (heteroskedasticity-robust). Returns a
    record whose ``diff`` is the era coefficient with its CI and p-value; when the era is
    not separable from the controls (e.g. every obama document comes from one source and
    every trump1 document from another) the coefficient is NaN and ``note`` says why.
    """
    import statsmodels.api as sm

    record = _empty_record(
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


def plot_comparisons(table: pd.DataFrame, label: str = "label", ax: Any = None, title: str = ""):
    """A forest plot: each row's ``diff`` with its CI and n; rows with a ``note`` get a ``*``.

    ``label`` names the column that labels rows (default: ``group_a vs group_b``).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(len(table), 2) + 1))
    y = np.arange(len(table))[::-1]
    diff = table["diff"].to_numpy(dtype=float)
    low = diff - table["ci_low"].to_numpy(dtype=float)
    high = table["ci_high"].to_numpy(dtype=float) - diff
    ax.errorbar(diff, y, xerr=np.vstack([low, high]), fmt="o", color="C0", capsize=3)
    ax.axvline(0, color="grey", lw=1, ls="--")
    labels = [
        f"{row[label] if label in table.columns else f'{row.group_a} vs {row.group_b}'}"
        f"  (n={row['n_a']:.0f}/{row['n_b']:.0f}){' *' if row.get('note') else ''}"
        for _, row in table.iterrows()
    ]
    ax.set_yticks(y, labels)
    ax.set_xlabel("difference (group_b - group_a) with 95% CI")
    ax.set_ylabel("comparison")
    ax.set_title(title or "Group differences")
    return ax
