"""``usrussia report --corpus`` end to end on corpora the shipped study was not written for:
cuts of the shipped data under new source names (two eras of different kinds, one era, no
dates, five documents). Each run uses the corpus's default study, exits 0, publishes every
page, and says in its records and pages where a comparison cannot be made.

The two corpus-independent validations are made cheap here (two folds, no NewsMTSC): they
are tested on their own elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from study_corpora import cut
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import write_corpus
from usrussia.report import find_notebooks

CHEAP = ["--param", "newsmtsc=false", "--param", "cv_folds=2", "--param", "n_resamples=100"]


def run_report(corpus: pd.DataFrame, tmp_path: Path, kind: str) -> tuple[dict, Path]:
    """Write the cut, run the report on it through the CLI; its metrics and output folder."""
    path = write_corpus(cut(corpus, kind), tmp_path / "corpus.parquet")
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["report", "--corpus", str(path), "--output", str(out), *CHEAP]
    )
    assert result.exit_code == 0, result.output[-3000:]
    return json.loads((out / "metrics.json").read_text(encoding="utf-8")), out


def page(out: Path, name: str) -> str:
    return (out / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["two_kinds", "one_era", "undated", "five"])
def test_report_runs_on_a_corpus_of_its_own(corpus: pd.DataFrame, tmp_path: Path, kind: str):
    metrics, out = run_report(corpus, tmp_path, kind)
    names = [nb.stem for nb in find_notebooks(config.NOTEBOOKS)]
    assert all((out / f"{name}.html").is_file() for name in names) and len(names) >= 4
    assert (out / "index.html").is_file() and (out / "study.toml").is_file()
    study_text = (out / "study.toml").read_text(encoding="utf-8")
    assert metrics["manifest"]["study"]["text"] == study_text
    records = metrics["tone_comparison"]
    assert metrics["corpus"]["documents"] == len(cut(corpus, kind))
    for name in names:
        assert "Traceback" not in page(out, name)
    scores = pd.read_parquet(out / "current" / "data" / "document_scores.parquet")
    assert set(scores["doc_id"]) <= set(cut(corpus, kind)["doc_id"]) and len(scores)
    if kind == "two_kinds":
        eras = {(r["group_a"], r["group_b"]) for r in records}
        assert ("obama", "trump1") in eras
        assert all(r["n_a"] > 0 and r["n_b"] > 0 for r in records if r["group_a"] == "obama")
    if kind == "one_era":
        assert "only the trump1 era; no comparison across eras can be made" in study_text
        assert not any(r["group_a"] in config.ERA_NAMES for r in records)
    if kind == "undated":
        assert metrics["corpus"]["undated"] == metrics["corpus"]["documents"]
        assert not any(r["group_a"] in config.ERA_NAMES for r in records)
    if kind == "five":
        assert records  # every comparison of the default study is a record, made or not
        assert any("small group" in r["note"] for r in records)
        assert "too few to fit topics" in page(out, "03_topics")
