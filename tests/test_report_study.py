"""``usrussia report`` runs a study: ``--study FILE``, or the study of ``--corpus PATH`` (the
default study, published with the report; the shipped study for the shipped corpus), on a
sample too; the study is checked before any corpus work or notebook, and the manifest
records it (path, sha256, full text).

The notebook here is a tiny one that reads the study as the real ones do
(``load_study(study_path)``, ``in_scope``), so these tests do not depend on the analysis
notebooks' contents.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_report import make_notebook
from typer.testing import CliRunner, Result

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import read_corpus, write_corpus
from usrussia.io import sha256_file
from usrussia.study import check_study, default_study, load_study

READ_STUDY = """from usrussia.corpus import read_corpus
from usrussia.report.metrics import save_block
from usrussia.study import group_labels, in_scope, load_study, select

study = load_study(study_path)
docs = in_scope(study, read_corpus(study.corpus))
groups = {}
for c in study.comparisons:
    labels = group_labels(select(docs, c.filter), study, c.by, c.groups)
    groups[c.name] = {str(k): int(v) for k, v in labels.value_counts().items()}
block = {"study_path": study_path, "corpus_path": corpus_path, "corpus": str(study.corpus)}
block.update(name=study.name, seed=seed, in_scope=len(docs), groups=groups)
save_block("study", block, output_dir)"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def metrics(out: Path) -> dict:
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    make_notebook(folder, "01_study", READ_STUDY, 'study_path = "../studies/shipped.toml"')
    return folder


@pytest.fixture(scope="module")
def mine(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of one's own: Obama-era headlines and Trump-era articles, 'mycoverage'."""
    relevant = corpus[corpus["relevant"]]
    headlines = relevant[(relevant["source"] == "reddit_worldnews") & (relevant["era"] == "obama")]
    articles = relevant[(relevant["source"] == "news_articles") & (relevant["era"] == "trump1")]
    frame = pd.concat([headlines.head(200), articles.head(200)]).assign(source="mycoverage")
    path = tmp_path_factory.mktemp("mine") / "mine.parquet"
    return write_corpus(frame.reset_index(drop=True), path)


@pytest.fixture()
def study_file(mine: Path, tmp_path: Path) -> Path:
    """The default study of ``mine``, written by ``study init`` and given its own seed."""
    out = tmp_path / "mine.toml"
    assert run("study", "init", "--corpus", mine, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8").replace(f"seed = {config.SEED}", "seed = 7")
    out.write_text(text, encoding="utf-8")
    return out


def test_report_on_my_corpus_publishes_its_default_study(
    mine: Path, notebooks: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    result = run("report", "--corpus", mine, "--output", out, "--notebooks", notebooks)
    assert result.exit_code == 0, result.output
    published = out / "study.toml"
    text = published.read_text(encoding="utf-8")
    assert text == default_study(mine, by="usrussia report")
    got = metrics(out)
    block, manifest = got["study"], got["manifest"]
    assert block["corpus"] == block["corpus_path"] == str(mine.resolve())
    assert Path(block["study_path"]).name == "study.toml"  # the copy that is published
    assert block["in_scope"] == len(read_corpus(mine)) and block["seed"] == config.SEED
    summary = check_study(load_study(published))
    assert block["groups"] == {c.name: c.n for c in summary.comparisons}
    assert manifest["study"] == {
        "name": "mine",
        "path": None,
        "published": "study.toml",
        "sha256": sha256_file(published),
        "text": text,
    }
    assert 'href="study.toml"' in (out / "index.html").read_text(encoding="utf-8")


def test_report_on_a_study_file(study_file: Path, notebooks: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run("report", "--study", study_file, "--output", out, "--notebooks", notebooks)
    assert result.exit_code == 0, result.output
    got = metrics(out)
    assert got["study"]["study_path"] == str(study_file.resolve())
    assert got["study"]["seed"] == got["manifest"]["seed"] == 7  # the study's seed
    study = got["manifest"]["study"]
    assert study["path"] == study_file.resolve().as_posix()
    assert study["sha256"] == sha256_file(study_file) == sha256_file(out / "study.toml")
    assert study["text"] == study_file.read_text(encoding="utf-8")


def test_a_sampled_run_reads_the_study_pointed_at_the_sample(
    study_file: Path, notebooks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "sample_parquet", lambda n, s: tmp_path / f"sample-{n}-{s}.parquet")
    out = tmp_path / "reports"
    args = ["--study", study_file, "--sample", "40", "--seed", "5"]
    result = run("report", *args, "--output", out, "--notebooks", notebooks)
    assert result.exit_code == 0, result.output
    sample = tmp_path / "sample-40-5.parquet"
    got = metrics(out)
    assert got["study"]["corpus"] == str(sample.resolve()) and got["study"]["seed"] == 5
    assert got["study"]["in_scope"] == len(read_corpus(sample)) <= 40
    published = (out / "study.toml").read_text(encoding="utf-8")
    assert published.startswith("# Run by usrussia report --sample 40: the study")
    assert sha256_file(study_file) in published.replace("\n# ", " ")
    assert got["manifest"]["study"]["path"] is None
    assert load_study(out / "study.toml").comparisons == load_study(study_file).comparisons


def test_report_without_options_runs_the_shipped_study(notebooks: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run("report", "--output", out, "--notebooks", notebooks)
    assert result.exit_code == 0, result.output
    got = metrics(out)
    assert got["manifest"]["study"]["path"] == "studies/shipped.toml"
    assert got["study"]["corpus"] == str(config.CORPUS_PARQUET.resolve())
    assert got["study"]["name"] == "shipped"
    assert (out / "study.toml").read_bytes() == config.SHIPPED_STUDY.read_bytes()


def bad_study(folder: Path, change: tuple[str, str], corpus: Path) -> Path:
    text = default_study(corpus, base=folder)
    assert change[0] in text
    path = folder / "bad.toml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, fragments",
    [
        (('by = "era"', 'by = "eras"'), ["comparisons[0].by: unknown column 'eras'"]),
        (('"obama", "trump1"', '"obama", "biden"'), ["comparisons[0].groups", "era 'biden'"]),
        (("[scope]", '[scope]\nsource = "nosuch"'), ["scope.source: no document"]),
        (("[study]", "[study]\nlabel = 1"), ["study.label: unknown key"]),
        (
            ('corpus = "mine.parquet"', 'corpus = "gone.parquet"'),
            ["study.corpus: corpus not found"],
        ),
    ],
)
@pytest.mark.parametrize("sample", [None, "10"])
def test_a_bad_study_stops_the_report_before_anything(
    mine: Path,
    notebooks: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, str],
    fragments: list[str],
    sample: str | None,
) -> None:
    monkeypatch.setattr(config, "sample_parquet", lambda n, s: tmp_path / "sample.parquet")
    corpus = Path(shutil.copy(mine, tmp_path / "mine.parquet"))
    study = bad_study(tmp_path, change, corpus)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = ["--study", study, "--output", tmp_path / "out", "--notebooks", notebooks]
    result = run("report", *args, *(["--sample", sample] if sample else []))
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {study}")
    for fragment in fragments:
        assert fragment in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no sample


def test_a_broken_shipped_study_is_refused_before_the_corpus_is_built(
    notebooks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped corpus is missing (so a run would build it) and the study names an
    events table that is not there: the run stops first, nothing built."""
    corpus, study = tmp_path / "processed" / "corpus.parquet", tmp_path / "shipped.toml"
    study.write_text(
        f'[study]\ncorpus = "{corpus}"\n[events]\npath = "nosuch.csv"\n', encoding="utf-8"
    )
    monkeypatch.setattr(config, "CORPUS_PARQUET", corpus)
    monkeypatch.setattr(config, "SHIPPED_STUDY", study)
    result = run("report", "--output", tmp_path / "out", "--notebooks", notebooks)
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert "events.path: cannot read events file" in result.stderr
    assert not corpus.parent.exists() and not (tmp_path / "out").exists()


def test_study_and_corpus_exclude_each_other(mine: Path, study_file: Path) -> None:
    result = run("report", "--study", study_file, "--corpus", mine)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: --study and --corpus exclude each other: a study names its corpus"
    ]


def test_the_study_path_is_a_setting_of_the_run(mine: Path, tmp_path: Path) -> None:
    result = run("report", "--corpus", mine, "--output", tmp_path, "--param", "study_path=x")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "study_path is a setting of the run" in line and "use --study, --corpus" in line
