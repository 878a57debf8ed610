"""GDELT's own tone of the US-Russia dyad beside the project's tone, meeting by meeting.

The tables come from ``usrussia corpus import`` of what ``usrussia fetch`` saved: GDELT
events between US and Russian actors (``avg_tone``, ``goldstein``, ``num_mentions``), or a
GDELT DOC tone timeline (``value``). They measure other things than the project's tone:
GDELT's ``AvgTone`` is the tone of the whole articles in which an event was coded (about
-10 to +10, most between -5 and +2), weighted here by the event's mentions; the Goldstein
scale scores the event itself, conflict (-10) to cooperation (+10); the project scores the
documents of the corpus on its own scale. Compare their direction from meeting to meeting,
never their values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from usrussia.compare.events import event_windows, meeting_summary
from usrussia.corpus.records import InputError

GDELT_COLUMNS = ("meeting", "gdelt_events", "gdelt_mentions", "gdelt_tone", "gdelt_goldstein")
# The columns each kind of GDELT table needs, and the import that writes it.
TABLE_COLUMNS = {
    "events": ("date", "avg_tone", "goldstein", "num_mentions"),
    "timeline": ("date", "value"),
}
WRITTEN_BY = {
    "events": "usrussia corpus import of a gdelt-events folder",
    "timeline": "usrussia corpus import of a gdelt --mode timelinetone folder",
}


def read_gdelt_table(path: Path, kind: str) -> pd.DataFrame:
    """A GDELT table of ``kind`` (``events`` or ``timeline``, ``TABLE_COLUMNS``).

    Raises
    ------
    InputError
        A missing or unreadable file, or a table without the columns of its kind (saying
        so when it is the other kind).
    """
    if not Path(path).is_file():
        raise InputError(f"{path}: not found ({WRITTEN_BY[kind]} writes it)")
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a Parquet table ({exc})") from exc
    missing = [c for c in TABLE_COLUMNS[kind] if c not in table.columns]
    if missing:
        other = [k for k, cols in TABLE_COLUMNS.items() if set(cols) <= set(table.columns)]
        hint = f"; it is a GDELT {other[0]} table" if other else ""
        raise InputError(f"{path}: not a GDELT {kind} table (no column {', '.join(missing)}{hint})")
    return table


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    return float(np.average(values, weights=weights)) if weights.sum() > 0 else float("nan")


def gdelt_tone_by_meeting(
    table: pd.DataFrame, events: pd.DataFrame, window_days: int
) -> pd.DataFrame:
    """GDELT's tone in each meeting's window (``GDELT_COLUMNS``, a row per meeting).

    Parameters
    ----------
    table : DataFrame
        GDELT events (``date``, ``avg_tone``, ``goldstein``, ``num_mentions``): tone and
        Goldstein weighted by mentions; or a tone timeline (``date``, ``value``): the mean
        of its points (``gdelt_events`` and ``gdelt_mentions`` are then the points and 0).
    events : DataFrame
        The meetings, from ``usrussia.compare.load_events``.
    window_days : int
        Days either side of a meeting.

    Returns
    -------
    DataFrame
        Every meeting of ``events``; NaN tone where GDELT has nothing in the window.
    """
    table = table.assign(date=pd.to_datetime(table["date"]).dt.tz_localize(None).dt.normalize())
    windowed = event_windows(table, events, window_days)
    rows = []
    for meeting, group in windowed.groupby("meeting", sort=False):
        if "avg_tone" in group:
            mentions = group["num_mentions"]
            tone = _weighted(group["avg_tone"], mentions)
            goldstein = _weighted(group["goldstein"], mentions)
            rows.append((meeting, len(group), int(mentions.sum()), tone, goldstein))
        else:
            rows.append((meeting, len(group), 0, float(group["value"].mean()), float("nan")))
    found = pd.DataFrame(rows, columns=list(GDELT_COLUMNS)).set_index("meeting")
    out = found.reindex(events["meeting"])
    out[["gdelt_events", "gdelt_mentions"]] = out[["gdelt_events", "gdelt_mentions"]].fillna(0)
    return out.astype({"gdelt_events": int, "gdelt_mentions": int}).reset_index()


def gdelt_beside_ours(
    table: pd.DataFrame,
    scored: pd.DataFrame,
    events: pd.DataFrame,
    window_days: int,
    measure: str,
) -> pd.DataFrame:
    """Per meeting: date, era, the project's ``n`` and mean ``measure`` of the documents in
    its window, and GDELT's tone of the dyad in the same window (``gdelt_tone_by_meeting``).

    Meetings with neither documents nor GDELT data are left out.
    """
    ours = meeting_summary(event_windows(scored, events, window_days), measure, events)
    ours = ours[["meeting", "date", "era", "n", "mean"]].rename(columns={"mean": measure})
    both = ours.merge(gdelt_tone_by_meeting(table, events, window_days), on="meeting")
    return both[(both["n"] > 0) | (both["gdelt_events"] > 0)].reset_index(drop=True)


def direction_summary(both: pd.DataFrame, measure: str) -> dict[str, float | int]:
    """How the project's tone and GDELT's move together across the meetings that have both.

    Parameters
    ----------
    both : DataFrame
        ``gdelt_beside_ours``.
    measure : str
        The project's measure (a column of ``both``).

    Returns
    -------
    dict
        ``meetings`` (rows of ``both``), ``with_documents``, ``with_gdelt``, ``both``
        (meetings with a tone of each), ``steps`` (from one such meeting to the next, by
        date), ``same_direction`` and ``opposite`` (steps where the two change with the same
        or the opposite sign; a step without change is neither) and ``spearman`` (the rank
        correlation over the meetings with both; NaN under 3 of them or for a constant tone).
    """
    paired = both[both[measure].notna() & both["gdelt_tone"].notna()].sort_values("date")
    ours = np.sign(paired[measure].diff().to_numpy()[1:])
    theirs = np.sign(paired["gdelt_tone"].diff().to_numpy()[1:])
    moved = (ours != 0) & (theirs != 0)
    varies = len(paired) >= 3 and paired[[measure, "gdelt_tone"]].nunique().min() > 1
    rho = spearmanr(paired[measure], paired["gdelt_tone"])[0] if varies else np.nan
    return {
        "meetings": len(both),
        "with_documents": int((both["n"] > 0).sum()),
        "with_gdelt": int((both["gdelt_events"] > 0).sum()),
        "both": len(paired),
        "steps": len(ours),
        "same_direction": int((moved & (ours == theirs)).sum()),
        "opposite": int((moved & (ours != theirs)).sum()),
        "spearman": float(rho),
    }
