"""Plots more than one notebook draws: the one home of the forest plot of differences with
their intervals (comparison records, topic share changes), of the keyness bar chart and of
the tone of each meeting's window (also beside GDELT's), and of the heat map of topic
shares by group.

Sits after ``usrussia.compare`` in the flow: it draws the tables the stages return and
computes nothing; only notebooks (and report or cli) import it. Every function draws on
``ax`` when given (a new figure otherwise) and returns the axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    """``ax``, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def _forest(ax: Any, diff: Any, low: Any, high: Any, labels: Sequence[str]) -> None:
    """Points at ``diff`` with bars from ``low`` to ``high``, first row on top, and a zero line."""
    diff = np.asarray(diff, dtype=float)
    y = np.arange(diff.size)[::-1]
    errors = np.vstack([diff - np.asarray(low, dtype=float), np.asarray(high, dtype=float) - diff])
    ax.errorbar(diff, y, xerr=errors, fmt="o", color="C0", capsize=3)
    ax.axvline(0, color="grey", lw=1, ls="--")
    ax.set_yticks(y, list(labels))


def plot_comparisons(
    table: pd.DataFrame, label: str = "label", ax: Any = None, title: str = ""
) -> Any:
    """A forest plot of comparison records: each row's ``diff`` with its CI and n.

    Parameters
    ----------
    table : DataFrame
        Records of ``usrussia.compare`` (``diff``, ``ci_low``, ``ci_high``, ``n_a``,
        ``n_b``, ``group_a``, ``group_b``, optionally ``note``).
    label : str
        Column that labels the rows; without it, ``group_a vs group_b``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str
        Axes title (default ``Group differences``).

    Returns
    -------
    ax : matplotlib Axes
        Rows with a ``note`` carry a ``*`` after their label.
    """
    ax = _axes(ax, (8, 0.45 * max(len(table), 2) + 1))
    labels = [
        f"{row[label] if label in table.columns else f'{row.group_a} vs {row.group_b}'}"
        f"  (n={row['n_a']:.0f}/{row['n_b']:.0f}){' *' if row.get('note') else ''}"
        for _, row in table.iterrows()
    ]
    _forest(ax, table["diff"], table["ci_low"], table["ci_high"], labels)
    ax.set_xlabel("difference (group_b - group_a) with 95% CI")
    ax.set_ylabel("comparison")
    ax.set_title(title or "Group differences")
    return ax


def plot_topic_change(
    change: pd.DataFrame,
    labels: tuple[str, str] = ("before", "after"),
    ax: Any = None,
    title: str = "",
) -> Any:
    """A forest plot of the change of each topic's mean share between two eras.

    Parameters
    ----------
    change : DataFrame
        The table of ``usrussia.compare.prevalence.era_difference`` (``topic``, ``change``,
        ``ci_low``, ``ci_high``), drawn in its order, first row on top.
    labels : (str, str)
        Names of the earlier and the later era, for the axis label.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str
        Axes title (default: one naming the eras).

    Returns
    -------
    ax : matplotlib Axes
    """
    before, after = labels
    ax = _axes(ax, (8, 0.35 * max(len(change), 2) + 1.5))
    _forest(ax, change["change"], change["ci_low"], change["ci_high"], change["topic"])
    ax.set_xlabel(f"change in mean topic share ({after} - {before}) with 95% CI")
    ax.set_ylabel("topic")
    ax.set_title(title or f"Topic share change, {after} minus {before}")
    return ax


def plot_keyness(
    table: pd.DataFrame,
    n: int = 15,
    labels: tuple[str, str] = ("target", "reference"),
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Horizontal bars of the ``n`` most key terms of each group (quanteda's textplot_keyness).

    Parameters
    ----------
    table : DataFrame
        The table of ``usrussia.text.explore.keyness`` (``feature`` and ``chi2`` or ``G2``).
    n : int
        Terms shown per group.
    labels : (str, str)
        Names of the target group (positive scores) and the reference group.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Axes title (default: one naming the groups).

    Returns
    -------
    ax : matplotlib Axes
        Target terms in blue on the right, reference terms in grey on the left.
    """
    measure = "chi2" if "chi2" in table.columns else "G2"
    ordered = table.sort_values(measure, ascending=False)
    top = ordered.head(n)
    bottom = ordered[ordered[measure] < 0].tail(n)
    shown = pd.concat([top[top[measure] > 0], bottom]).drop_duplicates("feature")
    ax = _axes(ax, (7, max(3.0, 0.25 * len(shown) + 1)))
    colours = np.where(shown[measure] > 0, "#1f77b4", "#7f7f7f")
    positions = np.arange(len(shown))[::-1]
    ax.barh(positions, shown[measure], color=colours)
    ax.set_yticks(positions, shown["feature"])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(
        f"signed {'chi²' if measure == 'chi2' else 'G²'} (right: {labels[0]}; left: {labels[1]})"
    )
    ax.set_ylabel("term")
    ax.set_title(title or f"Keyness: {labels[0]} vs {labels[1]}")
    return ax


def plot_meetings(summary: pd.DataFrame, measure: str, ax: Any = None, title: str = "") -> Any:
    """The mean of ``measure`` in each meeting's window against the meeting's date, one
    colour per era, point size growing with the units in the window.

    Parameters
    ----------
    summary : DataFrame
        ``usrussia.compare.meeting_summary`` with the events (``date``, ``era``, ``n``,
        ``mean``); meetings without units are left out.
    measure : str
        For the axis label.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax, (10, 4))
    shown = summary[summary["n"] > 0]
    for era, part in shown.groupby("era", sort=False):
        dates = pd.to_datetime(part["date"])
        ax.scatter(dates, part["mean"], s=20 + 10 * part["n"], alpha=0.8, label=f"{era} meetings")
    ylabel = f"mean {measure} of the units in the window"
    default = "Units within the window of each meeting (size: units)"
    return _meeting_axes(ax, ylabel, title or default, legend=bool(len(shown)))


def _meeting_axes(ax: Any, ylabel: str, title: str, legend: bool) -> Any:
    """What every meeting-by-meeting figure shares: the zero line, the labels, the legend."""
    ax.axhline(0, color="grey", lw=1, ls="--")
    ax.set_xlabel("meeting date")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend:
        ax.legend()
    return ax


def plot_meeting_pairs(
    pairs: pd.DataFrame, groups: tuple[str, str], measure: str, ax: Any = None, title: str = ""
) -> Any:
    """Each group's mean ``measure`` in each meeting's window against the meeting's date,
    one colour per group, a line joining the two where a meeting has both.

    Parameters
    ----------
    pairs : DataFrame
        ``usrussia.study.findings.meeting_pairs``.
    groups : (str, str)
    measure : str
        For the axis label.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax, (10, 4))
    dates = pd.to_datetime(pairs["date"])
    a, b = (pairs[f"mean {g}"] for g in groups)
    both = a.notna() & b.notna()
    ax.vlines(dates[both], a[both], b[both], color="grey", lw=1)
    for group, colour in zip(groups, ("C0", "C3"), strict=True):
        mean, n = pairs[f"mean {group}"], pairs[f"n {group}"]
        ax.scatter(dates, mean, s=20 + 10 * n, color=colour, alpha=0.8, label=group)
    default = "Each meeting's window, per group (size: units; line: both)"
    return _meeting_axes(ax, f"mean {measure} in the window", title or default, bool(len(pairs)))


def plot_gdelt_beside_ours(
    both: pd.DataFrame, measure: str, ax: Any = None, title: str = ""
) -> Any:
    """The study's mean ``measure`` and GDELT's tone in each meeting's window against the
    meeting's date, each on its own axis (left: ours, right: GDELT's; twin axes, since the
    scales differ), point size growing with the documents or GDELT events in the window.

    Parameters
    ----------
    both : DataFrame
        ``usrussia.compare.gdelt_beside_ours`` (``date``, ``n``, ``measure``,
        ``gdelt_events``, ``gdelt_tone``).
    measure : str
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    (ax, twin) : matplotlib Axes
        The study's axis and GDELT's.
    """
    ax = _axes(ax, (10, 4))
    twin = ax.twinx()
    dates = pd.to_datetime(both["date"])
    ours = ax.scatter(
        dates, both[measure], s=20 + 10 * both["n"], color="C0", alpha=0.8, label=f"mean {measure}"
    )
    size = 20 + 40 * np.log1p(both["gdelt_events"])
    theirs = twin.scatter(
        dates, both["gdelt_tone"], s=size, color="C3", marker="s", alpha=0.8, label="GDELT tone"
    )
    ax.set_xlabel("meeting date")
    ax.set_ylabel(f"mean {measure} of the documents in the window", color="C0")
    twin.set_ylabel("GDELT tone in the window (its own scale)", color="C3")
    ax.set_title(title or "Each meeting's window: the study's tone and GDELT's (size: n)")
    if len(both):
        ax.legend(handles=[ours, theirs], loc="best")
    return ax, twin


def plot_share_heatmap(table: pd.DataFrame, xlabel: str, ax: Any = None, title: str = "") -> Any:
    """Mean topic shares as a heat map: one column per row of ``table`` (a year, a meeting),
    one row per topic.

    Parameters
    ----------
    table : DataFrame
        Groups x topics (``usrussia.compare.prevalence.prevalence_by`` without ``n_docs``).
    xlabel : str
        What the groups are.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax, (11, 0.35 * table.shape[1] + 2.5))
    image = ax.imshow(table.T.to_numpy(), aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(table)), [str(g) for g in table.index], rotation=90)
    ax.set_yticks(range(table.shape[1]), list(table.columns))
    ax.set(xlabel=xlabel, ylabel="topic", title=title or f"Mean topic share per {xlabel}")
    ax.figure.colorbar(image, ax=ax, label="mean share")
    return ax
