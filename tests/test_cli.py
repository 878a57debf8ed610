"""The command line as a user meets it: every user error is one line and exit 2, before any
output is written; writes are atomic, so a failed or interrupted run leaves nothing behind.

Inputs are real documents: State of the Union addresses from ``data/raw/sotu`` and the
summit table ``data/external/events.csv``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import read_corpus, write_corpus
from usrussia.corpus.records import InputError, Record
from usrussia.corpus.sources import sotu
from usrussia.engine import import_file

ADDRESSES = 4  # State of the Union addresses in the small inputs


def addresses(n: int = ADDRESSES) -> list[dict]:
    """The first ``n`` State of the Union addresses as plain rows (doc_id, date, title, text)."""
    rows = []
    for item in sotu.iter_records():
        if isinstance(item, Record):
            rows.append({k: item.data[k] for k in ("doc_id", "date", "title", "text")})
        if len(rows) == n:
            return rows
    raise AssertionError("data/raw/sotu has fewer addresses than the test needs")


def addresses_jsonl(path: Path, rows: list[dict] | None = None) -> Path:
    """A JSONL file of addresses with one broken line (a row the reader must quarantine)."""
    lines = [json.dumps(row) for row in rows or addresses()]
    lines.insert(1, '{"doc_id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` (hidden ones too) with its mtime and bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(*args: str | Path) -> Result:
    """``usrussia ARGS`` in-process."""
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_refused(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one stderr line ``error: ...`` holding ``fragments``."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    return addresses_jsonl(tmp_path / "addresses.jsonl")


def spellings(path: Path) -> dict[str, Path]:
    """Other names of the file ``path``: a detour through a folder, a symlink, a hard link."""
    (path.parent / "sub").mkdir()
    (path.parent / "link.jsonl").symlink_to(path)
    os.link(path, path.parent / "hard.jsonl")
    return {
        "same": path,
        "detour": path.parent / "sub" / ".." / path.name,
        "symlink": path.parent / "link.jsonl",
        "hard link": path.parent / "hard.jsonl",
    }


@pytest.mark.parametrize("spelling", ["same", "detour", "symlink", "hard link"])
def test_sentiment_output_equal_to_input_is_refused(docs: Path, spelling: str) -> None:
    output = spellings(docs)[spelling]
    before = snapshot(docs.parent)
    result = run("sentiment", docs, "--output", output, "--quarantine", docs.parent / "q.jsonl")
    assert_refused(result, "--output", "is the same file as the input")
    assert snapshot(docs.parent) == before  # the input, its bad row included, is untouched


@pytest.mark.parametrize(
    "command",
    [
        ["sentiment", "{docs}", "--output", "{tmp}/out.csv", "--quarantine", "{docs}"],
        ["sentiment", "{docs}", "--output", "{tmp}/s.jsonl", "--quarantine", "{tmp}/s.jsonl"],
        ["corpus", "import", "{docs}", "--out", "{tmp}/c.parquet", "--quarantine", "{docs}"],
        ["corpus", "import", "{pq}", "--out", "{pq}", "--quarantine", "{tmp}/q.jsonl"],
    ],
)
def test_an_output_equal_to_an_input_or_another_output_is_refused(
    docs: Path, command: list[str]
) -> None:
    tmp = docs.parent
    pd.DataFrame(addresses()).to_parquet(tmp / "addresses.parquet")
    args = [a.format(docs=docs, tmp=tmp, pq=tmp / "addresses.parquet") for a in command]
    before = snapshot(tmp)
    assert_refused(run(*args), "is the same file as")
    assert snapshot(tmp) == before


def test_mixed_type_column_to_parquet_is_refused_before_scoring(tmp_path: Path) -> None:
    rows = addresses()
    for i, row in enumerate(rows):
        row["year"] = int(row["date"][:4]) if i else "n/a"  # JSONL lets a column mix types
    src = addresses_jsonl(tmp_path / "addresses.jsonl", rows)
    before = snapshot(tmp_path)
    out, quarantine = tmp_path / "scored.parquet", tmp_path / "q.jsonl"
    result = run("sentiment", src, "--output", out, "--quarantine", quarantine)
    line = assert_refused(result, "column 'year'", "int and str", ".csv or .jsonl")
    assert str(out) in line
    assert "scoring" not in result.stderr  # refused before the work, not after it
    assert snapshot(tmp_path) == before
    # What the message suggests works and keeps every value as it was.
    result = run(
        "sentiment", src, "--output", tmp_path / "scored.jsonl", "--quarantine", quarantine
    )
    assert result.exit_code == 0, result.output
    scored = pd.read_json(tmp_path / "scored.jsonl", lines=True, dtype=False)
    assert scored["year"].tolist() == [row["year"] for row in rows]


@pytest.mark.parametrize(
    "command",
    [
        ["sentiment", "{docs}", "--output", "{dir}", "--quarantine", "{tmp}/q.jsonl"],
        ["sentiment", "{docs}", "--output", "{tmp}/o.csv", "--quarantine", "{dir}"],
        ["corpus", "import", "{docs}", "--out", "{dir}", "--quarantine", "{tmp}/q.jsonl"],
        ["corpus", "import", "{docs}", "--out", "{tmp}/o.parquet", "--quarantine", "{dir}"],
        ["corpus", "build", "--out", "{dir}", "--quarantine", "{tmp}/q.jsonl"],
        ["corpus", "build", "--out", "{tmp}/o.parquet", "--quarantine", "{dir}"],
    ],
)
def test_a_folder_where_a_file_belongs_is_refused(docs: Path, command: list[str]) -> None:
    tmp = docs.parent
    (tmp / "existing").mkdir()
    args = [a.format(docs=docs, tmp=tmp, dir=tmp / "existing") for a in command]
    before = snapshot(tmp)
    assert_refused(run(*args), "is a folder")
    assert snapshot(tmp) == before and list((tmp / "existing").iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["sentiment", "{docs}", "--output", "{file}/out.csv", "--quarantine", "{tmp}/q.jsonl"],
        ["sentiment", "{docs}", "--output", "{tmp}/o.csv", "--quarantine", "{file}/q.jsonl"],
        ["corpus", "import", "{docs}", "--out", "{file}/sub/o.parquet"],
        ["corpus", "build", "--out", "{tmp}/o.parquet", "--quarantine", "{file}/q.jsonl"],
        ["report", "--corpus", "{corpus}", "--output", "{file}/reports", "--notebooks", "{nb}"],
        ["report", "--corpus", "{corpus}", "--output", "{file}", "--notebooks", "{nb}"],
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_work(
    docs: Path, command: list[str]
) -> None:
    """A folder under a regular file cannot be created, whoever runs the test (root too)."""
    tmp = docs.parent
    corpus = write_corpus(import_file(docs)[0], tmp / "corpus.parquet")
    (tmp / "notes.txt").write_text("a file, not a folder\n", encoding="utf-8")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    corpus_notebook(notebooks)
    values = {"docs": docs, "tmp": tmp, "file": tmp / "notes.txt"}
    args = [a.format(**values, corpus=corpus, nb=notebooks) for a in command]
    before = snapshot(tmp)
    result = run(*args)
    assert_refused(result, "notes.txt")
    assert "scoring" not in result.stderr and "read " not in result.stdout
    assert snapshot(tmp) == before


@pytest.mark.parametrize(
    "command, message",
    [
        (["sentiment", "{docs}", "--output", "{tmp}/o.csv.gz"], "must end in .csv, .jsonl"),
        (["corpus", "import", "{docs}", "--out", "{tmp}/corpus.csv"], "must end in .parquet"),
        (
            ["corpus", "import", "{docs}", "--out", "{tmp}/c.parquet", "--quarantine", "{tmp}/q"],
            "must end in .jsonl",
        ),
    ],
)
def test_an_output_suffix_the_writer_cannot_honour_is_refused(
    docs: Path, command: list[str], message: str
) -> None:
    """``.gz`` was written uncompressed, a corpus ``.csv`` held Parquet bytes."""
    args = [a.format(docs=docs, tmp=docs.parent) for a in command]
    if "--quarantine" not in args:
        args += ["--quarantine", str(docs.parent / "q.jsonl")]
    before = snapshot(docs.parent)
    assert_refused(run(*args), message)
    assert snapshot(docs.parent) == before


def corpus_notebook(folder: Path) -> Path:
    """A one-cell report notebook that uses the corpus as the real ones do."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = 'corpus_path = "x"\noutput_dir = "."\nseed = 0'
    code = (
        "from usrussia.corpus import read_corpus\nprint(read_corpus(corpus_path)['relevant'].sum())"
    )
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Corpus\n\nRelevant documents."),
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(code),
    ]
    path = folder / "01_corpus.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("sample", [None, 7])
def test_report_on_a_parquet_that_is_not_a_corpus(tmp_path: Path, sample: int | None) -> None:
    events = tmp_path / "events.parquet"
    pd.read_csv(config.EVENTS_CSV).to_parquet(events)
    notebooks, output = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    corpus_notebook(notebooks)
    output.mkdir()
    args = ["report", "--corpus", events, "--output", output, "--notebooks", notebooks]
    args += ["--seed", "4242"] + (["--sample", str(sample)] if sample else [])
    sampled = config.INTERIM / f"sample-{sample}-seed4242.parquet"
    existed = sampled.exists()
    line = assert_refused(run(*args), "not a corpus", "relevant", "doc_id")
    assert "date" not in line.split("missing")[1]  # only the columns that are missing
    assert list(output.iterdir()) == []
    assert sampled.exists() == existed
    with pytest.raises(InputError, match="missing the column"):
        read_corpus(events)


def test_usage_errors_are_one_line(docs: Path) -> None:
    assert_refused(run("sentiment", docs), "Missing option '--output'", "sentiment --help")
    assert_refused(run("report", "--sample", "0"), "--sample")
    assert_refused(run("corpus", "imprt", docs), "Did you mean 'import'")


@pytest.mark.parametrize(
    "columns, message",
    [
        (["body=text"], "'body' is not one of doc_id"),
        (["title=text", "text=text"], "mapped once"),
        (["text=text", "text=title"], "mapped once"),
        (["text"], "expects FIELD=COLUMN"),
    ],
)
def test_bad_column_mappings_are_refused(docs: Path, columns: list[str], message: str) -> None:
    out = docs.parent / "c.parquet"
    mapping = [arg for column in columns for arg in ("--column", column)]
    before = snapshot(docs.parent)
    result = run(
        "corpus", "import", docs, *mapping, "--out", out, "--quarantine", out.with_suffix(".jsonl")
    )
    assert_refused(result, message)
    assert snapshot(docs.parent) == before


def cli(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    """``usrussia ARGS`` in a subprocess, as a user runs it."""
    cmd = [sys.executable, "-m", "usrussia.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kwargs)


def test_fetch_refuses_a_destination_that_cannot_be_written(tmp_path: Path) -> None:
    """The download is not even tried when the zip could not be saved."""
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "data").write_text("a file where data/ belongs\n", encoding="utf-8")
    env = {**os.environ, "USRUSSIA_ROOT": str(root)}
    done = cli(["fetch", "news-articles", "--index-url", "http://127.0.0.1:9/simple"], env=env)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"error: the destination {root / 'data/raw/media/NewsArticles.zip'}: cannot create "
        f"the folder {root / 'data/raw/media'}: {root / 'data'} is a file"
    ]


def test_a_write_that_fails_after_the_checks_is_one_line_and_leaves_the_old_file(
    tmp_path: Path,
) -> None:
    """A full disk, simulated by a file-size limit: the old output stays, no temp file is left."""
    src = addresses_jsonl(tmp_path / "addresses.jsonl")
    out = tmp_path / "scored.csv"
    out.write_text("id,score\nfrom an earlier run,0.1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    limit = src.stat().st_size // 4  # the scored rows carry the texts: far more than this

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = cli(
        ["sentiment", src, "--output", out, "--quarantine", tmp_path / "q.jsonl"],
        preexec_fn=small_disk,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: cannot write {out}: File too large"]
    assert snapshot(tmp_path) == before


def test_interrupt_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C while scoring: exit 130, the previous output untouched, no temp file.

    The command starts with Ctrl-C's default action, as from a terminal (a job started in
    the background by a shell, e.g. a CI script, inherits SIGINT ignored, and the command
    then rightly runs on). The input takes far longer to score (4,200 addresses, about 15 s)
    than this test takes to see the bar and send the signal."""
    src = addresses_jsonl(tmp_path / "addresses.jsonl", addresses(21) * 200)
    out = tmp_path / "scored.csv"
    out.write_text("id,score\nfrom an earlier run,0.1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    cmd = [sys.executable, "-m", "usrussia.cli", "sentiment", str(src), "--output", str(out)]
    cmd += ["--quarantine", str(tmp_path / "q.jsonl")]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = b""
    try:
        while b"scoring" not in seen:  # the bar is drawn when the scoring starts
            chunk = proc.stderr.read1(256)
            assert chunk, seen.decode(errors="replace")
            seen += chunk
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr.decode(errors="replace")
    assert stdout == b"" and b"Traceback" not in stderr
    assert snapshot(tmp_path) == before
