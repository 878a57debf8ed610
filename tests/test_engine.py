"""The engines: on Dask (a 2-worker LocalCluster; a real scheduler and two workers) every
heavy stage gives the pandas engine's results, and the cluster is always closed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from typer.testing import CliRunner

from usrussia import engine as eng
from usrussia.cli import app
from usrussia.corpus import write_corpus
from usrussia.corpus.records import InputError
from usrussia.sentiment import score_documents
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import hashing_vectorizer

CLI = [sys.executable, "-m", "usrussia.cli"]


@pytest.fixture(scope="module")
def dask() -> eng.Engine:
    """A 2-worker LocalCluster (processes, no dashboard), closed after the module."""
    with eng.Engine("dask", workers=2) as engine:
        yield engine
    assert engine.client is None and engine.cluster is None


@pytest.fixture(scope="module")
def kremlin_path(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 Kremlin pages and every other source's first 100 documents, as a corpus file."""
    parts = [corpus[corpus["source"] == "kremlin"].head(1200)]
    parts += [g.head(100) for s, g in corpus.groupby("source") if s != "kremlin"]
    path = tmp_path_factory.mktemp("engine") / "corpus.parquet"
    write_corpus(pd.concat(parts, ignore_index=True), path)
    return path


def _user_file(corpus: pd.DataFrame, path: Path) -> Path:
    """Real documents as a user's JSONL, with the faults an import must quarantine."""
    rows = corpus[corpus["source"] == "kremlin"].head(700)
    lines = [
        json.dumps(
            {"doc_id": r.doc_id, "date": str(r.date.date()), "title": r.title, "text": r.text}
        )
        for r in rows.itertuples()
    ]
    lines[5] = lines[4]  # a duplicate id
    lines[10] = "{not json"
    lines[20] = json.dumps({"doc_id": "no-text", "date": "2020-01-01"})
    lines[30] = json.dumps({"doc_id": "odd-date", "date": "07/08/2017", "text": "Talks."})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_dask_scores_documents_as_pandas_does(corpus: pd.DataFrame, dask: eng.Engine) -> None:
    texts = corpus.groupby("source").head(400)["text"].tolist() + [None, "", "Fine."]
    expected = score_documents(texts)
    got = eng.score_documents(texts, engine=dask)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(got) == len(texts) and got["n_sentences"].iloc[-3:].tolist() == [0, 0, 1]


def test_dask_imports_a_file_as_pandas_does(
    corpus: pd.DataFrame, dask: eng.Engine, tmp_path: Path
) -> None:
    path = _user_file(corpus, tmp_path / "docs.jsonl")
    expected, expected_ledger = eng.import_file(path)
    got, ledger = eng.import_file(path, engine=dask)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert ledger == expected_ledger
    assert ledger.read == ledger.kept + ledger.quarantined == 700
    faults = {"duplicate id", "invalid JSON", "missing text", "ambiguous date"}
    assert faults <= set(ledger.reasons())


@pytest.mark.slow
def test_dask_builds_the_shipped_corpus_as_pandas_does(dask: eng.Engine) -> None:
    expected, expected_ledger = eng.build_corpus()
    got, ledger = eng.build_corpus(engine=dask)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert ledger == expected_ledger and ledger.read == ledger.kept + ledger.quarantined
    print(f"both engines: {ledger.summary()}")


def test_hashed_matrix_is_the_same_on_both_engines(kremlin_path: Path, dask: eng.Engine) -> None:
    pandas_dtm = eng.hashed_dtm(kremlin_path)
    dask_dtm = eng.hashed_dtm(kremlin_path, engine=dask)
    texts = pd.read_parquet(kremlin_path)["text"]
    whole = hashing_vectorizer(TextAnalyzer(stem=True), n_features=eng.HASHED_FEATURES)
    one_pass = whole.transform(texts).tocsr()
    for dtm in (pandas_dtm, dask_dtm):
        assert dtm.doc_ids == pd.read_parquet(kremlin_path)["doc_id"].tolist()
        assert dtm.matrix.shape == one_pass.shape and (dtm.matrix != one_pass).nnz == 0
    a, b = pandas_dtm.matrix, dask_dtm.matrix
    assert (a.indptr == b.indptr).all() and (a.indices == b.indices).all()
    assert (a.data == b.data).all() and a.nnz > 100_000


def test_streamed_topics_are_reported_beside_batch(kremlin_path: Path, dask: eng.Engine) -> None:
    params = {"n_topics": 5, "seeds": (1, 2), "passes": 4}
    on_pandas = eng.stream_topics(kremlin_path, **params)
    on_dask = eng.stream_topics(kremlin_path, **params, engine=dask)
    pd.testing.assert_frame_equal(on_dask, on_pandas, check_exact=True)
    assert on_pandas.index.tolist() == ["streamed", "batch"]
    assert on_pandas["npmi"].between(-1, 1).all() and on_pandas["stability"].between(0, 1).all()
    print(on_pandas.round(3).to_string())


def test_cluster_is_closed_on_error() -> None:
    def fail(chunk: list[int]) -> list[int]:
        raise ValueError("a task failed")

    with pytest.raises(ValueError, match="a task failed"):
        with eng.Engine("dask", workers=2) as engine:
            pids = list(engine.client.run(os.getpid).values())
            list(engine.map_chunks(fail, [[1], [2]]))
    assert engine.client is None and engine.cluster is None
    gone, alive = psutil.wait_procs([psutil.Process(p) for p in pids if psutil.pid_exists(p)], 30)
    assert not alive


def _pages(corpus: pd.DataFrame, path: Path, n: int) -> Path:
    corpus[corpus["source"] == "kremlin"].head(n)[["doc_id", "text"]].to_json(
        path, orient="records", lines=True
    )
    return path


def test_cli_sentiment_on_dask_writes_the_pandas_file(corpus: pd.DataFrame, tmp_path: Path):
    src = _pages(corpus, tmp_path / "pages.jsonl", 300)
    outputs = []
    for engine in ("pandas", "dask"):
        out = tmp_path / f"{engine}.csv"
        args = ["sentiment", str(src), "--output", str(out), "--engine", engine]
        result = CliRunner().invoke(app, [*args, "--quarantine", str(tmp_path / "q.jsonl")])
        assert result.exit_code == 0, result.output
        assert "read 300, kept 300, quarantined 0" in result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--engine", "spark"], "unknown engine 'spark'"),
        (["--scheduler", "tcp://127.0.0.1:9"], "needs the dask engine"),
        (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask sched"),
    ],
)
def test_engine_mistakes_exit_2_before_any_output(
    corpus: pd.DataFrame, tmp_path: Path, args: list[str], message: str
) -> None:
    src = _pages(corpus, tmp_path / "pages.jsonl", 5)
    out = tmp_path / "out.csv"
    proc = subprocess.run(
        [*CLI, "sentiment", str(src), "--output", str(out), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert not out.exists()
    with pytest.raises(InputError):
        eng.Engine("spark")


def test_ctrl_c_stops_the_command_and_its_cluster(corpus: pd.DataFrame, tmp_path: Path) -> None:
    src = _pages(corpus, tmp_path / "pages.jsonl", 3000)
    out = tmp_path / "out.csv"
    cmd = [*CLI, "sentiment", str(src), "--output", str(out), "--engine", "dask"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 240
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        workers = [
            p
            for p in psutil.Process(proc.pid).children(recursive=True)
            if "spawn_main" in " ".join(p.cmdline())
        ]
    assert len(workers) >= 2, "the LocalCluster's workers did not start"
    proc.send_signal(signal.SIGINT)  # most likely while the cluster is still starting
    _, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr.splitlines()
    assert "Traceback" not in stderr, stderr[-2000:]
    _, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive and not out.exists()


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args], stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def test_a_real_scheduler_and_two_workers(corpus: pd.DataFrame, tmp_path: Path) -> None:
    """A ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, stopped after."""
    from distributed import Client

    src = _pages(corpus, tmp_path / "pages.jsonl", 300)
    info = tmp_path / "scheduler.json"
    common = ["--no-dashboard", "--host", "127.0.0.1"]
    procs = [
        _start(
            ["scheduler", "--port", "0", "--scheduler-file", str(info), *common], tmp_path / "s.log"
        )
    ]
    try:
        deadline = time.monotonic() + 120
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        worker = ["worker", "--scheduler-file", str(info), "--nthreads", "1", *common]
        procs += [_start(worker, tmp_path / f"w{i}.log") for i in range(2)]
        address = json.loads(info.read_text())["address"]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=180)
        outputs = []
        for args in ([], ["--engine", "dask", "--scheduler", address]):
            out = tmp_path / f"out{len(outputs)}.jsonl"
            result = CliRunner().invoke(
                app,
                [
                    "sentiment",
                    str(src),
                    "--output",
                    str(out),
                    *args,
                    "--quarantine",
                    str(tmp_path / "q.jsonl"),
                ],
            )
            assert result.exit_code == 0, result.output
            outputs.append(pd.read_json(out, lines=True))
        pd.testing.assert_frame_equal(outputs[1], outputs[0], check_exact=True)
        assert np.isfinite(outputs[1]["score"]).all()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert all(p.poll() is not None for p in procs)
