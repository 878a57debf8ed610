"""``usrussia study init`` and ``study check`` as a researcher meets them: init writes the
default study (checked, atomically, never over a study without ``--force``), check prints
what the study compares and exits 0, and every mistake is one line and exit 2 with nothing
written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import write_corpus
from usrussia.study import check_study, default_study, load_study
from usrussia.study.load import COMPARISON_KEYS, SECTIONS


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def refused(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one ``error:`` line on stderr holding ``fragments``."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    for fragment in fragments:
        assert fragment in line, line
    return line


@pytest.fixture(scope="module")
def mine(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A researcher's corpus: Obama-era headlines and Trump-era articles, source 'mycoverage'."""
    relevant = corpus[corpus["relevant"]]
    headlines = relevant[(relevant["source"] == "reddit_worldnews") & (relevant["era"] == "obama")]
    articles = relevant[(relevant["source"] == "news_articles") & (relevant["era"] == "trump1")]
    frame = pd.concat([headlines.head(300), articles.head(300)]).assign(source="mycoverage")
    path = tmp_path_factory.mktemp("mine") / "mine.parquet"
    return write_corpus(frame.reset_index(drop=True), path)


def test_init_writes_the_default_study_and_check_reads_it(mine: Path, tmp_path: Path) -> None:
    mine = Path(shutil.copy(mine, tmp_path / "mine.parquet"))  # a project folder of one's own
    out = tmp_path / "studies" / "mine.toml"
    result = run("study", "init", "--corpus", mine, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text == default_study(mine, base=out.parent)
    assert 'corpus = "../mine.parquet"' in text  # the study and its corpus move together
    summary = check_study(load_study(out)).lines()
    assert result.stdout.splitlines() == [f"wrote {out}", *summary]
    assert "mycoverage: obama vs trump1: obama 300, trump1 300 documents by era" in summary[1]
    checked = run("study", "check", out)
    assert checked.exit_code == 0 and checked.stdout.splitlines() == summary
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine.toml"]  # no temporary left


def test_init_never_overwrites_a_study_without_force(mine: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("# my own design, edited for a week\n", encoding="utf-8")
    refused(run("study", "init", "--corpus", mine, "--out", out), "exists", "--force")
    assert out.read_text(encoding="utf-8") == "# my own design, edited for a week\n"
    assert run("study", "init", "--corpus", mine, "--out", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == default_study(mine, base=tmp_path)


def test_init_writes_into_studies_by_default(
    mine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "STUDIES", tmp_path / "studies")
    assert run("study", "init", "--corpus", mine).exit_code == 0
    assert load_study(tmp_path / "studies" / "mine.toml").corpus == mine.resolve()


@pytest.mark.parametrize(
    "out, fragments",
    [
        ("folder", ["--out", "is a folder; give a file name"]),
        ("mine.txt", ["--out", "the output must end in .toml"]),
        ("file/mine.toml", ["--out", "cannot create the folder"]),
    ],
)
def test_init_refuses_an_output_it_cannot_write(
    mine: Path, tmp_path: Path, out: str, fragments: list[str]
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("a file where a folder belongs")
    before = sorted(p.name for p in tmp_path.iterdir())
    refused(run("study", "init", "--corpus", mine, "--out", tmp_path / out), *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_init_on_something_that_is_not_a_corpus(tmp_path: Path) -> None:
    events = tmp_path / "events.parquet"
    pd.read_csv(config.EVENTS_CSV).to_parquet(events)
    out = tmp_path / "s.toml"
    refused(run("study", "init", "--corpus", tmp_path / "nope.parquet", "--out", out), "not found")
    refused(run("study", "init", "--corpus", events, "--out", out), "not a corpus")
    assert not out.exists()


def test_check_of_a_missing_or_broken_file(tmp_path: Path) -> None:
    refused(run("study", "check", tmp_path / "none.toml"), "study file not found")
    broken = tmp_path / "broken.toml"
    broken.write_text('[study]\ncorpus = "x.parquet"\n[[comparisons]\n', encoding="utf-8")
    refused(run("study", "check", broken), "not valid TOML")
    assert run("study").exit_code == 2  # no command: the help, as every group does


def test_the_readme_explains_every_key_the_loader_knows() -> None:
    """README's "Your own corpus" and ``usrussia.study.load`` agree key by key, both ways."""
    readme = (Path(config.PROJECT_ROOT) / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Your own corpus\n")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))
    known = set(COMPARISON_KEYS)
    for table, keys in SECTIONS.items():
        if keys is None:
            assert f"`[{table}" in section or f"`[[{table}]]`" in section, table
        else:
            known |= {f"{table}.{key}" for key in keys}
    tables = {key for key in documented if key.startswith("[")}
    assert documented - tables == known
