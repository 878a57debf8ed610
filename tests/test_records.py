"""Every record read is kept or quarantined with a reason: N = K + Q, always."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usrussia.cli import app
from usrussia.corpus import import_file
from usrussia.records import InputError, atomic_write, detect_format, iter_file

GOOD = {
    "doc_id": "a1",
    "source": "test",
    "outlet": "tass.com",
    "date": "2017-07-07",
    "title": "Putin and Trump meet in Hamburg",
    "text": "Vladimir Putin and Donald Trump met on the sidelines of the G20 summit.",
    "url": "http://tass.com/a1",
}


def bad_jsonl(tmp_path: Path) -> Path:
    """A JSONL file with one good record and one record of each kind of fault."""
    lines = [
        json.dumps(GOOD).encode(),
        b'{"doc_id": "broken", "text": ',  # invalid JSON
        json.dumps({**GOOD, "doc_id": "a2", "text": ""}).encode(),  # missing text
        json.dumps({**GOOD, "doc_id": "a3", "date": "the day after"}).encode(),  # bad date
        json.dumps({**GOOD, "doc_id": "a4"}).encode()[:-3] + b'\xff\xfe"}',  # bad bytes
        json.dumps({**GOOD, "text": "A different text with the same id."}).encode(),
        json.dumps({**GOOD, "doc_id": "a5"}).encode(),  # exact duplicate of a1
        json.dumps({**GOOD, "doc_id": "a6", "text": "\u00a0\u200b \t"}).encode(),
        b"[1, 2, 3]",  # not an object
        b"",  # blank lines are not records
        json.dumps({**GOOD, "doc_id": "a7", "date": "", "text": "Undated."}).encode(),  # kept
    ]
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_each_bad_record_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    df, ledger = import_file(bad_jsonl(tmp_path))
    assert ledger.read == 10
    assert ledger.read == ledger.kept + ledger.quarantined
    assert list(df["doc_id"]) == ["a1", "a7"]
    reasons = {r.line: r.reason for r in ledger.rejected}
    details = {r.line: r.detail for r in ledger.rejected}
    assert reasons[2] == "invalid JSON" and details[2].startswith("Expecting")
    assert reasons[3] == "missing text"
    assert reasons[4] == "unparseable date" and details[4] == "'the day after'"
    assert reasons[5] == "undecodable bytes"
    assert reasons[6] == "duplicate id"
    assert reasons[7] == "duplicate"
    assert reasons[8] == "empty after cleaning"
    assert reasons[9] == "not a JSON object"
    assert df.loc[df["doc_id"] == "a7", "era"].isna().all()
    assert df.loc[df["doc_id"] == "a1", "era"].item() == "trump1"


def test_cli_import_prints_accounting_and_writes_quarantine(tmp_path: Path) -> None:
    out, quarantine = tmp_path / "corpus.parquet", tmp_path / "q.jsonl"
    result = CliRunner().invoke(
        app,
        ["corpus", "import", str(bad_jsonl(tmp_path)), "--format", "jsonl"]
        + ["--out", str(out), "--quarantine", str(quarantine)],
    )
    assert result.exit_code == 0, result.output
    assert "read 10, kept 2, quarantined 8" in result.output
    rows = [json.loads(line) for line in quarantine.read_text().splitlines()]
    assert len(rows) == 8
    assert {"file", "line", "reason", "detail", "record"} <= set(rows[0])
    assert out.exists()


def test_csv_with_column_mapping_and_ragged_row(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,body,published\n"
        'x1,"Russia and the United States, again.",2018-07-16\n'
        "x2,too,many,fields\n"
        "x3,Kremlin readout of the Helsinki talks.,2018/07/16\n",
        encoding="utf-8",
    )
    df, ledger = import_file(
        path,
        mapping={"doc_id": "id", "text": "body", "date": "published"},
        defaults={"source": "mine"},
    )
    assert ledger.summary() == "read 3, kept 2, quarantined 1"
    assert ledger.rejected[0].reason == "wrong number of fields"
    assert ledger.rejected[0].detail == "expected 3, got 4"
    assert ledger.rejected[0].line == 3
    assert list(df["source"]) == ["mine", "mine"]
    assert list(df["relevant"]) == [True, True]


@pytest.mark.parametrize(
    "content, name, message",
    [
        (None, "missing.jsonl", "no such file"),
        (b"PK\x03\x04 not really", "bad.parquet", "not a readable Parquet file"),
        (b"\x1f\x8b broken", "bad.jsonl.gz", "not a readable gzip file"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(
    tmp_path: Path, content: bytes | None, name: str, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(iter_file(path))
    result = CliRunner().invoke(
        app, ["corpus", "import", str(path), "--out", str(tmp_path / "o.pq")]
    )
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "Traceback" not in result.output


def test_unknown_suffix_needs_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pass --format"):
        detect_format(tmp_path / "docs.txt")
    assert detect_format(tmp_path / "docs.ndjson") == "jsonl"
    assert detect_format(tmp_path / "RedditNews.csv.zip") == "csv"


def test_atomic_write_leaves_nothing_when_interrupted(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def write(tmp: Path) -> None:
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, write)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
