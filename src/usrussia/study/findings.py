"""What a comparison page shows beside the records: who is in the groups, what words and
topics set them apart, and every record in one plain sentence.

- ``group_summary``: per group (and stratum) the units, documents, years and mean tone.
- ``keyness_between``: the terms that set group_b's units apart from group_a's.
- ``read_topic_shares`` / ``topic_change``: the change of each topic's mean share between
  the groups, from the shares notebook 03 wrote (``usrussia.topics.files``).
- ``meeting_pairs``: per meeting, each group's mean tone in its window (the two capitals'
  words about the same meeting, side by side).
- ``sentences``: one line per record (``compare.describe``), for the page.
- ``limits``: the limits this run's own numbers show (small groups, comparisons not made).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from usrussia.compare import SMALL_N, describe, event_windows
from usrussia.compare.prevalence import era_difference
from usrussia.study.comparisons import ComparisonRun, StudyRun
from usrussia.text.explore import keyness
from usrussia.text.vectorize import build_dtm, count_vectorizer
from usrussia.topics import files as topics_files
from usrussia.topics.files import topic_shares_path

NO_GROUP = "(neither group)"
# The record fields a page shows, per comparison and for all comparisons (with question).
RECORD_COLUMNS = [
    "label",
    "group_a",
    "group_b",
    "measure",
    "diff",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "effect_size",
    "cliffs_delta",
    "n_a",
    "n_b",
    "note",
]
TABLE_COLUMNS = ["question", *RECORD_COLUMNS]


def _years(dates: pd.Series) -> str:
    """The years of ``dates`` as ranges, e.g. ``2000-2003, 2009``; a dash when undated."""
    years = sorted(set(pd.to_datetime(dates).dropna().dt.year))
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans) or "-"


def group_summary(run: ComparisonRun) -> pd.DataFrame:
    """Per value of the comparison's ``by`` column (and stratum): who is in the groups.

    Returns
    -------
    summary : DataFrame
        ``group`` (and the stratum column), ``units``, ``documents``, ``years``, the mean
        of each of the comparison's measures, the share of units below zero on the main
        measure and the near-duplicates; empty when the comparison has no units.
    """
    units = run.units
    if units.empty or run.by not in units.columns:
        return pd.DataFrame()
    strata = run.comparison.strata
    keys = list(dict.fromkeys([run.by] + ([strata] if strata in units.columns else [])))
    frame = units.assign(**{run.by: units[run.by].astype(object).fillna(NO_GROUP)})
    measures = [m for m in dict.fromkeys(r["measure"] for r in run.records) if m in units]
    grouped = frame.groupby(keys, sort=True, dropna=False)
    summary = grouped.agg(
        units=("unit_id", "size"),
        documents=("doc_id", "nunique"),
        years=("date", _years),
        **{f"mean {m}": (m, "mean") for m in measures},
    )
    if measures:
        summary[f"share below 0 ({measures[0]})"] = grouped[measures[0]].apply(
            lambda values: float((values.dropna() < 0).mean()) if values.notna().any() else np.nan
        )
    summary["near-duplicates"] = grouped["near_duplicate"].sum().astype(int)
    return summary.reset_index().rename(columns={run.by: "group"})


def keyness_between(run: ComparisonRun, min_df: int = 2) -> tuple[pd.DataFrame | None, str]:
    """Keyness of group_b's units against group_a's (``text.explore.keyness``, chi² with
    Yates' correction on document frequencies: each unit counts a term once).

    Returns
    -------
    table : DataFrame or None
        None when a group has fewer than 2 units or no term occurs in ``min_df`` units.
    note : str
        Why there is no table (empty otherwise).
    """
    a, b = run.comparison.groups
    units = run.tested[run.labels.isin([a, b])]
    in_b = (run.labels[units.index] == b).to_numpy()
    n_a, n_b = int((~in_b).sum()), int(in_b.sum())
    if min(n_a, n_b) < 2:
        return None, f"keyness needs at least 2 units in each group; {a} has {n_a}, {b} {n_b}"
    try:
        dtm = build_dtm(units["text"], count_vectorizer(min_df=min_df, binary=True), desc=None)
    except ValueError:  # no term left after min_df
        return None, f"no term occurs in {min_df} or more units"
    return keyness(dtm.matrix, in_b, dtm.terms), ""


def read_topic_shares(output_dir: str | Path) -> tuple[pd.DataFrame | None, str]:
    """Notebook 03's document-topic shares (index ``doc_id``) and, when absent, why."""
    path = topic_shares_path(output_dir)
    shares = topics_files.read_topic_shares(output_dir)
    if shares is None:
        return None, (
            f"no topic shares at {path}: notebook 03 writes them (run the whole report, or"
            " 03 before this page); topic-share changes are left out"
        )
    if "doc_id" not in shares.columns or shares.shape[1] < 2:
        return None, f"{path} has no doc_id and topic columns; topic-share changes left out"
    return shares.set_index("doc_id").astype(float), ""


def topic_change(
    run: ComparisonRun, shares: pd.DataFrame | None, n_resamples: int, seed: int
) -> tuple[pd.DataFrame | None, str]:
    """The change of each topic's mean share from group_a's documents to group_b's.

    Documents (not units: a document's sentences share its topics) of each group that have
    shares; ``compare.prevalence.era_difference`` gives the intervals.

    Returns
    -------
    table : DataFrame or None
        None without ``shares`` (``read_topic_shares`` says why) or when a group has
        fewer than 2 documents with shares.
    note : str
        Documents without shares, or why there is no table.
    """
    if shares is None:
        return None, ""
    a, b = run.comparison.groups
    labelled = run.tested.assign(_group=run.labels)[run.labels.isin([a, b])]
    groups = labelled.drop_duplicates("doc_id").set_index("doc_id")["_group"]
    has = groups.index.isin(shares.index)
    groups = groups[has]
    notes = [f"{int((~has).sum())} documents have no topic shares"] if (~has).any() else []
    counts = groups.value_counts()
    if min(counts.get(a, 0), counts.get(b, 0)) < 2:
        notes.append("topic-share change needs 2 documents with shares in each group")
        return None, "; ".join(notes)
    table = era_difference(
        shares.loc[groups.index], groups, a, b, n_resamples=n_resamples, seed=seed
    )
    return table, "; ".join(notes)


def meeting_windows(run: ComparisonRun) -> tuple[pd.DataFrame, str]:
    """The meetings with units in their window (``run.meetings``) and a sentence on those
    without any, by era."""
    meetings = run.meetings if run.meetings is not None else pd.DataFrame({"n": []})
    empty = meetings[meetings["n"] == 0]
    counts = ", ".join(f"{era} {n}" for era, n in empty.groupby("era", sort=False).size().items())
    note = f"{len(empty)} meetings have no unit in their window ({counts})." if len(empty) else ""
    return meetings[meetings["n"] > 0], note


def meeting_pairs(
    run: ComparisonRun, events: pd.DataFrame, window_days: int, measure: str
) -> tuple[pd.DataFrame, str]:
    """Per meeting, the units of each group within ``window_days`` of it and their mean
    ``measure``, and a sentence saying how many meetings have units of both groups.

    For comparisons whose groups are not eras (e.g. the Kremlin's pages and the White
    House's texts), so that each meeting's two sides can be read side by side.

    Returns
    -------
    pairs : DataFrame
        ``meeting``, ``date``, then ``n`` and ``mean`` of group_a and of group_b (columns
        named ``n <group>``, ``mean <group>``), one row per meeting with any unit.
    note : str
    """
    a, b = run.comparison.groups
    tested = run.tested.assign(_group=run.labels).dropna(subset=["_group"])
    windowed = event_windows(tested, events, window_days)
    per = windowed.groupby(["meeting", "meeting_date", "_group"])[measure].agg(["count", "mean"])
    wide = per.unstack("_group").reindex(columns=pd.MultiIndex.from_product([per.columns, [a, b]]))
    pairs = pd.DataFrame(
        {"meeting": [m for m, _ in wide.index], "date": [d for _, d in wide.index]}
    )
    for group in (a, b):
        pairs[f"n {group}"] = wide[("count", group)].fillna(0).astype(int).to_numpy()
        pairs[f"mean {group}"] = wide[("mean", group)].to_numpy()
    both = int(((pairs[f"n {a}"] > 0) & (pairs[f"n {b}"] > 0)).sum())
    note = (
        f"Within ±{window_days} days: {len(pairs)} meetings have units of {a} or {b};"
        f" {both} of them {'has' if both == 1 else 'have'} units of both."
    )
    return pairs.sort_values("date", kind="stable").reset_index(drop=True), note


def shown_tone(result: StudyRun) -> pd.DataFrame:
    """The tone of the study's ``show_documents``: id, title, the study's measures and the
    number of sentences."""
    shown = result.shown
    columns = ["doc_id", "title", *result.study.measures, "n_sentences"]
    return shown[[c for c in columns if c in shown.columns]]


def sentences(rows: pd.DataFrame) -> str:
    """Markdown: one bullet per record, its label and ``compare.describe`` of it."""
    return "\n".join(f"- **{row['label']}**: {describe(row)}" for row in rows.to_dict("records"))


def limits(result: StudyRun) -> list[str]:
    """The limits the run's own numbers show, one sentence each (empty when none)."""
    table = result.table
    small = table[table[["n_a", "n_b"]].min(axis=1) < SMALL_N]
    untested = table[table["p_value"].isna()]
    found = []
    if len(small):
        questions = ", ".join(dict.fromkeys(small["question"]))
        found.append(
            f"{len(small)} of {len(table)} records have a group of fewer than {SMALL_N} units"
            f" ({questions}): their intervals are too narrow and their p-values the safer guide."
        )
    if len(untested):
        questions = ", ".join(dict.fromkeys(untested["question"]))
        found.append(
            f"{len(untested)} records could not be tested ({questions}); their notes say why."
        )
    return found
