"""Checking a study against its corpus, before any notebook starts.

``load_study`` checks a study file on its own (keys, kinds); ``check_study`` checks what
it says against the corpus and the tables it names, so that a typo is one clear line
naming the key (``comparisons[2].groups: …``) instead of a notebook traceback minutes
later. It checks in stages, each only once the earlier ones hold (a filter on an unknown
column cannot be applied): the corpus and the tables (``check_tables``: events,
outlet groups, GDELT tables, the targets of the alias table; no corpus needed), then every
column a filter, ``by``, ``strata`` or ``controls`` names, then the scope, then the groups
and comparisons. What a comparison can merely not make (a small group, no dates for
windows) is not a problem here: the report gives it a note.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from usrussia import config
from usrussia.compare.events import event_windows, load_events
from usrussia.compare.gdelt import read_gdelt_table
from usrussia.compare.records import SMALL_N
from usrussia.corpus import check_corpus
from usrussia.corpus.records import InputError
from usrussia.corpus.selection import load_alias_rows
from usrussia.study.scope import (
    OUTLET_GROUP,
    filter_mask,
    is_date_range,
    read_outlet_groups,
    select,
    with_outlet_groups,
)
from usrussia.study.spec import Comparison, Filter, Study
from usrussia.study.units import DERIVED_COLUMNS

SHOWN_PROBLEMS = 3  # problems spelled out in the one error line; the rest are counted


@dataclass(frozen=True)
class GroupCounts:
    """How many documents one comparison has in each group (what ``study check`` prints)."""

    name: str
    counted: str  # what the numbers count, e.g. "documents by era"
    n: dict[str, int]


@dataclass(frozen=True)
class Summary:
    """A study that passed ``check_study``: its corpus and scope sizes, its groups' sizes."""

    study: Study
    documents: int
    in_scope: int
    comparisons: tuple[GroupCounts, ...]

    def lines(self) -> list[str]:
        """The summary as lines of text: the study, then one line per comparison."""
        head = (
            f"study {self.study.name!r}: {self.in_scope:,} of {self.documents:,} documents "
            f"of {display(self.study.corpus)} in scope, {len(self.comparisons)} comparisons"
        )
        rows = [head]
        for c in self.comparisons:
            sizes = ", ".join(f"{group} {n:,}" for group, n in c.n.items())
            small = (
                f" (under {SMALL_N}: the report notes it)" if min(c.n.values()) < SMALL_N else ""
            )
            rows.append(f"  {c.name}: {sizes} {c.counted}{small}")
        if not self.comparisons:
            rows.append("  no comparisons: the tone comparison page says so")
        gdelt = self.study.gdelt.items()
        rows += [f"  gdelt.{k}: {display(p)} (its tone beside the study's)" for k, p in gdelt]
        return rows


def display(path: Path) -> str:
    """A path relative to the working folder when it lies inside it, else as it is."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class Problems:
    """The problems found in one stage; ``stop`` raises them as one ``InputError`` line."""

    def __init__(self, study: Study) -> None:
        self.where = display(study.path) if study.path else "study"
        self.found: list[str] = []

    def add(self, key: str, problem: str) -> None:
        self.found.append(f"{key}: {problem}")

    def stop(self) -> None:
        if not self.found:
            return
        shown = "; ".join(self.found[:SHOWN_PROBLEMS])
        more = len(self.found) - SHOWN_PROBLEMS
        rest = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise InputError(f"{self.where}: {shown}{rest}", parameter="study")


def listing(values: Iterable[object], limit: int = 10) -> str:
    """Values for a message, sorted, at most ``limit`` of them."""
    items = sorted({str(v) for v in values})
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "") or "none"


def filters(study: Study) -> list[tuple[str, Filter]]:
    """Every filter of the study with its key: the scope, the comparisons', the others."""
    found = [("scope", study.scope)]
    found += [(f"comparisons[{i}].filter", c.filter) for i, c in enumerate(study.comparisons)]
    return found + other_filters(study)


def other_filters(study: Study) -> list[tuple[str, Filter]]:
    """The filters applied to the in-scope documents besides the comparisons'."""
    found = [(f"groups.{name}", spec) for name, spec in study.groups.items()]
    found.append(("topics.filter", study.topics.get("filter", {})))
    return [*found, ("show_documents", study.show_documents)]


def check_tables(study: Study) -> None:
    """Check what needs no corpus: the events, outlet-group and GDELT tables, targets and
    meetings.

    Raises
    ------
    InputError
        A missing or malformed table, a target the alias table lacks or a meeting the
        events table lacks, naming the key.
    """
    problems = Problems(study)
    try:
        meetings = set(load_events(study.events)["meeting"])
    except InputError as exc:
        problems.add("events.path", str(exc))
        meetings = None
    if study.outlet_groups is not None:
        try:
            read_outlet_groups(study.outlet_groups)
        except InputError as exc:
            problems.add("outlet_groups.path", str(exc))
    for kind, path in study.gdelt.items():
        try:
            read_gdelt_table(path, kind)
        except InputError as exc:
            problems.add(f"gdelt.{kind}", str(exc))
    targets = alias_targets()
    for i, c in enumerate(study.comparisons):
        if c.target is not None and c.target not in targets:
            where = display(config.ENTITY_ALIASES_CSV)
            problems.add(
                f"comparisons[{i}].target",
                f"{c.target!r} is not a target of the alias table {where} "
                f"(targets: {listing(targets)})",
            )
        if c.kind == "event" and meetings is not None and c.groups[1] not in meetings:
            problems.add(
                f"comparisons[{i}].groups",
                f"no meeting {c.groups[1]!r} in the events table {display(study.events)} "
                "(a meeting is named 'YYYY-MM-DD City')",
            )
    problems.stop()


def alias_targets() -> set[str]:
    """The targets the alias table names (``target`` column)."""
    try:
        rows = load_alias_rows(config.ENTITY_ALIASES_CSV)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the alias table: {exc}") from exc
    return {row["target"] for row in rows if row["target"]}


def read_columns(study: Study) -> tuple[pd.DataFrame, set[str]]:
    """The corpus columns the study's checks need (not the whole corpus), and the names of
    all its columns."""
    try:
        path = check_corpus(study.corpus)
    except InputError as exc:
        raise InputError(f"{Problems(study).where}: study.corpus: {exc}", "study") from exc
    names = pq.read_schema(path).names
    wanted = {column for _, spec in filters(study) for column in spec}
    wanted |= {c.by for c in study.comparisons if c.by} | {"date", "outlet", "era"}
    return pd.read_parquet(path, columns=[n for n in names if n in wanted]), set(names)


def check_study(study: Study, corpus: pd.DataFrame | None = None) -> Summary:
    """Check a study against its corpus (read from ``study.corpus`` unless given).

    Parameters
    ----------
    study : Study
    corpus : DataFrame, optional
        The corpus (or the columns of it the study names); default: read from the file.

    Returns
    -------
    summary : Summary
        Documents in the corpus and in scope, and each comparison's documents per group.

    Raises
    ------
    InputError
        One line naming the key of each problem (up to ``SHOWN_PROBLEMS``): a corpus that
        is missing or not a corpus, a table that is missing or malformed, an unknown
        column, a filter value, group or meeting absent from the data, a date range
        outside the corpus's dates, a filter that matches nothing.
    """
    check_tables(study)
    corpus, names = read_columns(study) if corpus is None else (corpus, set(corpus.columns))
    check_columns(study, names | ({OUTLET_GROUP} if study.outlet_groups else set()))
    frame = with_outlet_groups(study, corpus)
    problems = Problems(study)
    check_filter(problems, "scope", study.scope, frame, "document of the corpus")
    problems.stop()
    documents = select(frame, study.scope).reset_index(drop=True)
    for key, spec in other_filters(study):
        check_filter(problems, key, spec, documents, "in-scope document")
    counts = [
        check_comparison(problems, study, i, documents) for i in range(len(study.comparisons))
    ]
    problems.stop()
    return Summary(study, len(corpus), len(documents), tuple(c for c in counts if c))


def check_columns(study: Study, columns: set[str]) -> None:
    """Refuse every filter column, ``by``, ``strata`` and control the data do not have."""
    problems = Problems(study)

    def known(key: str, column: str, extra: Sequence[str] = ()) -> None:
        if column in columns or column in extra:
            return
        names = sorted(columns | set(extra))
        close = difflib.get_close_matches(column, names, n=1)
        if column == OUTLET_GROUP:
            hint = "it needs an [outlet_groups] table"
        else:
            hint = f"did you mean {close[0]!r}?" if close else f"columns: {listing(names, 30)}"
        problems.add(key, f"unknown column {column!r} ({hint})")

    for key, spec in filters(study):
        for column in spec:
            known(f"{key}.{column}", column)
    for i, c in enumerate(study.comparisons):
        for name in ("by", "strata"):
            if getattr(c, name) is not None:
                known(f"comparisons[{i}].{name}", getattr(c, name))
        for j, entry in enumerate(c.controls):
            for column in entry:
                known(f"comparisons[{i}].controls[{j}]", column, DERIVED_COLUMNS)
    problems.stop()


def check_filter(
    problems: Problems, key: str, spec: Filter, frame: pd.DataFrame, what: str
) -> pd.DataFrame:
    """Check each condition of ``spec`` on ``frame``, then the whole; the rows it keeps."""
    before = len(problems.found)
    for column, value in spec.items():
        values = frame[column]
        at = f"{key}.{column}"
        if isinstance(value, bool):
            if not pd.api.types.is_bool_dtype(values):
                problems.add(at, f"true/false needs a true/false column; {column} is not one")
        elif is_date_range(value):
            check_dates(problems, at, value, values, what)
        else:
            present = set(values.dropna().unique())
            for missing in [v for v in value if v not in present]:
                problems.add(
                    at, f"no {what} has {column} {missing!r} (present: {listing(present)})"
                )
    if len(problems.found) > before:
        return frame.iloc[:0]
    kept = frame[filter_mask(frame, spec)]
    if kept.empty:
        problems.add(key, f"matches no {what}")
    return kept


def check_dates(problems: Problems, key: str, value: tuple, values: pd.Series, what: str) -> None:
    """A date range must be on a date column and overlap the dates ``values`` hold."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        problems.add(key, f"a date range needs a date column; {values.name} is not one")
        return
    days = values.dropna().dt.normalize()
    if days.empty:
        problems.add(key, f"no {what} has a {values.name}: a date range keeps none")
        return
    start, end = value
    low, high = days.min().date(), days.max().date()
    if (start is not None and start > high) or (end is not None and end < low):
        problems.add(
            key,
            f"the range {start or '…'} to {end or '…'} is outside the dates of every "
            f"{what} ({low} to {high})",
        )


def check_comparison(
    problems: Problems, study: Study, i: int, documents: pd.DataFrame
) -> GroupCounts | None:
    """Check comparison ``i``'s filter and groups; its documents per group."""
    c = study.comparisons[i]
    key = f"comparisons[{i}]"
    before = len(problems.found)
    docs = check_filter(problems, f"{key}.filter", c.filter, documents, "in-scope document")
    if len(problems.found) > before:
        return None
    if c.kind == "event":
        return event_counts(problems, study, i, docs)
    if c.kind == "pooled":
        docs = pooled_documents(study, c, documents)
    if c.by is None:
        n = {name: int(filter_mask(docs, study.groups[name]).sum()) for name in c.groups}
        for name in [name for name, count in n.items() if count == 0]:
            problems.add(f"{key}.groups", f"the group {name!r} matches none of its documents")
        return GroupCounts(c.name, "documents", n)
    present = docs[c.by].value_counts()
    for group in [g for g in c.groups if g not in present.index]:
        problems.add(
            f"{key}.groups",
            f"no document of this comparison has {c.by} {group!r} "
            f"(present: {listing(present.index)})",
        )
    n = {g: int(present.get(g, 0)) for g in c.groups}
    return GroupCounts(c.name, f"documents by {c.by}", n)


def pooled_documents(study: Study, pooled: Comparison, documents: pd.DataFrame) -> pd.DataFrame:
    """The documents a pooled comparison draws on: those of the ``groups`` comparisons
    with the same ``by`` (each document once)."""
    masks = [
        filter_mask(documents, c.filter)
        for c in study.comparisons
        if c.kind == "groups" and c.by == pooled.by
    ]
    if not masks:
        return documents.iloc[:0]
    return documents[pd.concat(masks, axis=1).any(axis=1)]


def event_counts(problems: Problems, study: Study, i: int, docs: pd.DataFrame) -> GroupCounts:
    """An event comparison: its era must be among the documents and its meeting within
    their dates (unless they are undated: the report notes that); documents per window."""
    c = study.comparisons[i]
    era, meeting = c.groups
    if era not in set(docs[c.by].dropna()):
        problems.add(
            f"comparisons[{i}].groups",
            f"no document of this comparison has {c.by} {era!r} "
            f"(present: {listing(docs[c.by].dropna())})",
        )
    events = load_events(study.events)
    day = events.loc[events["meeting"] == meeting, "date"].iloc[0]
    dated = docs["date"].dropna()
    reach = pd.Timedelta(days=study.window_days)
    if not dated.empty and not dated.min() - reach <= day <= dated.max() + reach:
        problems.add(
            f"comparisons[{i}].groups",
            f"the meeting {meeting!r} is outside the dates of this comparison's documents "
            f"({dated.min().date()} to {dated.max().date()})",
        )
    windowed = event_windows(docs, events, study.window_days)
    n = {
        f"{era} meetings": int((windowed["meeting_era"] == era).sum()),
        meeting: int((windowed["meeting"] == meeting).sum()),
    }
    return GroupCounts(c.name, f"documents within {study.window_days} days", n)
