"""A table file in parts, read where the work runs, so that no process holds the whole file.

``plan_parts`` cuts an input of ``usrussia sentiment`` into parts of about ``rows`` rows, in
order, reading it as a stream (memory does not grow with the file); ``read_part`` gives a
part's records and rejections exactly as ``usrussia.corpus.records.iter_file`` gives them
for those rows (same file name, same line numbers, same reasons):

- a plain JSON Lines file is cut at line ends into byte ranges, which each worker reads
  itself (only the range travels); a worker that does not see the file (another machine)
  gets the range's bytes instead;
- Parquet is read batch by batch, and each batch travels as records;
- CSV (a quoted field may span lines, so a line end is no record boundary) and compressed
  files (no byte range of one can be read alone) are read by ``iter_file`` as a stream
  here, and travel in chunks of records.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

from usrussia.corpus.records import (
    InputError,
    Record,
    Rejected,
    detect_format,
    iter_file,
    jsonl_records,
)
from usrussia.corpus.textfile import BLOCK


@dataclasses.dataclass(frozen=True)
class Part:
    """Rows of a table file: a byte range of JSON Lines, or records the client read.

    ``name`` is the file as the user gave it (records carry it); ``path`` the absolute path
    a worker opens; ``data`` the range's bytes when the worker cannot open it.
    """

    name: str
    path: str = ""
    start: int = 0
    stop: int = 0
    first_line: int = 1
    data: bytes | None = None
    records: tuple[Record | Rejected, ...] | None = None


def plan_parts(
    path: str | Path, fmt: str | None, rows: int, shared: Callable[[str], bool]
) -> Iterator[Part]:
    """The parts of the file at ``path``, in order (``shared(path)``: workers can open it).

    Raises ``InputError`` (no such file, not the format, ...) as ``iter_file`` would, before
    the part it concerns.
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    if fmt == "jsonl" and path.suffix.lower() not in (".gz", ".zip") and path.is_file():
        yield from _jsonl_parts(path, rows, shared(str(path.resolve())))
    elif fmt == "parquet":
        yield from _parquet_parts(path, rows)
    else:
        records = iter(iter_file(path, fmt))
        while chunk := tuple(itertools.islice(records, rows)):
            yield Part(str(path), records=chunk)


def read_part(part: Part) -> list[Record | Rejected]:
    """The records and rejections of ``part``, as ``iter_file`` gives them."""
    if part.records is not None:
        return list(part.records)
    data = part.data if part.data is not None else _read_range(part.path, part.start, part.stop)
    text = data.decode("utf-8", errors="surrogateescape")
    if part.start == 0:
        text = text.removeprefix("\ufeff")
    return list(jsonl_records(part.name, text.split("\n"), part.first_line))


def _read_range(path: str, start: int, stop: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(start)
        return fh.read(stop - start)


def _cuts(path: Path, rows: int) -> Iterator[tuple[int, int]]:
    """(byte offset, lines before it) after every ``rows`` lines, and at the end of the file.

    A NUL byte means the file is not JSON Lines text: ``iter_file``'s reader says what it is.
    """
    offset = lines = since = 0
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            if b"\x00" in block:
                _raise_reader_error(path, "jsonl")
                raise InputError(f"{path}: binary data, not JSONL text", "format")
            count = block.count(b"\n")
            if since + count < rows:
                lines, since = lines + count, since + count
            else:
                end = -1
                for _ in range(count):
                    end = block.index(b"\n", end + 1)
                    lines, since = lines + 1, since + 1
                    if since == rows:
                        yield offset + end + 1, lines
                        since = 0
            offset += len(block)
    yield offset, lines


def _jsonl_parts(path: Path, rows: int, shared: bool) -> Iterator[Part]:
    start, first = 0, 1
    try:
        for stop, lines in _cuts(path, rows):
            if stop > start:
                where = str(path.resolve())
                data = None if shared else _read_range(where, start, stop)
                yield Part(str(path), where, start, stop, first, data)
            start, first = stop, lines + 1
    except OSError:
        _raise_reader_error(path, "jsonl")
        raise


def _parquet_parts(path: Path, rows: int) -> Iterator[Part]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    first = 1
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
            records = tuple(
                Record(str(path), first + i, row) for i, row in enumerate(batch.to_pylist())
            )
            first += len(records)
            yield Part(str(path), records=records)
    except (pa.ArrowException, OSError):
        _raise_reader_error(path, "parquet")
        raise


def _raise_reader_error(path: Path, fmt: str) -> None:
    """Raise the ``InputError`` that ``iter_file`` raises for the file (read as a stream)."""
    for _ in iter_file(path, fmt):
        pass
