"""Running a study's comparisons: every declared comparison made into comparison records.

``run_study`` builds the units of every comparison (``usrussia.study.units``), scores each
distinct text once, and makes each comparison by its kind:

- ``groups``: group_b against group_a (``compare.compare_frame``, stratified by
  ``strata``), for every measure of the comparison; within the weeks both groups have units
  when ``same_weeks``; meeting windows (documents and meeting means,
  ``compare.compare_meeting_eras``) on the main measure when ``windows``; one regression
  (``compare.era_regression``) per ``controls`` entry and measure; the grid over the study's
  measures and widths when ``sensitivity``.
- ``event``: the units within ``window_days`` of one meeting against the units in the
  windows of the other meetings whose ``by`` (a column of the events table, e.g. ``era``)
  is group_a.
- ``pooled``: the units of every ``groups`` comparison together, each once, by the pooled
  comparison's ``by``; the unit type is a stratum and a control of every regression.

A comparison that cannot be made gives records with a ``note`` (an empty group, a column the
corpus lacks, undated units for windows), never an exception. Every record has
``question`` (the comparison's name) and ``label``; ``StudyRun.block`` is the
``tone_comparison`` metrics block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from usrussia import compare
from usrussia.study.scope import select
from usrussia.study.spec import Comparison, Study
from usrussia.study.units import (
    DERIVED_COLUMNS,
    GROUP,
    UNIT_NAMES,
    CannotCompare,
    Scorer,
    comparison_documents,
    make_units,
    mark_near_duplicates,
    pooled_units,
    score_units,
)


@dataclass
class ComparisonRun:
    """One comparison made: its scored units, what was tested, the records and notes.

    Attributes
    ----------
    comparison : Comparison
    units : DataFrame
        Every unit of the comparison, scored (for a pooled comparison: of the others).
    tested : DataFrame
        The units the records compare (same weeks applied; for an event comparison the
        units in the windows of the two groups).
    labels : Series
        The group (group_a or group_b) of each row of ``tested``; missing for neither.
    records : list of dict
    notes : list of str
        About the units as a whole (also in every record's ``note``).
    rows : DataFrame
        The records as rows of the study's Holm-adjusted table (set by ``run_study``).
    sensitivity : DataFrame or None
        The grid over measures and widths (Benjamini-Hochberg-adjusted), when asked for.
    meetings : DataFrame or None
        For an event comparison: per meeting, the units in its window and their mean.
    """

    comparison: Comparison
    units: pd.DataFrame
    tested: pd.DataFrame
    records: list[dict[str, Any]]
    notes: list[str]
    labels: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame | None = None
    meetings: pd.DataFrame | None = None

    @property
    def by(self) -> str:
        """The column of the units that holds the groups."""
        return self.comparison.by or GROUP


@dataclass
class StudyRun:
    """A study's comparisons, made.

    Attributes
    ----------
    study : Study
    comparisons : list of ComparisonRun
    table : DataFrame
        Every record, Holm-adjusted across all of them (``compare.comparison_table``).
    shown : DataFrame
        The scored documents of the study's ``show_documents``.
    """

    study: Study
    comparisons: list[ComparisonRun]
    table: pd.DataFrame
    shown: pd.DataFrame

    def block(self) -> list[dict[str, Any]]:
        """The ``tone_comparison`` metrics block: the table, then every sensitivity grid."""
        grids = [run.sensitivity for run in self.comparisons if run.sensitivity is not None]
        return pd.concat([self.table, *grids], ignore_index=True).to_dict("records")


@dataclass
class Built:
    """A comparison's units and notes, or why it cannot be made (``failure``)."""

    units: pd.DataFrame
    notes: list[str]
    failure: str | None = None


def run_study(
    study: Study,
    documents: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    scorer: Scorer | None = None,
    seed: int | None = None,
) -> StudyRun:
    """Make every comparison of ``study`` on its in-scope ``documents``.

    Parameters
    ----------
    study : Study
    documents : DataFrame
        ``usrussia.study.in_scope(study, corpus)``.
    events : DataFrame, optional
        Meetings (``compare.load_events``); default: the study's events table.
    scorer : callable, optional
        Texts to tone scores (default ``score_documents`` with targets).
    seed : int, optional
        Seed of every bootstrap and permutation (default: the study's).

    Returns
    -------
    run : StudyRun
    """
    events = compare.load_events(study.events) if events is None else events
    stats = {"n_resamples": study.n_resamples, "seed": study.seed if seed is None else seed}
    built = study_units(study, documents)
    frames = {str(i): b.units for i, b in enumerate(built)}
    if study.show_documents:
        frames["shown"] = make_units(select(documents, study.show_documents), "document")[0]
    scored = score_units(frames, scorer)
    runs = [
        make_comparison(study, c, replace(built[i], units=scored[str(i)]), events, stats)
        for i, c in enumerate(study.comparisons)
    ]
    table = compare.comparison_table([r for run in runs for r in run.records], correction="holm")
    start = 0
    for run in runs:
        run.rows = table.iloc[start : start + len(run.records)].reset_index(drop=True)
        start += len(run.records)
    shown = scored.get("shown", pd.DataFrame())
    return StudyRun(study=study, comparisons=runs, table=table, shown=shown)


def study_units(study: Study, documents: pd.DataFrame) -> list[Built]:
    """The units of every comparison of ``study``, in its order: a pooled comparison's are
    those of the ``groups`` comparisons; near-duplicates are found once per set of units."""
    cache: dict = {}
    built = [build_units(study, c, documents, cache) for c in study.comparisons]
    parts = [b.units for b, c in zip(built, study.comparisons, strict=True) if c.kind == "groups"]
    return [
        Built(*mark_near_duplicates(pooled_units(parts), study, cache)) if c.kind == "pooled" else b
        for b, c in zip(built, study.comparisons, strict=True)
    ]


def build_units(
    study: Study, comparison: Comparison, documents: pd.DataFrame, cache: dict | None = None
) -> Built:
    """The units of a groups or event comparison with notes (a pooled one gets none here:
    ``study_units`` pools the others'; ``cache``: see ``units.near_duplicates``)."""
    if comparison.kind == "pooled":
        return Built(pd.DataFrame(columns=["text"]), [])
    try:
        docs, notes = comparison_documents(study, comparison, documents)
        units, more = make_units(docs, comparison.unit, comparison.target)
    except CannotCompare as exc:
        return Built(pd.DataFrame(columns=["text"]), [], str(exc))
    units, copies = mark_near_duplicates(units, study, cache)
    return Built(units, notes + more + copies)


def make_comparison(
    study: Study,
    comparison: Comparison,
    built: Built,
    events: pd.DataFrame,
    stats: dict[str, int],
) -> ComparisonRun:
    """One comparison's records from its scored units (see the module for the kinds)."""
    run = ComparisonRun(comparison, built.units, built.units.iloc[:0], [], list(built.notes))
    try:
        if built.failure:
            raise CannotCompare(built.failure)
        if comparison.kind == "event":
            event_records(run, study, events, stats)
        else:
            groups_records(run, study, events, stats)
    except CannotCompare as exc:
        run.records = [unmade_record(comparison, study, str(exc))]
    for record in run.records:
        record["question"] = comparison.name
        record["note"] = "; ".join(filter(None, [record.get("note", ""), *run.notes]))
    return run


def unmade_record(comparison: Comparison, study: Study, why: str) -> dict[str, Any]:
    """The record of a comparison that cannot be made: its groups, no figures, ``why``."""
    measure = (comparison.measures or (study.measure,))[0]
    group_a, group_b = comparison.groups
    record = compare.empty_record(group_a=group_a, group_b=group_b, measure=measure, note=why)
    record["label"] = "not made"
    return record


def measures_of(comparison: Comparison, study: Study) -> tuple[str, ...]:
    """The comparison's measures, the main one first (the study's when none is named)."""
    return comparison.measures or (study.measure,)


def _require(frame: pd.DataFrame, columns: list[str | None]) -> None:
    """``CannotCompare`` naming the first of ``columns`` that ``frame`` lacks."""
    for column in columns:
        if column is not None and column not in frame.columns:
            raise CannotCompare(
                f"the units have no column {column!r} (a corpus column, or one of"
                f" {', '.join(DERIVED_COLUMNS)})"
            )


def _tested(run: ComparisonRun) -> pd.DataFrame:
    """The units of the two groups, within the weeks both have units when asked."""
    units, by = run.units, run.by
    labelled = units[units[by].isin(run.comparison.groups)]
    if not run.comparison.same_weeks:
        return units
    kept = compare.same_weeks(labelled, labelled[by])
    run.notes.append(
        f"{len(kept)} of {len(labelled)} units fall in the {kept['week'].nunique()} weeks"
        " in which both groups have units"
    )
    return kept


def groups_records(
    run: ComparisonRun, study: Study, events: pd.DataFrame, stats: dict[str, int]
) -> None:
    """The records of a groups or pooled comparison, into ``run``."""
    comparison, by = run.comparison, run.by
    a, b = comparison.groups
    pooled = comparison.kind == "pooled"
    strata = comparison.strata or ("unit" if pooled else None)
    controls = [tuple(entry) for entry in comparison.controls]
    if pooled:
        controls = [(*e, "unit") if "unit" not in e else e for e in controls or [()]]
    if pooled and run.units.empty:
        raise CannotCompare("no units to pool: no groups comparison of the study has any")
    _require(run.units, [by, strata, *(c for entry in controls for c in entry)])
    run.tested = tested = _tested(run)
    run.labels = tested[by].where(tested[by].isin(comparison.groups))
    measures = measures_of(comparison, study)
    name = "units" if pooled else UNIT_NAMES[comparison.unit]
    for m in measures:
        record = compare.compare_frame(tested, m, by, a, b, strata=strata, **stats)
        stratified = f", stratified by {strata}" if strata else ""
        run.records.append(record | {"label": f"{name}, {m}{stratified}"})
    if comparison.windows:
        window_by = "meeting_era" if comparison.by == "era" else by
        for record in compare.compare_meeting_eras(
            tested, events, measures[0], a, b, study.window_days, by=window_by, **stats
        ):
            label = f"meeting windows ({record['method']}), {measures[0]}"
            run.records.append(record | {"label": label})
    for entry in controls:
        for m in measures:
            record = compare.era_regression(tested, m, a, b, by=by, controls=entry)
            held = f"{', '.join(entry)} + length" if entry else "length only"
            run.records.append(record | {"label": f"OLS-HC3, {held}, {m}"})
    if comparison.sensitivity:
        run.sensitivity = sensitivity_grid(run, study, events, stats)


def sensitivity_grid(
    run: ComparisonRun, study: Study, events: pd.DataFrame, stats: dict[str, int]
) -> pd.DataFrame:
    """The comparison over every measure of the study and every window width, all units
    first: one record each, Benjamini-Hochberg-adjusted within the grid."""
    a, b = run.comparison.groups
    window_by = "meeting_era" if run.comparison.by == "era" else run.by
    grid = compare.sensitivity(
        run.tested,
        events,
        study.measures,
        study.widths,
        a,
        b,
        by=run.by,
        window_by=window_by,
        **stats,
    )
    records = grid.drop(columns=["p_adjusted", "correction"]).to_dict("records")
    table = compare.comparison_table(records, correction="fdr_bh")
    windows = table["window_days"].map(lambda w: "all units" if pd.isna(w) else f"±{int(w)} days")
    return table.assign(
        question=f"Sensitivity: {run.comparison.name}",
        label=table["measure"] + ", " + windows,
    )


def event_records(
    run: ComparisonRun, study: Study, events: pd.DataFrame, stats: dict[str, int]
) -> None:
    """The records of an event comparison, into ``run``: the named meeting's window
    against the windows of the other meetings of group_a (one record per measure)."""
    comparison = run.comparison
    value, meeting = comparison.groups
    by = comparison.by or "era"
    if by not in events.columns:
        raise CannotCompare(f"the events table has no column {by!r}")
    if meeting not in set(events["meeting"]):
        raise CannotCompare(f"no meeting {meeting!r} in the events table")
    _require(run.units, ["date"])
    windowed = compare.event_windows(run.units, events, study.window_days)
    of_meeting = windowed["meeting"].map(events.set_index("meeting")[by])
    in_a = of_meeting.eq(value) & windowed["meeting"].ne(meeting)
    group_a, group_b = windowed[in_a], windowed[windowed["meeting"] == meeting]
    run.tested = pd.concat([group_a, group_b])
    run.labels = pd.Series([value] * len(group_a) + [meeting] * len(group_b), dtype=object)
    run.labels.index = run.tested.index
    measures = measures_of(comparison, study)
    for m in measures:
        record = compare.compare_groups(
            group_a[m],
            group_b[m],
            group_a=f"{value} meetings",
            group_b=meeting,
            measure=m,
            window_days=study.window_days,
            **stats,
        )
        label = f"{meeting} window vs {value} meeting windows, {m}"
        run.records.append(record | {"label": label})
    undated = compare.undated_count(run.units)
    if undated:
        run.notes.append(f"{undated} undated units could not be placed in a window")
    run.meetings = compare.meeting_summary(windowed, measures[0], events)
