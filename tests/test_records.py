"""Every record read is kept or quarantined with a reason: N = K + Q, always."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_textfile import save
from typer.testing import CliRunner

from usrussia.cli import app
from usrussia.corpus.records import (
    InputError,
    Record,
    Rejected,
    atomic_write,
    detect_format,
    iter_file,
    write_quarantine,
)
from usrussia.corpus.sources import kremlin
from usrussia.corpus.textfile import BLOCK
from usrussia.engine import import_file

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
    with pytest.raises(InputError, match="cannot tell the format from the name$") as caught:
        detect_format(tmp_path / "docs.txt")
    assert caught.value.parameter == "format"
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


# Real Kremlin pages, among them the longest ones (over 200,000 characters, past the csv
# module's default field size limit of 131,072), as pandas writes them to CSV.
LONG_PAGE = 200_000


@pytest.fixture(scope="module")
def kremlin_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The first 40 shipped Kremlin pages and every page over 200,000 characters."""
    with gzip.open(kremlin.PATH, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh]
    chosen = pages[:40] + [p for p in pages[40:] if len(p["text"] or "") > LONG_PAGE]
    df = pd.DataFrame(
        {
            "doc_id": [f"kremlin-{p['id']}" for p in chosen],
            "date": [p["date"] for p in chosen],
            "title": [p["title"] for p in chosen],
            "text": [p["text"] for p in chosen],
            "url": [p["url"] for p in chosen],
        }
    )
    assert (df["text"].str.len() > LONG_PAGE).sum() >= 2
    path = tmp_path_factory.mktemp("kremlin") / "kremlin_pages.csv"
    df.to_csv(path, index=False)
    return path, df


def test_csv_reader_gives_the_cells_pandas_reads(kremlin_csv: tuple[Path, pd.DataFrame]) -> None:
    path, pages = kremlin_csv
    limit = csv.field_size_limit()
    items = list(iter_file(path))
    assert csv.field_size_limit() == limit  # lifted only while the file is parsed
    assert all(isinstance(item, Record) for item in items)
    ours = pd.DataFrame([item.data for item in items])
    theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(ours, theirs)
    assert list(ours["doc_id"]) == list(pages["doc_id"])
    assert ours["text"].str.len().max() > LONG_PAGE


def test_cli_reads_long_csv_fields_whole(
    kremlin_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, pages = kremlin_csv
    n, runner = len(pages), CliRunner()
    out, scored = tmp_path / "corpus.parquet", tmp_path / "scored.csv"
    quarantine = ["--quarantine", str(tmp_path / "q.jsonl")]
    result = runner.invoke(app, ["corpus", "import", str(path), "--out", str(out), *quarantine])
    assert result.exit_code == 0, result.output
    assert f"read {n}, kept {n}, quarantined 0" in result.output
    assert list(pd.read_parquet(out)["doc_id"]) == list(pages["doc_id"])
    result = runner.invoke(
        app, ["sentiment", str(path), "--output", str(scored), "--no-targets", *quarantine]
    )
    assert result.exit_code == 0, result.output
    assert f"read {n}, kept {n}, quarantined 0" in result.output
    assert list(pd.read_csv(scored, dtype=str)["doc_id"]) == list(pages["doc_id"])


def test_unclosed_quote_stops_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.csv"
    path.write_text('doc_id,text\nx1,Fine.\nx2,"Never closed.\nx3,Swallowed.\n')
    with pytest.raises(InputError, match=r"line 3: a quoted field in this record never closes"):
        list(iter_file(path))
    out = tmp_path / "o.parquet"
    result = CliRunner().invoke(app, ["corpus", "import", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1
    assert not out.exists()


def test_stray_quote_inside_a_field_is_kept_like_pandas(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text('doc_id,text\nx1,"Reset" was the word\nx2,He said "no\n')
    data = [item.data for item in iter_file(path)]
    assert data == pd.read_csv(path, dtype=str).to_dict("records")
    assert data[0]["text"] == "Reset was the word" and data[1]["text"] == 'He said "no'


@pytest.mark.parametrize(
    "content",
    [
        "doc_id,text,text\nx1,first,second\n",
        "doc_id, text,date,text \nx1,first,2017-07-07,second\n",
    ],
)
def test_duplicate_csv_columns_are_one_error_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text(content)
    message = f"error: {path}: line 1: duplicate column names 'text'; rename them\n"
    with pytest.raises(InputError, match="duplicate column names 'text'"):
        iter_file(path)
    out, scored = tmp_path / "o.parquet", tmp_path / "s.csv"
    for args in (
        ["corpus", "import", str(path), "--out", str(out)],
        ["sentiment", str(path), "--output", str(scored)],
    ):
        result = CliRunner().invoke(app, args)
        assert (result.exit_code, result.output) == (2, message)
    assert not out.exists() and not scored.exists()


def test_duplicate_parquet_columns_are_one_error_line(tmp_path: Path) -> None:
    path, out = tmp_path / "dupes.parquet", tmp_path / "o.parquet"
    table = pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["text", "text"])
    pq.write_table(table, path)
    result = CliRunner().invoke(app, ["corpus", "import", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}: not a readable Parquet file (Multiple")
    assert result.output.count("\n") == 1 and not out.exists()


def test_duplicate_json_keys_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "dupes.jsonl"
    path.write_text(
        '{"doc_id": "a1", "text": "kept", "text": "lost"}\n{"doc_id": "a2", "text": "ok"}\n'
    )
    first, second = iter_file(path)
    assert isinstance(first, Rejected) and first.line == 1
    assert (first.reason, first.detail) == ("duplicate key", "'text'")
    assert isinstance(second, Record) and second.data == {"doc_id": "a2", "text": "ok"}


# Characters that str.splitlines() breaks at but JSON strings may hold raw.
SEPARATORS = ("\u2028", "\u0085", "\u2029")


def separator_docs() -> list[dict[str, str]]:
    return [
        {**GOOD, "doc_id": f"s{i}", "text": f"Putin and Trump{sep} met in Hamburg, take {i}."}
        for i, sep in enumerate(SEPARATORS)
    ]


@pytest.mark.parametrize("writer", ["json.dumps", "pandas"])
def test_jsonl_lines_end_only_at_newline(tmp_path: Path, writer: str) -> None:
    docs, path = separator_docs(), tmp_path / "docs.jsonl"
    if writer == "pandas":
        pd.DataFrame(docs).to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\r\n" for d in docs))
    assert all(sep in path.read_text(encoding="utf-8") for sep in SEPARATORS)  # written raw
    items = list(iter_file(path))
    assert [(item.line, item.data) for item in items] == list(enumerate(docs, start=1))
    df, ledger = import_file(path)
    assert ledger.summary() == "read 3, kept 3, quarantined 0"


def test_sentiment_reads_its_own_jsonl_back(tmp_path: Path) -> None:
    source, scored, again = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "again.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in separator_docs()))
    quarantine = ["--quarantine", str(tmp_path / "q.jsonl"), "--no-targets"]
    for src, dst in ((source, scored), (scored, again)):
        result = CliRunner().invoke(app, ["sentiment", str(src), "--output", str(dst), *quarantine])
        assert result.exit_code == 0, result.output
        assert "read 3, kept 3, quarantined 0" in result.output
    texts = pd.read_json(again, lines=True, dtype=False)["text"]
    assert list(texts) == [d["text"] for d in separator_docs()]


def test_bad_line_number_after_a_separator(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(separator_docs()[0], ensure_ascii=False) + "\n{broken\n")
    kept, bad = iter_file(path)
    assert isinstance(kept, Record) and isinstance(bad, Rejected)
    assert (kept.line, bad.line, bad.reason) == (1, 2, "invalid JSON")


def test_quarantine_writer_takes_list_and_nested_records(tmp_path: Path) -> None:
    rejected = [
        Rejected("f.csv", 2, "wrong number of fields", ["x1", "Caf\udce9", " bar"]),
        Rejected("f.parquet", 3, "missing text", {"tags": ["a\udcff", {"k\udce9": ("v",)}]}),
    ]
    rows = [json.loads(line) for line in write_quarantine(rejected, tmp_path / "q.jsonl").open()]
    assert rows[0]["record"] == ["x1", "Caf\ufffd", " bar"]
    assert rows[1]["record"] == {"tags": ["a\ufffd", {"k\ufffd": ["v"]}]}


def test_cp1252_ragged_row_is_quarantined_with_its_content(tmp_path: Path) -> None:
    path, quarantine = tmp_path / "excel.csv", tmp_path / "q.jsonl"
    path.write_bytes(
        b"doc_id,text,date\r\n"
        b"x1,Caf\xe9 talks in Hamburg, says Lavrov,2017-07-07\r\n"
        b"x2,Putin and Trump met in Hamburg.,2017-07-07\r\n"
    )
    result = CliRunner().invoke(
        app,
        ["corpus", "import", str(path), "--out", str(tmp_path / "o.parquet")]
        + ["--quarantine", str(quarantine)],
    )
    assert result.exit_code == 0, result.output
    assert "read 2, kept 1, quarantined 1" in result.output
    (row,) = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert (row["line"], row["reason"], row["detail"]) == (
        2,
        "wrong number of fields",
        "expected 3, got 4",
    )
    assert row["record"] == ["x1", "Caf\ufffd talks in Hamburg", " says Lavrov", "2017-07-07"]


SAVE_WITH_COMMAS = "save the file with ',' between fields"


@pytest.mark.parametrize(
    "content, message",
    [
        (  # an Excel export in cp1252 with ';' between fields and a comma in the text
            b"doc_id;text;date\r\nx1;Caf\xe9 talks in Hamburg, says Lavrov;07.07.2017\r\n",
            "line 1: the header looks separated by ';', not ','; " + SAVE_WITH_COMMAS,
        ),
        (
            b"\r\ndoc_id\ttext\r\nx1\tPutin and Trump met.\r\n",
            "line 2: the header looks separated by '\\t', not ','; " + SAVE_WITH_COMMAS,
        ),
        (
            b"doc_id,texte,dat\xe9\r\nx1,Putin and Trump met.,2017-07-07\r\n",
            "line 1: the header is not UTF-8 text; save the file as UTF-8",
        ),
    ],
)
def test_csv_header_faults_are_one_error_line(tmp_path: Path, content: bytes, message: str) -> None:
    path, out = tmp_path / "excel.csv", tmp_path / "o.parquet"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["corpus", "import", str(path), "--out", str(out)])
    assert (result.exit_code, result.output) == (2, f"error: {path}: {message}\n")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_parquet_read_as_text_is_one_error_line(tmp_path: Path, fmt: str) -> None:
    path, out = tmp_path / "docs.parquet", tmp_path / "o.parquet"
    pd.DataFrame([GOOD]).to_parquet(path)
    message = f"error: {path}: a Parquet file, not {fmt.upper()} text; pass the right --format\n"
    for args in (
        ["corpus", "import", str(path), "--format", fmt, "--out", str(out)],
        ["sentiment", str(path), "--format", fmt, "--output", str(out)],
    ):
        result = CliRunner().invoke(app, args)
        assert (result.exit_code, result.output) == (2, message)
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".gz", ".zip"])
def test_compressed_files_give_the_plain_files_records(
    kremlin_csv: tuple[Path, pd.DataFrame], tmp_path: Path, suffix: str
) -> None:
    """Real pages as CSV (quoted fields of over 200,000 characters spanning many lines)
    and JSONL with a record of each fault: read from a .gz or a .zip, the same records."""
    path, pages = kremlin_csv
    assert pages["text"].map(lambda text: len(text) > LONG_PAGE and text.count("\n") > 50).any()
    for plain in (path, bad_jsonl(tmp_path)):
        packed = save(tmp_path / f"{plain.name}{suffix}", plain.read_bytes())
        expected = [dataclasses.replace(item, file=str(packed)) for item in iter_file(plain)]
        assert list(iter_file(packed)) == expected


@pytest.mark.parametrize("name", ["excel.csv", "excel.csv.gz"])
def test_csv_bom_bad_byte_and_line_ends(tmp_path: Path, name: str) -> None:
    data = (
        "\ufeffdoc_id,text\r\nx1,Café talks\r\n".encode() + b'x2,Caf\xe9\r\nx3,"two\r\nlines"\rx4,'
    )
    items = list(iter_file(save(tmp_path / name, data)))
    assert [(item.line, type(item).__name__) for item in items] == [
        (2, "Record"),
        (3, "Rejected"),
        (4, "Record"),
        (6, "Record"),
    ]
    assert items[0].data == {"doc_id": "x1", "text": "Café talks"}  # no BOM in the header
    assert items[1].reason == "undecodable bytes"
    assert items[2].data["text"] == "two\r\nlines" and items[3].data == {"doc_id": "x4", "text": ""}


def test_unclosed_quote_past_the_first_block_names_its_line(tmp_path: Path) -> None:
    rows = "".join(f"x{i},Putin and Trump met in Hamburg.\n" for i in range(40_000))
    data = f'doc_id,text\n{rows}y1,"Never closed.\ny2,Swallowed.\n'.encode()
    assert len(data) > BLOCK
    path = save(tmp_path / "unclosed.csv.gz", data)
    records = iter_file(path)
    with pytest.raises(InputError, match=r"unclosed\.csv\.gz: line 40002: a quoted field in"):
        for _ in records:
            pass
