"""``usrussia sentiment`` on a file of any size: scored and written part by part.

``score_file`` reads the input in parts (``usrussia.engine.parts``) twice, on whichever
engine runs the work, so that memory stays flat however large the file: a first pass
keeps or quarantines every row (the ledger) and surveys the columns, a second scores each
part and writes it, in input order, into one output. The output is the one scoring the whole
table at once writes (``read_texts``, ``score_documents``, ``write_table``): CSV and JSONL
byte for byte, Parquet value for value (one row group per part).

What makes the parts agree with the whole: pandas infers a column's type from the kinds of
values it holds (ints and their range, floats, NaN, None, bools, strings, ...). The survey
keeps one value of each kind for each column (the smallest and largest int; NaN where a
row lacks the column), and every part is built with these sample rows in front, then
without them, so that each part's columns get the whole table's types.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia.corpus.records import Ledger, Record, Rejected
from usrussia.engine import PANDAS, Engine
from usrussia.engine.parts import Part, plan_parts, read_part
from usrussia.io import atomic_write
from usrussia.io import progress as progress_bar

_BOUNDS = {"int min": min, "int max": max}  # the kinds that keep a bound, not the first value


@dataclasses.dataclass
class Survey:
    """What the first pass learns from some rows: the accounting and the columns' values.

    ``values`` maps each column (first-seen order) to one value of each kind it holds;
    ``present`` counts the kept rows that hold each column.
    """

    read: int = 0
    kept: int = 0
    records: int = 0
    seen_column: bool = False
    rejected: list[Rejected] = dataclasses.field(default_factory=list)
    values: dict[str, dict[Any, Any]] = dataclasses.field(default_factory=dict)
    present: Counter[str] = dataclasses.field(default_factory=Counter)

    def note(self, row: dict[str, Any]) -> None:
        """Count a kept row and keep a value of each new kind of its columns' values."""
        self.kept += 1
        self.present.update(row.keys())
        for column, value in row.items():
            kinds = self.values.setdefault(column, {})
            if type(value) is int:
                for kind, bound in _BOUNDS.items():
                    kinds[kind] = bound(kinds.get(kind, value), value)
            elif isinstance(value, float) and math.isnan(value):
                kinds.setdefault("nan", value)
            else:
                kinds.setdefault((type(value), str(getattr(value, "tzinfo", ""))), value)

    def add(self, other: Survey) -> None:
        """Fold in the survey of the rows that follow."""
        self.read += other.read
        self.records += other.records
        self.seen_column = self.seen_column or other.seen_column
        self.rejected.extend(other.rejected)
        self.kept += other.kept
        self.present.update(other.present)
        for column, kinds in other.values.items():
            mine = self.values.setdefault(column, {})
            for kind, value in kinds.items():
                if kind in _BOUNDS and kind in mine:
                    mine[kind] = _BOUNDS[kind](mine[kind], value)
                else:
                    mine.setdefault(kind, value)

    def samples(self, columns: list[str]) -> list[dict[str, Any]]:
        """Rows that hold every kind of value of each of ``columns`` (NaN: a row lacks it)."""
        per = {
            c: [*self.values[c].values(), *([math.nan] if self.present[c] < self.kept else [])]
            for c in columns
        }
        n = max((len(v) for v in per.values()), default=0)
        return [{c: v[i % len(v)] for c, v in per.items()} for i in range(n)]


def _kept_rows(part: Part, text_column: str, survey: Survey | None = None) -> list[dict]:
    """The rows of ``part`` that have text; ``survey`` (if given) accounts for every row."""
    from usrussia.sentiment.files import text_rejection

    rows = []
    for item in read_part(part):
        rejected = text_rejection(item, text_column)
        if survey is not None:
            survey.read += 1
            if isinstance(item, Record):
                survey.records += 1
                survey.seen_column = survey.seen_column or text_column in item.data
            if rejected is not None:
                survey.rejected.append(rejected)
        if rejected is None:
            rows.append(item.data)
    return rows


def survey_part(part: Part, text_column: str) -> Survey:
    """The first pass over one part."""
    survey = Survey()
    for row in _kept_rows(part, text_column, survey):
        survey.note(row)
    return survey


@dataclasses.dataclass(frozen=True)
class Layout:
    """How every part is written: the kept columns, their sample rows, the output."""

    text_column: str
    targets: bool
    columns: list[str]
    samples: list[dict[str, Any]]
    fmt: str
    schema: Any = None  # the Parquet schema


def _frame(rows: list[dict[str, Any]], layout: Layout) -> pd.DataFrame:
    """``rows`` as the whole table's frame would hold them (the sample rows' types)."""
    frame = pd.DataFrame(layout.samples + rows, columns=layout.columns)
    return frame.iloc[len(layout.samples) :].reset_index(drop=True)


def _scored(rows: list[dict[str, Any]], layout: Layout) -> pd.DataFrame:
    from usrussia.sentiment import score_documents

    texts = [row[layout.text_column] for row in rows]  # the text column may be named "score"
    scores = score_documents(texts, targets=layout.targets)
    return pd.concat([_frame(rows, layout), scores], axis=1)


def _encoded(out: pd.DataFrame, layout: Layout) -> Any:
    """A part's rows as the output stores them (CSV/JSONL text without a header, a table)."""
    if layout.fmt == "csv":
        return out.to_csv(index=False, header=False)
    if layout.fmt == "jsonl":
        return out.to_json(orient="records", lines=True, force_ascii=False) if len(out) else ""
    import pyarrow as pa

    return pa.Table.from_pandas(out, schema=layout.schema, preserve_index=False)


def score_part(part: Part, layout: Layout) -> tuple[int, Any]:
    """The second pass over one part: (rows, the scored rows encoded for the output)."""
    out = _scored(_kept_rows(part, layout.text_column), layout)
    return len(out), _encoded(out, layout)


def _survey(
    path: Path, text_column: str, fmt: str | None, engine: Engine
) -> tuple[Survey, Iterator[Part]]:
    """The first pass over the whole file, and a fresh plan of its parts for the second."""

    def plan() -> Iterator[Part]:
        return plan_parts(path, fmt, engine.chunk, engine.sees)

    survey = Survey()
    for part in engine.map_chunks(functools.partial(survey_part, text_column=text_column), plan()):
        survey.add(part)
    return survey, plan()


def _layout(survey: Survey, text_column: str, targets: bool, output: Path) -> Layout:
    """The output's columns and types, checked (``check_table``) before any scoring."""
    from usrussia.sentiment import check_table, score_documents, table_format
    from usrussia.sentiment.files import parquet_table

    scored = score_documents([], targets=targets).columns
    columns = [c for c in survey.values if c not in scored]
    layout = Layout(text_column, targets, columns, survey.samples(columns), table_format(output))
    check_table(_frame(layout.samples, dataclasses.replace(layout, samples=[])), output)
    if layout.fmt != "parquet":
        return layout
    template = _scored(layout.samples, dataclasses.replace(layout, samples=[]))
    return dataclasses.replace(layout, schema=parquet_table(template, output).schema)


def score_file(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    text_column: str = "text",
    fmt: str | None = None,
    targets: bool = True,
    progress: str | None = None,
    engine: Engine = PANDAS,
) -> Ledger:
    """Score every text of a table file into ``output``, part by part; the ledger of rows.

    The output is ``write_table`` of the rows ``read_texts`` keeps (without columns named
    like a score) beside their ``score_documents``. Raises ``MissingColumnError`` when the
    file has records but no ``text_column``, ``InputError`` for a file that cannot be read
    and ``OutputError`` for rows the output cannot hold, all before ``output`` is written.
    """
    from usrussia.sentiment import MissingColumnError

    path, output = Path(path), Path(output)
    survey, parts = _survey(path, text_column, fmt, engine)
    if survey.records and not survey.seen_column:
        raise MissingColumnError(path, text_column)
    ledger = Ledger(survey.read, survey.kept, survey.rejected)
    ledger.check()
    layout = _layout(survey, text_column, targets, output)
    results = engine.map_chunks(functools.partial(score_part, layout=layout), parts)
    bar = progress_bar(iter(()), desc=progress, total=survey.kept, unit="doc")
    write = _writers[layout.fmt]
    try:
        atomic_write(output, lambda tmp: write(tmp, layout, _counted(results, bar)))
    finally:
        bar.close()
    return ledger


def _counted(results: Iterator[tuple[int, Any]], bar: Any) -> Iterator[Any]:
    for rows, encoded in results:
        bar.update(rows)
        yield encoded


def _write_text(tmp: Path, layout: Layout, parts: Iterator[str]) -> None:
    empty = _scored([], dataclasses.replace(layout, samples=[]))
    written = False
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        if layout.fmt == "csv":
            fh.write(empty.to_csv(index=False))
        for text in parts:
            fh.write(text)
            written = written or bool(text)
        if layout.fmt == "jsonl" and not written:
            fh.write(empty.to_json(orient="records", lines=True, force_ascii=False))


def _write_parquet(tmp: Path, layout: Layout, parts: Iterator[Any]) -> None:
    import pyarrow.parquet as pq

    with pq.ParquetWriter(tmp, layout.schema) as writer:
        for table in parts:
            if table.num_rows:
                writer.write_table(table)


_writers = {"csv": _write_text, "jsonl": _write_text, "parquet": _write_parquet}
