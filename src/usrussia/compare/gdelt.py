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

import numpy as np
import pandas as pd

from usrussia.compare.events import event_windows, meeting_summary

GDELT_COLUMNS = ("meeting", "gdelt_events", "gdelt_mentions", "gdelt_tone", "gdelt_goldstein")


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
