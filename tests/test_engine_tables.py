"""``usrussia sentiment`` streamed part by part (``usrussia.engine.parts``, ``.tables``): on
either engine, with parts of a few rows, the output is the one scoring the whole table at
once writes (CSV and JSONL byte for byte), every row is kept or quarantined as before, and
the cluster is closed when the command fails."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import psutil
import pytest
from test_textfile import save
from typer.testing import CliRunner

from usrussia.cli import app
from usrussia.corpus.records import InputError, iter_file
from usrussia.corpus.sources import kremlin
from usrussia.engine import Engine
from usrussia.engine.parts import BLOCK, plan_parts, read_part
from usrussia.engine.tables import Layout, Survey, _frame, score_file, survey_part
from usrussia.io import OutputError
from usrussia.sentiment import read_texts, score_documents, write_table

CLI = [sys.executable, "-m", "usrussia.cli"]


@pytest.fixture(scope="module")
def pages() -> list[dict]:
    """The first 40 raw Kremlin pages."""
    with gzip.open(kremlin.PATH, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, 40)]


@pytest.fixture(scope="module")
def dask() -> Engine:
    """A 2-worker LocalCluster that cuts files into parts of 4 rows."""
    with Engine("dask", workers=2, chunk=4) as engine:
        yield engine


def _lines(pages: list[dict], mixed: bool = True) -> list[str]:
    """Real pages with columns of every kind pandas types differently, and faulty lines
    (``mixed``: also strings among numbers, which Parquet cannot store in one column)."""
    rng = random.Random(7)
    kinds = [1, -3, 2.5, None, True, "7", 2**63, float("nan")]
    kinds = kinds if mixed else [1, -3, 2.5, None, 2**62, float("nan")]
    lines = []
    for i, page in enumerate(pages):
        row = {"id": page["id"], "text": page["text"], "title": page["title"]}
        for column in ("a", "b", "c"):  # each row: some columns, values of a random kind
            if rng.random() < 0.7:
                row[column] = rng.choice(kinds[: 3 + i % 6])
        if i % 9 == 0:
            row["flag"] = i % 2 == 0
        if i == 30:
            row["score"] = "a column named like a score"
        lines.append(json.dumps(row, allow_nan=True))
    lines[3] = "{not json"
    lines[11] = json.dumps({"id": 1, "text": None})
    lines[17] = ""  # blank: skipped, not counted
    lines[25] = json.dumps({"id": 2, "text": 'a line\u2028with a separator. And "quotes".'})
    return lines


def _write(path: Path, lines: list[str], bom: bool = False) -> Path:
    data = ("\ufeff" if bom else "") + "\r\n".join(lines) + "\n"
    path.write_bytes(data.encode("utf-8").replace(b'"7"', b'"7\xff"', 1))  # a bad byte
    return path


def _whole(path: Path, out: Path, column: str = "text") -> tuple[bytes | pd.DataFrame, object]:
    """What scoring the whole table at once writes, and its ledger."""
    rows, ledger = read_texts(path, column)
    kept = rows.drop(columns=score_documents([]).columns, errors="ignore")
    texts = rows[column] if len(rows) else []
    write_table(pd.concat([kept, score_documents(texts)], axis=1), out)
    return (pd.read_parquet(out) if out.suffix == ".parquet" else out.read_bytes()), ledger


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_parts_write_what_the_whole_table_writes(
    pages: list[dict], tmp_path: Path, suffix: str
) -> None:
    src = _write(tmp_path / "in.jsonl", _lines(pages, mixed=suffix != ".parquet"), bom=True)
    expected, expected_ledger = _whole(src, tmp_path / f"whole{suffix}")
    assert expected_ledger.quarantined == 2 + (suffix != ".parquet")
    assert expected_ledger.read == 39
    for chunk in (1, 4, 1000):
        out = tmp_path / f"parts{chunk}{suffix}"
        ledger = score_file(src, out, engine=Engine(chunk=chunk))
        assert ledger == expected_ledger
        if suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(out), expected, check_exact=True)
        else:
            assert out.read_bytes() == expected


def test_parquet_refuses_mixed_columns_as_the_whole_table_does(
    pages: list[dict], tmp_path: Path
) -> None:
    src = _write(tmp_path / "in.jsonl", _lines(pages))
    out = tmp_path / "out.parquet"
    with pytest.raises(OutputError) as whole:
        _whole(src, out)
    with pytest.raises(OutputError) as parts:
        score_file(src, out, engine=Engine(chunk=3))
    assert str(parts.value) == str(whole.value) and "column 'a' holds" in str(whole.value)
    assert not out.exists()


def test_dask_streams_a_file_in_parts_as_pandas_writes_it(
    pages: list[dict], tmp_path: Path, dask: Engine
) -> None:
    src = _write(tmp_path / "in.jsonl", _lines(pages))
    parts = list(plan_parts(src, None, dask.chunk, dask.sees))
    assert len(parts) == 10 and all(p.data is None and p.records is None for p in parts)
    for fmt in ("csv", "jsonl"):
        expected, expected_ledger = _whole(src, tmp_path / f"whole.{fmt}")
        out = tmp_path / f"dask.{fmt}"
        assert score_file(src, out, engine=dask) == expected_ledger
        assert out.read_bytes() == expected
    table = tmp_path / "in.parquet"  # a Parquet input, read batch by batch
    pd.read_json(tmp_path / "whole.jsonl", lines=True).drop(columns="score").to_parquet(table)
    expected, expected_ledger = _whole(table, tmp_path / "whole_pq.csv")
    assert score_file(table, tmp_path / "dask_pq.csv", engine=dask) == expected_ledger
    assert (tmp_path / "dask_pq.csv").read_bytes() == expected


def test_a_text_column_named_like_a_score(pages: list[dict], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": p["id"], "score": p["text"]}) + "\n" for p in pages[:5])
    )
    expected, _ = _whole(src, tmp_path / "whole.csv", "score")
    score_file(src, tmp_path / "parts.csv", "score", engine=Engine(chunk=2))
    assert (tmp_path / "parts.csv").read_bytes() == expected


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 50])
def test_parts_read_the_records_the_file_reader_reads(
    pages: list[dict], tmp_path: Path, rows: int
) -> None:
    src = _write(tmp_path / "in.jsonl", _lines(pages), bom=True)
    whole = list(iter_file(src))
    for shared in (True, False):  # a worker that cannot open the file gets the bytes
        parts = list(plan_parts(src, None, rows, lambda path, shared=shared: shared))
        assert all((p.data is None) == shared for p in parts)
        assert [item for p in parts for item in read_part(p)] == whole


def test_sample_rows_give_each_part_the_whole_columns_types() -> None:
    """Random columns of mixed kinds, cut into parts: every part's types are the whole's."""
    rng = random.Random(3)
    kinds = [0, 5, -(2**63), 2**64 - 1, 1.5, float("nan"), None, True, False, "x", "", [1]]
    for trial in range(300):
        pool = rng.sample(kinds, rng.randint(1, 4))
        rows = [
            {"text": "t", **{c: rng.choice(pool) for c in "abc" if rng.random() < 0.8}}
            for _ in range(rng.randint(1, 12))
        ]
        whole = pd.DataFrame(rows)
        cut = sorted({0, len(rows), *rng.sample(range(1, len(rows) + 1), min(3, len(rows)))})
        parts = [rows[i:j] for i, j in itertools.pairwise(cut)]
        survey = Survey()
        for part in parts:
            one = Survey()
            for row in part:
                one.note(row)
            survey.add(one)
        columns = list(whole.columns)
        layout = Layout("text", False, columns, survey.samples(columns), "csv")
        for part in parts:
            frame = _frame(part, layout)
            assert frame.dtypes.to_dict() == whole.dtypes.to_dict(), (trial, pool, part)
        assert pd.concat([_frame(p, layout) for p in parts], ignore_index=True).to_csv() == (
            whole.to_csv()
        )


def test_survey_accounts_for_every_row(pages: list[dict], tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", _lines(pages))
    surveys = [survey_part(p, "text") for p in plan_parts(src, None, 7, lambda path: True)]
    assert sum(s.read for s in surveys) == 39 == sum(s.kept + len(s.rejected) for s in surveys)
    reasons = {r.reason for s in surveys for r in s.rejected}
    assert reasons == {"invalid JSON", "missing text", "undecodable bytes"}


def test_cluster_is_closed_when_the_streamed_command_fails(
    pages: list[dict], tmp_path: Path
) -> None:
    """A file without the text column, found by the workers' first pass: exit 2, one line,
    no output, and the LocalCluster's workers gone."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"body": p["text"]}) + "\n" for p in pages))
    out = tmp_path / "out.csv"
    cmd = [*CLI, "sentiment", str(src), "--output", str(out), "--engine", "dask"]
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: dict[int, psutil.Process] = {}
    while proc.poll() is None:
        try:
            for child in proc.children(recursive=True):
                if "spawn_main" in " ".join(child.cmdline()):
                    workers[child.pid] = child
        except psutil.Error:
            pass
        time.sleep(0.1)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 2, stderr[-2000:]
    lines = stderr.strip().splitlines()
    message = f"error: {src}: no column 'text'; pass --text-column"
    assert len(lines) == 1 and lines[0] == message, stderr[-2000:]
    assert "Traceback" not in stderr and not out.exists()
    assert len(workers) >= 2, "the LocalCluster's workers did not start"
    _, alive = psutil.wait_procs(list(workers.values()), timeout=60)
    assert not alive


def test_a_binary_byte_past_the_first_block_is_refused_before_any_output(
    pages: list[dict], tmp_path: Path
) -> None:
    lines = [json.dumps({"text": p["text"]}) for p in pages] * 20  # more than one block
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "\x00"}\n')
    assert src.stat().st_size > BLOCK
    with pytest.raises(InputError) as whole:
        read_texts(src, "text")
    out = tmp_path / "out.csv"
    with pytest.raises(InputError) as parts:
        score_file(src, out, engine=Engine(chunk=50))
    assert str(parts.value) == str(whole.value) and "NUL byte on line 801" in str(whole.value)
    assert not out.exists()


def test_sentiment_writes_for_a_compressed_file_what_it_writes_for_the_plain_one(
    pages: list[dict], tmp_path: Path
) -> None:
    """JSONL with faulty lines and a bad byte, and CSV of real pages, gzipped: the same
    output, byte for byte, and the same accounting, from the CLI and in parts of 4 rows."""
    jsonl = _write(tmp_path / "in.jsonl", _lines(pages))
    table = tmp_path / "in.csv"
    table.write_text("id,title,text\n" + _rows(pages, csv=True), encoding="utf-8")
    for plain in (jsonl, table):
        packed = save(tmp_path / f"{plain.name}.gz", plain.read_bytes())
        written = []
        for src in (plain, packed):
            out, quarantine = tmp_path / f"{src.name}.out.csv", tmp_path / f"{src.name}.q.jsonl"
            args = ["sentiment", str(src), "--output", str(out), "--quarantine", str(quarantine)]
            result = CliRunner().invoke(app, [*args, "--no-targets"])
            assert result.exit_code == 0, result.output
            lines = result.stdout.splitlines()
            ledger = [line for line in lines if line.startswith(("read ", "  quarantined"))]
            rejected = [json.loads(line) for line in quarantine.read_text().splitlines()]
            rejected = [{k: v for k, v in row.items() if k != "file"} for row in rejected]
            written.append((ledger, rejected, out.read_bytes()))
            parts = tmp_path / f"{src.name}.parts.csv"
            score_file(src, parts, targets=False, engine=Engine(chunk=4))
            assert parts.read_bytes() == out.read_bytes()
        assert written[0] == written[1]
        assert written[0][0][0].startswith("read ")


def _rows(pages: list[dict], csv: bool) -> str:
    """The pages' id, title and text as CSV rows (without a header) or as JSON lines."""
    frame = pd.DataFrame(pages)[["id", "title", "text"]]
    if csv:
        return frame.to_csv(index=False, header=False)
    return "".join(json.dumps(row) + "\n" for row in frame.to_dict("records"))


@pytest.mark.parametrize("name", ["late.csv", "late.jsonl.gz"])
def test_a_fault_late_in_a_streamed_file_is_one_error_line_and_no_output(
    pages: list[dict], tmp_path: Path, name: str
) -> None:
    """A quoted field that never closes at the end of a CSV, a NUL byte at the end of a
    gzipped JSONL file, both past the first block: the first pass meets it, and the command
    stops with one line before it writes anything."""
    csv = name.endswith(".csv")
    text = ("id,title,text\n" if csv else "") + _rows(pages, csv) * 20
    line = text.count("\n") + 1
    if csv:
        data = (text + '1,"never closed\n2,swallowed\n').encode()
        message = f"line {line}: a quoted field in this record never closes"
    else:
        data = text.encode() + b'{"text": "\x00"}\n'
        message = f"binary data (a NUL byte on line {line}), not JSONL text"
    assert len(data) > BLOCK
    path, out = save(tmp_path / name, data), tmp_path / "out.csv"
    quarantine = tmp_path / "q.jsonl"
    result = CliRunner().invoke(
        app, ["sentiment", str(path), "--output", str(out), "--quarantine", str(quarantine)]
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}: {message}")
    assert result.output.count("\n") == 1
    assert not out.exists() and not quarantine.exists()


@pytest.mark.parametrize("name", ["big.csv", "big.jsonl.gz"])
def test_a_csv_or_compressed_file_is_read_in_flat_memory(
    pages: list[dict], tmp_path: Path, name: str
) -> None:
    """About 24 MB of real pages as CSV or as gzipped JSONL, planned and read part by part
    as ``usrussia sentiment`` reads them: the memory this takes at its peak is a small
    fraction of the file's size (reading the file whole took several times its size)."""
    csv = name.endswith(".csv")
    rows = _rows(pages, csv)
    copies = (24 << 20) // len(rows.encode())
    path = tmp_path / name
    opened = open(path, "w", encoding="utf-8") if csv else gzip.open(path, "wt", 1, "utf-8")
    with opened as fh:
        fh.write("id,title,text\n" if csv else "")
        for _ in range(copies):
            fh.write(rows)
    size = copies * len(rows.encode())
    tracemalloc.start()
    try:
        read = sum(len(read_part(p)) for p in plan_parts(path, None, 200, lambda path: True))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == copies * len(pages)
    assert peak < size / 4, f"reading took {peak >> 20} MB at its peak for a {size >> 20} MB file"
