"""Topic prevalence by group, era or meeting window: the one home of comparisons of topic shares.

``usrussia.topics`` fits the topics and gives each document its shares
(``usrussia.topics.topic_shares``); comparing those shares between groups is a comparison,
so it lives here and uses the shares it is given.
"""

from __future__ import annotations

import pandas as pd

from usrussia import config
from usrussia.compare.events import event_windows as meeting_windows
from usrussia.compare.resampling import bootstrap_diff


def prevalence_by(shares: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Mean topic share per group.

    Parameters
    ----------
    shares : DataFrame
        Documents x topics.
    groups : Series
        The group of each document (aligned on the index).

    Returns
    -------
    table : DataFrame
        Rows: groups; columns ``n_docs`` and one per topic. Documents without shares or
        without a group are left out.
    """
    valid = shares.notna().all(axis=1) & groups.reindex(shares.index).notna()
    keys = groups.reindex(shares.index)[valid]
    table = shares[valid].groupby(keys, sort=True).mean()
    table.insert(0, "n_docs", shares[valid].groupby(keys, sort=True).size())
    return table


def event_prevalence(
    shares: pd.DataFrame, dates: pd.Series, events: pd.DataFrame, days: int = 30
) -> pd.DataFrame:
    """Mean topic share of the documents within ``days`` of each meeting.

    Windows come from ``usrussia.compare.event_windows``: a document near two meetings
    counts for the nearer one only; meetings with no document in their window are left out.

    Parameters
    ----------
    shares : DataFrame
        Documents x topics.
    dates : Series
        The date of each document.
    events : DataFrame
        From ``usrussia.compare.load_events``.
    days : int

    Returns
    -------
    table : DataFrame
        One row per meeting with documents, as ``prevalence_by``.
    """
    dated = pd.DataFrame({"date": pd.to_datetime(dates.reindex(shares.index))})
    placed = meeting_windows(dated, events, days)
    table = prevalence_by(shares, placed["meeting"])
    table.index.name = "meeting"
    return table


def era_difference(
    shares: pd.DataFrame,
    eras: pd.Series,
    before: str = "obama",
    after: str = "trump1",
    n_resamples: int = 2000,
    seed: int = config.SEED,
) -> pd.DataFrame:
    """Change of each topic's mean share from era ``before`` to era ``after``.

    Parameters
    ----------
    shares : DataFrame
        Documents x topics.
    eras : Series
        The era of each document.
    before, after : str
    n_resamples : int
    seed : int

    Returns
    -------
    table : DataFrame
        Per topic: both shares, ``change`` with a 95% percentile bootstrap interval
        (``bootstrap_diff``: documents resampled within each era) and ``clear`` (the
        interval excludes zero); sorted by change.
    """
    eras = eras.reindex(shares.index)
    valid = shares.notna().all(axis=1)
    a = shares[valid & eras.eq(before)].to_numpy()
    b = shares[valid & eras.eq(after)].to_numpy()
    low, high = bootstrap_diff(a, b, n_resamples=n_resamples, seed=seed)
    table = pd.DataFrame(
        {
            "topic": shares.columns,
            f"share_{before}": a.mean(axis=0),
            f"share_{after}": b.mean(axis=0),
            "change": b.mean(axis=0) - a.mean(axis=0),
            "ci_low": low,
            "ci_high": high,
        }
    )
    table["clear"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    return table.sort_values("change", ascending=False, kind="stable").reset_index(drop=True)
