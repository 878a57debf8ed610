"""Shared fixtures: the shipped corpus and a small stratified sample of it.

``corpus`` reads ``config.CORPUS_PARQUET`` (building it from ``data/raw`` when it is
missing, so the suite never skips for want of data); ``small_corpus`` is the path of a
~600-document sample covering every source, the input of the report tests.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from usrussia import config
from usrussia.corpus import read_corpus, sample_corpus, write_corpus
from usrussia.engine import build_corpus

SMALL_N = 600
_connect = socket.socket.connect


def _loopback_only(sock: socket.socket, address: object) -> object:
    """socket.connect that refuses anything but loopback and local (Unix) sockets."""
    if isinstance(address, tuple) and sock.family in (socket.AF_INET, socket.AF_INET6):
        host = str(address[0])
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"tests must not touch the network (tried to connect to {host})")
    return _connect(sock, address)


@pytest.fixture(autouse=True, scope="session")
def no_network() -> None:
    """Tests never touch the network: in-process connections may only go to loopback."""
    socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    """The full shipped corpus, built from data/raw when the Parquet file is missing."""
    if not config.CORPUS_PARQUET.exists():
        df, _ = build_corpus()
        write_corpus(df, config.CORPUS_PARQUET)
    return read_corpus(config.CORPUS_PARQUET)


@pytest.fixture(scope="session")
def small_corpus(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a deterministic stratified sample (~600 documents, every source)."""
    path = tmp_path_factory.mktemp("small_corpus") / "corpus.parquet"
    write_corpus(sample_corpus(corpus, SMALL_N, config.SEED), path)
    return path


# Titles a hostile web page could carry: reports must show them as text, never run them.
HOSTILE_TITLES = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="window.__xss=1"></svg>',
)


@pytest.fixture(scope="session")
def hostile_corpus(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small corpus with HTML/JS payloads as titles and texts, where reports show them.

    Every Kremlin page's title becomes a payload (the topic report lists the titles of
    representative pages), and one relevant document per source is added with a payload as
    its title and at the start of its text.
    """
    df = read_corpus(small_corpus)
    kremlin = df.index[df["source"] == "kremlin"]
    df.loc[kremlin, "title"] = (HOSTILE_TITLES * len(kremlin))[: len(kremlin)]
    donors = df[df["relevant"] & df["date"].notna()].groupby("source").head(1)
    rows = []
    for i, (payload, (_, donor)) in enumerate(
        zip(HOSTILE_TITLES * len(donors), donors.iterrows(), strict=False)
    ):
        rows.append(
            {**donor, "doc_id": f"hostile-{i}", "title": payload, "text": f"{payload} {donor.text}"}
        )
    path = tmp_path_factory.mktemp("hostile_corpus") / "corpus.parquet"
    write_corpus(pd.concat([df, pd.DataFrame(rows)], ignore_index=True), path)
    return path


@pytest.fixture(scope="session")
def report_runs(hostile_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two report runs on the hostile small corpus with the same parameters, side by side.

    Run ``a`` is in-process (its ``ReportRun`` is returned); run ``b`` is the ``usrussia
    report`` command in a subprocess at the same time (two cores, half the wait), returned
    as a ``ReportRun`` of its output folder and metrics.
    """
    from usrussia.report import ReportRun, run_report

    out_a, out_b = (tmp_path_factory.mktemp(f"report_{run}") for run in ("a", "b"))
    cmd = [sys.executable, "-m", "usrussia.cli", "report", "--corpus", str(hostile_corpus)]
    log = out_b.parent / "report_b.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([*cmd, "--output", str(out_b)], stdout=fh, stderr=fh)
        try:
            a = run_report(hostile_corpus, out_a, seed=config.SEED)
        finally:
            proc.wait()
    assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
    metrics_b = json.loads((out_b / "metrics.json").read_text(encoding="utf-8"))
    return a, ReportRun(out_b, a.reports, metrics_b)
