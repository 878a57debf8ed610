"""Read user and source files record by record, keeping every record accounted for.

Every record read ends either as a kept ``Record`` or as a ``Rejected`` with the file,
the line and a reason; ``Ledger`` counts both so that ``read == kept + quarantined``
always holds. A file that cannot be read at all raises ``InputError``, which the CLI
turns into one clear line and exit code 2.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from usrussia.io import atomic_write

FORMATS = ("jsonl", "csv", "parquet")


class InputError(Exception):
    """An input that cannot be read at all (missing, unreadable, wrong format)."""


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
        raise InputError(f"{path}: cannot tell the format from the name; pass --format")
    return ext


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    suffix = path.suffix.lower()
    if suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: not a readable gzip file") from exc
    elif suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                members = [m for m in zf.namelist() if not m.endswith("/")]
                if len(members) != 1:
                    raise InputError(f"{path}: expected one file in the zip, found {len(members)}")
                data = zf.read(members[0])
        except zipfile.BadZipFile as exc:
            raise InputError(f"{path}: not a readable zip file") from exc
    return data


def _has_undecodable(value: Any) -> bool:
    """True when a decoded string still carries surrogate escapes of bad bytes."""
    if isinstance(value, str):
        return any("\udc80" <= ch <= "\udcff" for ch in value)
    if isinstance(value, dict):
        return any(_has_undecodable(v) for v in value.values())
    return False


def _decode(data: bytes) -> str:
    """UTF-8 text (BOM dropped) with undecodable bytes kept as surrogate escapes."""
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def _printable(value: Any) -> Any:
    """A JSON-safe copy of a rejected record (bad bytes shown as U+FFFD)."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _printable(v) for k, v in value.items()}
    return value


def iter_jsonl(path: Path) -> Iterator[Record | Rejected]:
    """JSON Lines, one object per line; blank lines are skipped, not counted.

    The file is read at once, so an unreadable file raises here, before any record.
    """
    return _jsonl_records(str(path), _decode(_read_bytes(path)))


def _jsonl_records(name: str, text: str) -> Iterator[Record | Rejected]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if _has_undecodable(line):
            yield Rejected(name, lineno, "undecodable bytes", _printable(line))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(name, lineno, "invalid JSON", line, exc.msg)
            continue
        if not isinstance(obj, dict):
            yield Rejected(name, lineno, "not a JSON object", line)
            continue
        yield Record(name, lineno, obj)


def iter_csv(path: Path) -> Iterator[Record | Rejected]:
    """CSV with a header row (tab-separated when the name ends in .tsv); read at once."""
    delimiter = "\t" if ".tsv" in (s.lower() for s in path.suffixes) else ","
    reader = csv.reader(io.StringIO(_decode(_read_bytes(path)), newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise InputError(f"{path}: unreadable CSV header ({exc})") from exc
    return _csv_records(str(path), reader, header)


def _csv_records(name: str, reader: Any, header: list[str]) -> Iterator[Record | Rejected]:
    while header:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejected(name, lineno, "invalid CSV", None, str(exc))
            continue
        if not any(cell.strip() for cell in row):
            continue
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
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
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
