"""A JSONL or CSV file read as a stream of lines (``usrussia.corpus.textfile``): plain,
gzipped or zipped, it gives the lines of the whole file decoded at once, block boundaries
and all, and refuses a binary or corrupt file with the message the whole-file read gave."""

from __future__ import annotations

import functools
import gzip
import io
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usrussia.cli import app
from usrussia.corpus.records import iter_file
from usrussia.corpus.textfile import BLOCK, InputError, lines

# Pieces that straddle the 8 KB decoding chunks and the BLOCK reads in every way: two-,
# three- and four-byte characters, line separators JSON strings hold raw, bad bytes (a
# lone byte, a sequence cut short), and every kind of line end.
PIECES = [
    b"Putin and Trump met in Hamburg, ",
    "é".encode(),
    "—".encode(),
    "😀".encode(),
    "\u2028".encode(),
    "\x85".encode(),
    b"\xff",
    b"\xe2\x82",
    b"\r\n",
    b"\n",
    b"\r",
    b'"',
    b",",
]


@functools.cache
def text_bytes(size: int = BLOCK + BLOCK // 2, seed: int = 18) -> bytes:
    """About ``size`` bytes of text built from ``PIECES`` (four bytes each on average),
    with a BOM in front."""
    pieces = random.Random(seed).choices(PIECES, k=size // 4)
    return b"\xef\xbb\xbf" + b"".join(pieces)


def save(path: Path, data: bytes) -> Path:
    """``data`` at ``path``: as it is, gzipped (.gz) or as the one file of a zip (.zip)."""
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data, compresslevel=1))
    elif path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(path.stem, data)
    else:
        path.write_bytes(data)
    return path


def whole_lines(data: bytes, newline: str) -> list[str]:
    """The lines of ``data`` decoded at once, as the readers read whole files before."""
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    return io.StringIO(text, newline=newline).readlines()


@pytest.mark.parametrize("name", ["docs.csv", "docs.csv.gz", "docs.csv.zip"])
@pytest.mark.parametrize("newline", ["\n", ""])
def test_lines_are_the_lines_of_the_whole_text(tmp_path: Path, name: str, newline: str) -> None:
    data = text_bytes()
    assert len(data) > BLOCK
    streamed = list(lines(save(tmp_path / name, data), "CSV", newline))
    expected = whole_lines(data, newline)
    assert len(expected) > 50_000 and any("\udcff" in line for line in expected)
    assert streamed == expected


def test_the_file_is_opened_by_the_call(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file$"):
        lines(tmp_path / "missing.jsonl", "JSONL", "\n")
    with pytest.raises(InputError, match="not a file$"):
        lines(tmp_path, "JSONL", "\n")
    assert list(lines(save(tmp_path / "empty.jsonl.gz", b""), "JSONL", "\n")) == []


@pytest.mark.parametrize("name", ["far.jsonl", "far.jsonl.gz", "far.csv.zip"])
def test_a_nul_byte_far_into_the_file_names_its_line(tmp_path: Path, name: str) -> None:
    data = text_bytes() + b"\n\x00 and on"
    assert data.index(b"\x00") > BLOCK
    path = save(tmp_path / name, data)
    line = data.count(b"\n") + 1
    fmt = "CSV" if ".csv" in name else "JSONL"
    stream = lines(path, fmt, "\n")
    read = 0
    with pytest.raises(InputError) as caught:
        for _ in stream:
            read += 1
    assert str(caught.value) == (f"{path}: binary data (a NUL byte on line {line}), not {fmt} text")
    assert caught.value.parameter == "format"
    assert read > 0  # the lines before it were read


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.jsonl.gz", b"\x1f\x8b broken", "not a readable gzip file"),
        ("bad.jsonl.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"\xff" * 64, None),
        ("short.jsonl.gz", gzip.compress(b'{"text": "x"}\n' * 10_000)[:-100], None),
        ("bad.jsonl.zip", b"PK\x03\x04 not really", "not a readable zip file"),
    ],
)
def test_a_corrupt_compressed_file_is_one_error_line(
    tmp_path: Path, name: str, data: bytes, message: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    expected = f"{path}: {message or 'not a readable gzip file'}"
    with pytest.raises(InputError) as caught:
        list(iter_file(path))
    assert str(caught.value) == expected
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["sentiment", str(path), "--output", str(out)])
    assert (result.exit_code, result.output) == (2, f"error: {expected}\n")
    assert not out.exists()


def test_a_zip_of_two_files_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.csv.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", "doc_id,text\nx1,Fine.\n")
        zf.writestr("b.csv", "doc_id,text\nx2,Also fine.\n")
    with pytest.raises(InputError, match=r"two\.csv\.zip: expected one file in the zip, found 2$"):
        iter_file(path)
