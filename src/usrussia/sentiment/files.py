"""Tabular files in and out of ``usrussia sentiment``: CSV, JSONL or Parquet, with accounting.

``read_texts`` keeps or quarantines every row read (``usrussia.corpus.records``);
``write_table`` writes atomically, refusing before it writes what it cannot store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia.corpus.records import InputError, Ledger, Record, Rejected, is_missing, iter_file
from usrussia.io import OutputError, atomic_write


class MissingColumnError(InputError):
    """A file that has records but not the column the texts were to be read from."""

    def __init__(self, path: str | os.PathLike[str], column: str) -> None:
        super().__init__(f"{path}: no column {column!r}")
        self.column = column


def text_rejection(item: Record | Rejected, text_column: str) -> Rejected | None:
    """Why ``read_texts`` quarantines ``item`` (None: it is kept): unreadable, or no text."""
    if isinstance(item, Rejected):
        return item
    if isinstance(item.data.get(text_column), str):
        return None
    detail = f"no text in column {text_column!r}"
    return Rejected(item.file, item.line, "missing text", item.data, detail)


def read_texts(
    path: str | os.PathLike[str], text_column: str, fmt: str | None = None
) -> tuple[pd.DataFrame, Ledger]:
    """Rows of a CSV/JSONL/Parquet file that have text in ``text_column``, with accounting.

    Unreadable rows (by ``usrussia.corpus.records.iter_file``) and rows whose ``text_column`` is
    missing or not a string are quarantined. A file that cannot be read raises
    ``InputError``; one with records but without that column, ``MissingColumnError``.
    """
    ledger = Ledger()
    rows = []
    records = 0
    seen_column = False
    for item in iter_file(path, fmt):
        ledger.read += 1
        rejected = text_rejection(item, text_column)
        if isinstance(item, Record):
            records += 1
            seen_column = seen_column or text_column in item.data
        if rejected is not None:
            ledger.reject(rejected)
            continue
        ledger.kept += 1
        rows.append(item.data)
    if records and not seen_column:
        raise MissingColumnError(path, text_column)
    ledger.check()
    return pd.DataFrame(rows), ledger


TABLE_SUFFIXES: dict[str, str] = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


def table_format(path: str | os.PathLike[str]) -> str:
    """The format ``write_table`` writes to ``path``, from its suffix.

    Raises ``OutputError`` for any other suffix (``.gz`` too: the writers do not compress).
    """
    fmt = TABLE_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise OutputError(f"{path}: the output must end in .csv, .jsonl or .parquet")
    return fmt


def parquet_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> Any:
    """``df`` as the ``pyarrow.Table`` that Parquet stores (``path`` names it in errors).

    Parquet holds one type per column, so a column that mixes types (numbers in some rows,
    text in others, as JSONL allows) raises ``OutputError`` naming the column and its
    types: it is refused rather than silently turned into text.
    """
    import pyarrow as pa

    def storable(name: Any) -> bool:
        try:
            pa.Table.from_pandas(df[[name]], preserve_index=False)
        except pa.ArrowException:
            return False
        return True

    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except pa.ArrowException:
        bad = next((name for name in df.columns if not storable(name)), None)
        if bad is None:
            raise
    types = sorted({type(v).__name__ for v in df[bad] if not is_missing(v)})
    raise OutputError(
        f"{path}: column {bad!r} holds {' and '.join(types)} values, which Parquet cannot "
        "store in one column; write .csv or .jsonl instead"
    )


def check_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Raise ``OutputError`` if ``write_table(df, path)`` would refuse ``df``, writing nothing.

    Callers check the rows they will write before a long computation adds its columns.
    """
    if table_format(path) == "parquet":
        parquet_table(df, path)


def write_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``df`` as CSV, JSONL or Parquet (from the suffix of ``path``), atomically.

    Raises ``OutputError`` before writing anything for an unknown suffix or, for Parquet,
    a column that mixes types (see ``check_table``).
    """
    fmt = table_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = parquet_table(df, path)
        return atomic_write(path, lambda tmp: pq.write_table(table, tmp))
    writers = {
        "csv": lambda tmp: df.to_csv(tmp, index=False),
        "jsonl": lambda tmp: df.to_json(tmp, orient="records", lines=True, force_ascii=False),
    }
    return atomic_write(path, writers[fmt])
