"""A JSONL or CSV file as a stream of text lines, and ``InputError`` for one that cannot be read.

``lines`` opens the file (decompressing a .gz, or the one file of a .zip, as it reads),
decodes it as UTF-8 (undecodable bytes kept as surrogate escapes, a BOM dropped) and
checks each block as it is read, so that memory does not grow with the file: a file that
cannot be read at all raises ``InputError`` when ``lines`` is called (it reads the first
block), a fault further on (a NUL byte, a corrupt gzip block) where it is met. Every
reader of ``usrussia.corpus`` raises ``InputError``; callers import it from ``records``.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import itertools
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

BLOCK = 1 << 20  # bytes read from a file at a time
_BINARY_SIGNATURES = {
    b"PAR1": "a Parquet file",
    b"PK\x03\x04": "a zip file",
    b"\x1f\x8b": "a gzip file",
}
_HEAD = max(map(len, _BINARY_SIGNATURES))  # the first bytes that tell a binary format


class InputError(Exception):
    """An input that cannot be read at all (missing, unreadable, wrong format).

    ``parameter`` names the setting that would fix it (``"format"``) when one would; the
    message says what is wrong, and a caller tells the user how that setting is given.
    """

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


def lines(path: Path, fmt: str, newline: str) -> Iterator[str]:
    """The lines of the JSONL or CSV file at ``path``, their ends kept, read as a stream.

    ``newline`` is ``open``'s: ``"\\n"`` splits at line feeds only, ``""`` at any line end.
    The file is opened and its first line read here, so that a file that cannot be read
    at all raises ``InputError`` before any line; ``fmt`` names the format in the message
    that refuses a binary file.
    """
    stream = _read_lines(path, fmt, newline)
    first = next(stream, None)
    if first is None:
        return iter(())
    return itertools.chain([first.removeprefix("\ufeff")], stream)


def _read_lines(path: Path, fmt: str, newline: str) -> Iterator[str]:
    with _open_bytes(path) as fh:
        raw = io.BufferedReader(_TextBytes(path, fmt, fh), BLOCK)
        with io.TextIOWrapper(raw, "utf-8", "surrogateescape", newline) as text:
            yield from text


@contextlib.contextmanager
def _open_bytes(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes as a stream, decompressed as they are read (.gz; .zip of one file)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    with contextlib.ExitStack() as stack:
        try:
            fh: IO[bytes] = stack.enter_context(path.open("rb"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
        suffix = path.suffix.lower()
        if suffix == ".gz":
            fh = stack.enter_context(gzip.GzipFile(fileobj=fh))
        elif suffix == ".zip":
            try:
                zf = stack.enter_context(zipfile.ZipFile(fh))
                members = [m for m in zf.namelist() if not m.endswith("/")]
                if len(members) != 1:
                    raise InputError(f"{path}: expected one file in the zip, found {len(members)}")
                fh = stack.enter_context(zf.open(members[0]))
            except zipfile.BadZipFile as exc:
                raise _unreadable(path, exc) from exc
        yield fh


def _unreadable(path: Path, exc: Exception) -> InputError:
    """The error for a read that failed: a corrupt gzip or zip file, or the disk's."""
    kind = {".gz": "gzip", ".zip": "zip"}.get(path.suffix.lower())
    if kind:
        return InputError(f"{path}: not a readable {kind} file")
    return InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})")


class _TextBytes(io.RawIOBase):
    """The bytes of a text file, each block checked as it is read.

    Text in UTF-8 never holds a NUL byte, so a file with one is another format (Parquet,
    a spreadsheet, UTF-16 text): reading it line by line would only yield garbage records.
    The read that meets one raises ``InputError`` naming the format the file's first bytes
    show, else the line of the NUL byte; so does a read that fails (a corrupt gzip file).
    """

    def __init__(self, path: Path, fmt: str, fh: IO[bytes]) -> None:
        super().__init__()
        self.path, self.fmt, self.fh = path, fmt, fh
        self.head = b""  # the file's first bytes
        self.feeds = 0  # line feeds read so far

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.fh.read(len(buffer))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise _unreadable(self.path, exc) from exc
        self.head += data[: _HEAD - len(self.head)]
        nul = data.find(b"\x00")
        if nul >= 0:
            line = self.feeds + data.count(b"\n", 0, nul) + 1
            kind = next(
                (name for magic, name in _BINARY_SIGNATURES.items() if self.head.startswith(magic)),
                f"binary data (a NUL byte on line {line})",
            )
            raise InputError(f"{self.path}: {kind}, not {self.fmt} text", "format")
        self.feeds += data.count(b"\n")
        buffer[: len(data)] = data
        return len(data)
