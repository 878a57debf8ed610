"""GDELT's tone of the US-Russia dyad beside the study's, meeting by meeting (page 04).

For each GDELT table the study names (``[gdelt]``: ``events``, ``timeline``): the in-scope
documents within ``window_days`` of a meeting, scored once as document units on the study's
measure, beside GDELT's tone of the same windows (``usrussia.compare.gdelt``); sentences
generated from the figures; the ``gdelt_tone`` metrics block. The two measure different
things, so the sentences speak of direction from meeting to meeting, never of values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia.compare.events import event_windows, load_events, undated_count
from usrussia.compare.gdelt import direction_summary, gdelt_beside_ours, read_gdelt_table
from usrussia.io import sha256_file
from usrussia.study.spec import Study
from usrussia.study.units import Scorer, make_units, score_units

WHAT = {"events": "events", "timeline": "tone timeline points"}  # what a row of each kind is


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class GdeltBeside:
    """One GDELT table of the study beside the study's tone, a row per meeting.

    Attributes
    ----------
    kind : {"events", "timeline"}
    path : Path
    gdelt : DataFrame
        The GDELT table as read.
    table : DataFrame
        ``compare.gdelt_beside_ours``: meeting, date, era, ``n`` and mean ``measure`` of the
        study's documents in its window, GDELT's events, mentions, tone and Goldstein.
    summary : dict
        ``compare.gdelt.direction_summary`` of ``table``.
    measure : str
    window_days : int
    undated : int
        In-scope documents without a date (no window can hold them).
    """

    kind: str
    path: Path
    gdelt: pd.DataFrame
    table: pd.DataFrame
    summary: dict[str, Any]
    measure: str
    window_days: int
    undated: int = 0

    def shown(self) -> pd.DataFrame:
        """``table`` with its columns in words (a timeline has no mentions or Goldstein)."""
        names = {
            "n": "documents",
            self.measure: f"mean {self.measure}",
            "gdelt_events": f"GDELT {WHAT[self.kind]}",
            "gdelt_mentions": "GDELT mentions",
            "gdelt_tone": "GDELT tone",
            "gdelt_goldstein": "GDELT Goldstein",
        }
        dropped = ["gdelt_mentions", "gdelt_goldstein"] if self.kind == "timeline" else []
        return self.table.drop(columns=dropped).rename(columns=names)

    def sentences(self) -> str:
        """What the table shows, in sentences generated from its figures."""
        s, what, w = self.summary, WHAT[self.kind], self.window_days
        dates = pd.to_datetime(self.gdelt["date"]).dropna()
        days = sorted({str(d.date()) for d in (dates.min(), dates.max())}) if len(dates) else []
        span = f" dated {' to '.join(days)}" if days else ""
        lines = [f"`{self.path.name}` holds {_plural(len(self.gdelt), what[:-1])}{span}."]
        if self.undated:
            verb = "has" if self.undated == 1 else "have"
            lines.append(f"{_plural(self.undated, 'document')} of this study {verb} no date.")
        if not s["meetings"]:
            lines.append(
                f"No meeting has documents of this study or GDELT {what} within ±{w} days."
            )
            return " ".join(lines)
        have = "has" if s["meetings"] == 1 else "have"
        lines.append(
            f"Within ±{w} days, {_plural(s['meetings'], 'meeting')} {have} documents of this "
            f"study or GDELT {what}: {s['with_documents']:,} have documents, "
            f"{s['with_gdelt']:,} GDELT {what}, and {s['both']:,} a tone of each."
        )
        if s["steps"]:
            lines.append(
                f"From one of those {s['both']:,} meetings to the next, the study's mean "
                f"{self.measure} and GDELT's tone changed in the same direction "
                f"{_plural(s['same_direction'], 'time')} and in opposite directions "
                f"{_plural(s['opposite'], 'time')} (of {_plural(s['steps'], 'step')})."
            )
        else:
            lines.append(
                f"With {_plural(s['both'], 'meeting')} having a tone of each, their direction "
                "from meeting to meeting cannot be compared."
            )
        if pd.notna(s["spearman"]):
            lines.append(f"Their rank correlation over those meetings is {s['spearman']:.2f}.")
        return " ".join(lines)

    def block(self) -> dict[str, Any]:
        """This table's part of the ``gdelt_tone`` metrics block."""
        return {
            "file": self.path.name,
            "sha256": sha256_file(self.path),
            "rows": len(self.gdelt),
            "measure": self.measure,
            "window_days": self.window_days,
            **self.summary,
            "meetings_shown": self.table.to_dict("records"),
        }


def gdelt_beside_study(
    study: Study,
    documents: pd.DataFrame,
    events: pd.DataFrame | None = None,
    scorer: Scorer | None = None,
) -> list[GdeltBeside]:
    """Every GDELT table the study names beside the study's tone (none named: empty).

    Parameters
    ----------
    study : Study
    documents : DataFrame
        ``usrussia.study.in_scope(study, corpus)``.
    events : DataFrame, optional
        Meetings (``compare.load_events``); default: the study's events table.
    scorer : callable, optional
        As in ``usrussia.study.units.score_units``.

    Returns
    -------
    list of GdeltBeside
        In the order events, timeline.
    """
    if not study.gdelt:
        return []
    events = load_events(study.events) if events is None else events
    near = event_windows(documents, events, study.window_days)["doc_id"]
    undated = undated_count(documents)
    units, _ = make_units(documents[documents["doc_id"].isin(near)], "document")
    scored = score_units({"gdelt": units}, scorer)["gdelt"] if len(units) else units
    if study.measure not in scored.columns:
        scored = scored.assign(**{study.measure: pd.Series(dtype=float)})
    parts = []
    for kind, path in study.gdelt.items():
        gdelt = read_gdelt_table(path, kind)
        table = gdelt_beside_ours(gdelt, scored, events, study.window_days, study.measure)
        summary = direction_summary(table, study.measure)
        parts.append(
            GdeltBeside(
                kind, path, gdelt, table, summary, study.measure, study.window_days, undated
            )
        )
    return parts


def no_gdelt_note(study: Study) -> str:
    """One line when the study names no GDELT table (else empty)."""
    if study.gdelt:
        return ""
    return (
        "This study names no GDELT table (a `[gdelt]` table with `events` or `timeline` in "
        "the study file), so GDELT's tone is not shown."
    )


def gdelt_block(parts: list[GdeltBeside]) -> dict[str, Any]:
    """The ``gdelt_tone`` metrics block: each table's part by kind (empty: none named)."""
    return {part.kind: part.block() for part in parts}
