"""Read user and source files record by record, keeping every record accounted for.

Every record read ends either as a kept ``Record`` or as a ``Rejected`` with the file,
the line and a reason; ``Ledger`` counts both so that ``read == kept + quarantined``
always holds. A file that cannot be read at all raises ``InputError`` (defined in
``textfile``), which the CLI turns into one clear line and exit code 2.

JSONL and CSV files, plain, gzipped or zipped, are read as streams (``textfile.lines``),
parsed line by line, so that memory does not grow with the file: a reader opens the file
and reads its first block (CSV: its header) when called, so that a file that cannot be
read at all raises then, before any record; a fault further on (a NUL byte, a corrupt
block, a quoted field that never closes) raises where it is met, after the records before
it. A caller that must refuse such a file before it uses any record reads the file whole
first (``corpus import``). Parquet is read at once.
"""

from __future__ import annotations

import csv
import ctypes
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from usrussia.corpus import textfile
from usrussia.corpus.textfile import InputError
from usrussia.io import atomic_write

FORMATS = ("jsonl", "csv", "parquet")
# The largest field size the csv module accepts (a C long): no limit short of memory.
_CSV_FIELD_LIMIT = 2 ** (8 * ctypes.sizeof(ctypes.c_long) - 1) - 1
# Fed to the CSV reader after the last line: it parses as a record of its own unless the
# file ended inside a quoted field. Input with NUL characters is refused, so it is unique.
_CSV_END = "\x00end of data\x00"


@dataclass(frozen=True)
class Record:
    """One input record: where it came from and its fields."""

    file: str
    line: int | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Rejected:
    """One quarantined record: the reason (a short category that summaries count) and
    the detail particular to this record (the parser's message, the bad value, …)."""

    file: str
    line: int | None
    reason: str
    record: Any
    detail: str = ""


@dataclass
class Ledger:
    """Counts of records read, kept and quarantined, with the quarantined records."""

    read: int = 0
    kept: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return len(self.rejected)

    def reject(self, rejected: Rejected) -> None:
        self.rejected.append(rejected)

    def reasons(self) -> Counter[str]:
        """How many records were quarantined for each reason."""
        return Counter(r.reason for r in self.rejected)

    def summary(self) -> str:
        """The one line every importer prints: ``read N, kept K, quarantined Q``."""
        return f"read {self.read}, kept {self.kept}, quarantined {self.quarantined}"

    def check(self) -> None:
        """Fail loudly if a record was lost: read must equal kept + quarantined."""
        if self.read != self.kept + self.quarantined:
            raise AssertionError(f"records lost: {self.summary()}")


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file format, from ``fmt`` or from the file name's suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zip")]
    ext = suffixes[-1].lstrip(".") if suffixes else ""
    ext = {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet", "tsv": "csv"}.get(ext, ext)
    if ext not in FORMATS:
        raise InputError(f"{path}: cannot tell the format from the name", "format")
    return ext


def is_missing(value: Any) -> bool:
    """True for a field a record does not hold: None, or NaN (how pandas and Parquet write
    an empty cell)."""
    return value is None or (isinstance(value, float) and value != value)


_SURROGATE_ESCAPE = re.compile("[\udc80-\udcff]")  # how surrogateescape keeps a bad byte


def _has_undecodable(value: Any) -> bool:
    """True when a decoded string still carries surrogate escapes of bad bytes."""
    if isinstance(value, str):
        return _SURROGATE_ESCAPE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_undecodable(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_undecodable(v) for v in value)
    return False


def _printable(value: Any) -> Any:
    """A JSON-safe copy of a rejected record (bad bytes shown as U+FFFD), at any depth:
    a CSV row is a list, a Parquet cell may hold lists and dicts, keys may carry bad bytes."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_printable(str(k)): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def iter_jsonl(path: Path) -> Iterator[Record | Rejected]:
    """JSON Lines, one object per line, read as a stream; blank lines are skipped, not counted.

    Lines end at ``\\n`` (or ``\\r\\n``) only: U+2028, U+2029, U+0085 and other characters
    that ``str.splitlines`` would split at are legal inside JSON strings, and pandas and
    ``json.dumps(ensure_ascii=False)`` write them raw. ``InputError`` as the module says:
    here for a file that cannot be read at all, else where the fault is met.
    """
    lines = (line.removesuffix("\n") for line in textfile.lines(path, "JSONL", "\n"))
    return jsonl_records(str(path), lines)


def _repeated(names: Iterable[str]) -> str:
    """The names that occur more than once, quoted and comma-separated ('' when none)."""
    return ", ".join(repr(n) for n, count in sorted(Counter(names).items()) if count > 1)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a repeated key (``json`` would keep the last)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError(_repeated(k for k, _ in pairs))
    return obj


def jsonl_records(
    name: str, lines: Iterable[str], first_line: int = 1
) -> Iterator[Record | Rejected]:
    """The records of JSON Lines text given as its lines (split at ``\\n``, without it),
    numbered from ``first_line``; ``name`` is the file the records name."""
    for lineno, line in enumerate(lines, start=first_line):
        line = line.removesuffix("\r")
        if not line.strip(" \t\r"):
            continue
        if _has_undecodable(line):
            yield Rejected(name, lineno, "undecodable bytes", _printable(line))
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            yield Rejected(name, lineno, "invalid JSON", line, exc.msg)
            continue
        except ValueError as exc:
            yield Rejected(name, lineno, "duplicate key", line, str(exc))
            continue
        if not isinstance(obj, dict):
            yield Rejected(name, lineno, "not a JSON object", line)
            continue
        yield Record(name, lineno, obj)


def iter_csv(path: Path) -> Iterator[Record | Rejected]:
    """CSV with a header row (tab-separated when the name ends in .tsv), read as a stream.

    Reads what pandas' ``to_csv`` and the ``csv`` module write, fields of any length. The
    header is read and checked here, so ``InputError`` for a file that cannot be read at
    all or a header that is not UTF-8, repeats a column name or looks separated by another
    character is raised before any record; one for a fault further on (a NUL byte, a
    quoted field that never closes) where it is met, after the records before it.
    """
    delimiter = "\t" if ".tsv" in (s.lower() for s in path.suffixes) else ","
    rows = _csv_rows(str(path), textfile.lines(path, "CSV", ""), delimiter)
    first = next(rows, None)
    if first is None:
        return iter(())
    lineno, header = first
    header = [h.strip() for h in header]
    _check_header(f"{path}: line {lineno}", header, delimiter)
    return _csv_records(str(path), header, rows)


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """The reader's next row, parsed with the csv module's field size limit (131,072
    characters) lifted: only meanwhile, as the limit holds for every reader in the process."""
    previous = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


def _csv_rows(name: str, lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Every row that is not blank, with the line it starts on (``lines``: ends kept).

    With the field size limit lifted, the lenient default dialect raises no parser error
    (a stray quote inside a field is kept, as pandas does); the one fault that derails it
    is a quoted field still open at the end of the file, which swallowed every line after
    its opening quote. That raises ``InputError`` naming the line its record starts on.
    """
    reader = csv.reader(itertools.chain(lines, [_CSV_END]), delimiter=delimiter)
    start = 1
    while (row := _next_row(reader)) != [_CSV_END]:
        if row and row[-1].endswith(_CSV_END):
            raise InputError(
                f"{name}: line {start}: a quoted field in this record never closes "
                "(unmatched double quote); the rest of the file cannot be read reliably"
            )
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _check_header(where: str, header: list[str], delimiter: str) -> None:
    """Refuse a header that would silently lose or garble columns (``where``: file and line)."""
    if _has_undecodable(header):
        raise InputError(f"{where}: the header is not UTF-8 text; save the file as UTF-8")
    repeated = _repeated(header)
    if repeated:
        raise InputError(f"{where}: duplicate column names {repeated}; rename them")
    for other in (c for c in ",;\t" if c != delimiter):
        if sum(h.count(other) for h in header) >= len(header):
            raise InputError(
                f"{where}: the header looks separated by {other!r}, not {delimiter!r}; "
                f"save the file with {delimiter!r} between fields"
            )


def _csv_records(
    name: str, header: list[str], rows: Iterable[tuple[int, list[str]]]
) -> Iterator[Record | Rejected]:
    for lineno, row in rows:
        if len(row) != len(header):
            detail = f"expected {len(header)}, got {len(row)}"
            yield Rejected(name, lineno, "wrong number of fields", row, detail)
            continue
        data = dict(zip(header, row, strict=True))
        if _has_undecodable(data):
            yield Rejected(name, lineno, "undecodable bytes", _printable(data))
            continue
        yield Record(name, lineno, data)


def iter_parquet(path: Path) -> Iterator[Record | Rejected]:
    """Parquet rows, read at once; the line is the 1-based row number."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        rows = pq.read_table(path).to_pylist()
    except (pa.ArrowException, OSError) as exc:
        reason = str(exc).partition("\n")[0]  # Arrow's messages may run over several lines
        raise InputError(f"{path}: not a readable Parquet file ({reason})") from exc
    return (Record(str(path), i, row) for i, row in enumerate(rows, start=1))


READERS: dict[str, Callable[[Path], Iterator[Record | Rejected]]] = {
    "jsonl": iter_jsonl,
    "csv": iter_csv,
    "parquet": iter_parquet,
}


def iter_file(path: str | os.PathLike[str], fmt: str | None = None) -> Iterator[Record | Rejected]:
    """Records of a JSONL, CSV or Parquet file, the format from ``fmt`` or the suffix."""
    path = Path(path)
    return READERS[detect_format(path, fmt)](path)


def write_quarantine(rejected: Iterable[Rejected], path: str | os.PathLike[str]) -> Path:
    """Write quarantined records as JSON Lines (file, line, reason, detail, record), atomically."""
    lines = [
        json.dumps(
            {
                "file": r.file,
                "line": r.line,
                "reason": r.reason,
                "detail": r.detail,
                "record": _printable(r.record),
            },
            ensure_ascii=False,
            default=str,
        )
        for r in rejected
    ]

    def write(tmp: Path) -> None:
        tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    return atomic_write(path, write)
