"""Events and windows: the one home of the US-Russia meetings table (``load_events``), of
placing documents in the window of the nearest meeting and of comparing meeting windows
between eras.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.compare.records import compare_frame
from usrussia.corpus import era_of
from usrussia.corpus.records import InputError

EVENT_COLUMNS: tuple[str, ...] = ("date", "city", "country", "us_president", "ru_president")


def load_events(path: str | os.PathLike[str] = config.EVENTS_CSV) -> pd.DataFrame:
    """The US-Russia presidential meetings, with ``era`` (via ``era_of``) and a ``meeting`` label.

    Parameters
    ----------
    path : path-like
        A CSV with ``EVENT_COLUMNS`` (dates as YYYY-MM-DD); default the shipped table.

    Returns
    -------
    events : DataFrame
        Sorted by date. Raises ``InputError`` for a missing file, missing columns or an
        unreadable date.
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

    A document near two meetings goes to the nearer (the earlier on a tie), so no document
    counts twice. Undated documents cannot be placed (``undated_count`` counts them).

    Parameters
    ----------
    df : DataFrame
    events : DataFrame
        From ``load_events`` (``date``, ``meeting``, ``era``).
    window_days : int
        Days either side of a meeting, at least 0.
    date_col : str

    Returns
    -------
    windowed : DataFrame
        The rows placed, with ``meeting``, ``meeting_date``, ``meeting_era`` and
        ``days_from_meeting`` (signed, positive after the meeting).
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
    """How many documents have no date (and so no era and no window).

    Parameters
    ----------
    df : DataFrame
    date_col : str

    Returns
    -------
    n : int
    """
    return int(df[date_col].isna().sum())


def meeting_summary(
    windowed: pd.DataFrame, measure: str, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per meeting: era, n, mean, median and sd of ``measure`` in its window.

    Parameters
    ----------
    windowed : DataFrame
        From ``event_windows``.
    measure : str
    events : DataFrame, optional
        With it every meeting gets a row, those without documents with n = 0.

    Returns
    -------
    summary : DataFrame
        One row per meeting, with a ``note`` for windows of zero or one document.
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
    *,
    by: str = "meeting_era",
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """Documents near era_a meetings vs documents near era_b meetings: two records.

    The first compares documents (resampled freely: stratifying by meeting would freeze the
    many one-page meetings and narrow the interval); the second compares meeting means
    (n = meetings with at least one document), the honest unit when the pages of one
    meeting echo each other.

    Parameters
    ----------
    df : DataFrame
    events : DataFrame
        From ``load_events``.
    measure, era_a, era_b : str
    window_days : int
    by : str
        What ``era_a`` and ``era_b`` are values of: ``"meeting_era"`` (the era of the
        meeting, groups labelled ``"<era> meetings"``), or a column of ``df`` (e.g. an
        outlet group: its documents in any meeting's window, meeting means per group).
    **kwargs
        Passed to ``compare_frame``.

    Returns
    -------
    records : list of two dicts
        Their ``note`` counts the undated documents that could not be placed.
    """
    windowed = event_windows(df, events, window_days)
    labels = {era_a: str(era_a), era_b: str(era_b)}
    if by == "meeting_era":
        labels = {era: f"{era} meetings" for era in (era_a, era_b)}
    sub = windowed[windowed[by].isin([era_a, era_b])]
    sub = sub.assign(meeting_group=sub[by].map(labels))
    label_a, label_b = labels[era_a], labels[era_b]
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
