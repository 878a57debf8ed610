"""``usrussia corpus import`` of what ``usrussia fetch`` saved: corpus rows, the accounting,
quarantine with reasons, and reruns offline.

The folders are fetched once, from the local server of ``fetch_server``, which is shut
down before any import: every import here runs without a server (and the suite's
``no_network`` guard refuses any connection off the machine).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fetch_server import FIXTURES, KEY, FakeApis, fixture, zipped
from typer.testing import CliRunner, Result

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import read_corpus
from usrussia.corpus.manifest import raw_files
from usrussia.corpus.records import InputError
from usrussia.corpus.sources import gdelt
from usrussia.report import find_notebooks
from usrussia.study import group_labels, in_scope, load_study

FETCHES = {
    "guardian-2013": ("guardian", "--query", "Putin", "--from", "2013-06-10", "--to", "2013-06-24"),
    "guardian-2018": ("guardian", "--query", "Putin", "--from", "2018-07-09", "--to", "2018-07-23"),
    "nyt-2013": ("nyt", "--query", "Putin", "--from", "2013-06-10", "--to", "2013-06-24"),
    "nyt-2018": ("nyt", "--query", "Putin", "--from", "2018-07-09", "--to", "2018-07-23"),
    "gdelt": ("gdelt", "--query", "putin", "--from", "2018-07-15", "--to", "2018-07-17"),
    "gdelt-tone": (
        "gdelt", "--query", "putin", "--from", "2018-07-15", "--to", "2018-07-17",
        "--mode", "timelinetone",
    ),
    "events": ("gdelt-events", "--from", "2018-07-15", "--to", "2018-07-16"),
    "mediacloud": ("mediacloud", "--query", "putin", "--from", "2021-06-10", "--to", "2021-06-20"),
}  # fmt: skip
# Appended to the README's report line: the two corpus-independent validations made cheap.
CHEAP = ["--param", "newsmtsc=false", "--param", "cv_folds=2", "--param", "n_resamples=100"]


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every source fetched into its own folder; the server is gone afterwards."""
    root = tmp_path_factory.mktemp("fetched")
    with FakeApis() as apis:
        for name, args in FETCHES.items():
            command = ["fetch", *args, "--out", str(root / name), "--min-interval", "0"]
            result = CliRunner().invoke(app, command, env=apis.env)
            assert result.exit_code == 0, result.output
    return {name: root / name for name in FETCHES}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def imported(tmp_path: Path, *inputs: str | Path, fmt: str | None = None) -> tuple[Result, Path]:
    """``usrussia corpus import INPUTS`` into ``tmp_path``; the result and the output."""
    out = tmp_path / "corpus.parquet"
    args = ["corpus", "import", *inputs, "--out", out, "--quarantine", tmp_path / "q.jsonl"]
    result = run(*args, *(["--format", fmt] if fmt else []))
    return result, out


def quarantined(tmp_path: Path) -> list[dict]:
    path = tmp_path / "q.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_guardian_gives_full_text_and_says_what_stands_in(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    result, out = imported(tmp_path, fetched["guardian-2013"], fetched["guardian-2018"])
    assert result.exit_code == 0, result.output
    assert "read 9, kept 9, quarantined 0" in result.stdout
    df = read_corpus(out).set_index("doc_id")
    assert set(df["source"]) == {"guardian"} and set(df["outlet"]) == {"theguardian.com"}
    assert df["era"].value_counts().to_dict() == {"obama": 5, "trump1": 4}
    kinds = df["text_kind"].to_dict()
    assert kinds["guardian-world/2013/jun/18/g8-communique-syria-russia"] == "abstract"
    assert kinds["guardian-politics/2013/jun/19/cameron-g8-russia-syria-statement"] == "title"
    assert sum(k == "full" for k in kinds.values()) == 7
    communique = df.loc["guardian-world/2013/jun/18/g8-communique-syria-russia"]
    assert communique["text"].startswith("Leaders agree to back a Geneva peace conference")
    live = df.loc["guardian-world/live/2013/jun/17/g8-summit-lough-erne-live"]
    assert live["kind"] == "live blog" and live["date"] == pd.Timestamp("2013-06-17")
    press = df.loc["guardian-us-news/2018/jul/16/trump-putin-press-conference-helsinki"]
    assert press["url"].startswith("https://www.theguardian.com/us-news/2018/jul/16/")
    assert press["relevant"] and press["n_russia_mentions"] >= 3


def test_importing_again_offline_gives_the_same_corpus(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    folders = [fetched["guardian-2013"], fetched["nyt-2018"], fetched["mediacloud"]]
    before = {p: p.read_bytes() for f in folders for p in f.iterdir()}
    first, a = imported(tmp_path / "a", *folders)
    second, b = imported(tmp_path / "b", *folders)
    assert first.exit_code == second.exit_code == 0
    pd.testing.assert_frame_equal(read_corpus(a), read_corpus(b))
    assert {p: p.read_bytes() for f in folders for p in f.iterdir()} == before


def test_nyt_lead_paragraph_abstract_and_print_dates(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    result, out = imported(tmp_path, fetched["nyt-2013"], fetched["nyt-2018"])
    assert result.exit_code == 0 and "read 15, kept 15, quarantined 0" in result.stdout
    df = read_corpus(out)
    old, new = df[df["era"] == "obama"], df[df["era"] == "trump1"]
    assert old["text_kind"].tolist() == ["lead", "lead", "abstract"]  # the editorial has no lead
    assert set(new["text_kind"]) == {"abstract"}  # current responses carry no lead paragraph
    # Midnight UTC is the print edition's day, not the evening before in Washington.
    assert old["date"].dt.date.astype(str).tolist() == ["2013-06-17", "2013-06-18", "2013-06-19"]
    assert df.loc[df["title"] == "A Chilly Summit", "kind"].item() == "commentary"
    assert df.loc[df["title"] == "The Summit That Pleased Moscow", "kind"].item() == "commentary"
    # 2018-07-16T22:40Z is 18:40 in Washington: the same day.
    assert df.loc[df["title"] == "The Summit That Pleased Moscow", "date"].item() == pd.Timestamp(
        "2018-07-16"
    )
    assert (
        set(df["outlet"]) == {"nytimes.com"} and df["doc_id"].str.startswith("nyt-article/").all()
    )


def test_gdelt_article_lists_keep_english_titles(fetched: dict[str, Path], tmp_path: Path) -> None:
    result, out = imported(tmp_path, fetched["gdelt"])
    assert result.exit_code == 0, result.output
    assert "read 6, kept 5, quarantined 1" in result.stdout
    (row,) = quarantined(tmp_path)
    assert row["reason"] == "not in English" and row["detail"] == "Russian"
    df = read_corpus(out)
    assert set(df["text_kind"]) == {"title"} and set(df["kind"]) == {"headline"}
    assert "themoscowtimes.com" in set(df["outlet"])  # a title with a raw control character
    assert (df["text"] == df["title"]).all() and df["date"].min() == pd.Timestamp("2018-07-15")


def test_gdelt_tone_timeline_is_a_table_not_a_corpus(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    folder = fetched["gdelt-tone"]
    result, out = imported(tmp_path, folder)
    assert result.exit_code == 0, result.output
    assert "read 3, kept 3, quarantined 0" in result.stdout and "not documents" in result.stdout
    table = pd.read_parquet(out)
    assert table["value"].round(4).tolist() == [-1.8245, -3.1024, -3.6631]
    assert set(table["series"]) == {"Average Tone"} and set(table["query"]) == {"putin"}
    with pytest.raises(InputError, match="tone timeline, not articles"):
        gdelt.iter_records(folder)


def test_gdelt_events_keep_the_dyad_and_quarantine_its_bad_rows(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    result, out = imported(tmp_path, fetched["events"])
    assert result.exit_code == 0, result.output
    assert "read 6, kept 4, quarantined 2" in result.stdout
    assert "skipped 2 rows of other actors or days" in result.stdout
    assert {r["reason"] for r in quarantined(tmp_path)} == {
        "wrong number of fields",
        "unparseable number",
    }
    events = pd.read_parquet(out)
    assert events["event_id"].tolist() == ["764001001", "764001002", "764001003", "764001007"]
    pairs = {
        frozenset(p) for p in zip(events["actor1_country"], events["actor2_country"], strict=True)
    }
    assert pairs == {frozenset({"USA", "RUS"})}
    assert events["avg_tone"].tolist() == [-2.85, -1.97, -5.4, -6.1]
    assert events["goldstein"].tolist() == [4.0, 2.8, -2.0, -4.4]
    assert (
        events["url"].iloc[0]
        == "https://apnews.com/article/helsinki-summit-trump-putin-press-conference"
    )
    assert (events["date"] == pd.Timestamp("2018-07-16")).all()


def test_a_gdelt_2_file_of_61_columns_is_read_too(tmp_path: Path) -> None:
    name = "20180717151500.export.CSV"
    (tmp_path / f"{name}.zip").write_bytes(zipped(name, fixture("gdelt_events", name)))
    result, out = imported(tmp_path, tmp_path / f"{name}.zip", fmt="gdelt-events")
    assert result.exit_code == 0 and "read 1, kept 1, quarantined 0" in result.stdout
    assert pd.read_parquet(out)["url"].item().endswith("trump-misspoke.html")


def test_mediacloud_pages_give_titles_and_an_undated_story_is_kept(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    result, out = imported(tmp_path, fetched["mediacloud"])
    assert result.exit_code == 0 and "read 5, kept 5, quarantined 0" in result.stdout
    df = read_corpus(out)
    assert set(df["era"].dropna()) == {"biden"} and df["date"].isna().sum() == 1
    assert set(df["text_kind"]) == {"title"} and "npr.org" in set(df["outlet"])


def test_a_malformed_mediacloud_export_is_quarantined_row_by_row(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    shutil.copy(FIXTURES / "mediacloud" / "export.csv", export)
    result, out = imported(tmp_path, export, fmt="mediacloud")
    assert result.exit_code == 0, result.output
    assert "read 6, kept 2, quarantined 4" in result.stdout
    assert {(r["line"], r["reason"]) for r in quarantined(tmp_path)} == {
        (4, "not in English"),
        (5, "unparseable date"),
        (6, "wrong number of fields"),
        (7, "missing text"),
    }
    assert read_corpus(out)["outlet"].tolist() == ["cnn.com", "politico.com"]


def test_pages_without_a_manifest_are_read_and_bad_pages_quarantined(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "guardian" / "helsinki-1.json", pages / "a.json")
    (pages / "b.json").write_text('{"response": {"status": "ok", "results": [', encoding="utf-8")
    (pages / "c.json").write_text('{"message": "API rate limit exceeded"}', encoding="utf-8")
    result, _ = imported(tmp_path, pages, fmt="guardian")
    assert result.exit_code == 0 and "read 5, kept 3, quarantined 2" in result.stdout
    assert {(Path(r["file"]).name, r["reason"]) for r in quarantined(tmp_path)} == {
        ("b.json", "invalid JSON page"),
        ("c.json", "not a Guardian results page"),
    }


def test_a_page_changed_since_it_was_fetched_is_refused(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fetched["guardian-2013"], copy)
    page = copy / "page-0002.json"
    page.write_bytes(page.read_bytes().replace(b"Cameron", b"Camer0n"))
    result, out = imported(tmp_path, copy)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {page}: changed since it was fetched (sha256 differs)\n"
    assert not out.exists()


@pytest.mark.parametrize(
    "inputs, fmt, fragment",
    [
        (["pages"], None, "a folder that no fetch wrote; name its source; pass the right --format"),
        (["pages"], "rss", "unknown format 'rss'"),
        (["events", "guardian-2013"], None, "a GDELT events or tone folder is imported alone"),
        (["missing"], "nyt", "no such file or folder"),
        (["missing.jsonl"], None, "missing.jsonl: no such file or folder"),
    ],
)
def test_import_refuses_what_it_cannot_read_in_one_line(
    fetched: dict[str, Path], tmp_path: Path, inputs: list[str], fmt: str | None, fragment: str
) -> None:
    (tmp_path / "pages").mkdir()
    shutil.copy(FIXTURES / "guardian" / "helsinki-1.json", tmp_path / "pages" / "a.json")
    paths = [fetched.get(name, tmp_path / name) for name in inputs]
    result, out = imported(tmp_path, *paths, fmt=fmt)
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert fragment in result.stderr and not out.exists()


def test_two_sources_and_two_eras_make_one_corpus(fetched: dict[str, Path], tmp_path: Path) -> None:
    names = ("guardian-2013", "guardian-2018", "nyt-2013", "nyt-2018")
    result, out = imported(tmp_path, *(fetched[n] for n in names))
    assert result.exit_code == 0 and "read 24, kept 24, quarantined 0" in result.stdout
    df = read_corpus(out)
    counts = df.groupby(["source", "era"]).size().to_dict()
    assert counts == {
        ("guardian", "obama"): 5,
        ("guardian", "trump1"): 4,
        ("nyt", "obama"): 3,
        ("nyt", "trump1"): 12,
    }
    assert df["date"].dt.date.between(dt.date(2013, 6, 10), dt.date(2018, 7, 23)).all()
    assert df["relevant"].mean() > 0.8


def test_the_raw_manifest_leaves_fetched_folders_to_their_own(
    fetched: dict[str, Path], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(fetched["guardian-2013"], raw / "guardian" / "lough-erne")
    (raw / "seed").mkdir()
    (raw / "seed" / "a.txt").write_text("x")
    assert raw_files(raw) == ["seed/a.txt"]


def readme_example() -> tuple[list[str], str]:
    """The commands (lines starting ``usrussia``) and the study file of the README's worked
    example, "Build your own coverage corpus"."""
    text = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Build your own coverage corpus\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("\n```", 1)[0]
    study = block.split("<<'EOF'\n", 1)[1].split("\nEOF\n", 1)[0]
    return [line for line in block.splitlines() if line.startswith("usrussia ")], study


@pytest.mark.slow
def test_the_readme_example_runs_on_the_fixtures(tmp_path: Path) -> None:
    """Every line of the README's example, as a user types it (a subprocess in a checkout
    whose data/external and notebooks are the project's): the fetches, the import, the
    study file, and the report, to which only ``CHEAP`` is appended (the two
    corpus-independent validations made cheap, as in test_report_any_corpus)."""
    commands, study_text = readme_example()
    assert [c.split()[1] for c in commands] == ["fetch", "fetch", "corpus", "report"]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "external").symlink_to(config.EXTERNAL)
    (tmp_path / "notebooks").symlink_to(config.NOTEBOOKS)
    (tmp_path / "studies").mkdir()
    (tmp_path / "studies" / "guardian-summits.toml").write_text(study_text, encoding="utf-8")
    with FakeApis() as apis:
        env = {**os.environ, **apis.env, "USRUSSIA_ROOT": str(tmp_path)}
        for command in commands:
            argv = [sys.executable, "-m", "usrussia.cli", *shlex.split(command)[1:]]
            argv += CHEAP if command.startswith("usrussia report ") else []
            done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
            assert KEY not in done.stdout + done.stderr
        assert [h.query["from-date"][:4] for h in apis.hits("/search")] == ["2013"] * 2 + [
            "2018"
        ] * 2
    corpus = read_corpus(tmp_path / "data" / "processed" / "guardian.parquet")
    assert corpus.groupby("era").size().to_dict() == {"obama": 5, "trump1": 4}
    study = load_study(tmp_path / "studies" / "guardian-summits.toml")
    assert study.corpus == (tmp_path / "data" / "processed" / "guardian.parquet").resolve()
    documents = in_scope(study, corpus)
    (comparison,) = study.comparisons
    labels = group_labels(documents, study, comparison.by, comparison.groups)
    assert labels.value_counts().to_dict() == {"obama": 5, "trump1": 4}
    out = tmp_path / "reports" / "guardian-summits"
    names = [nb.stem for nb in find_notebooks(config.NOTEBOOKS)]
    assert all((out / f"{name}.html").is_file() for name in names) and len(names) >= 4
    for name in names:
        assert "Traceback" not in (out / f"{name}.html").read_text(encoding="utf-8")
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["manifest"]["study"]["text"] == study_text
    assert metrics["manifest"]["study"]["path"] == "studies/guardian-summits.toml"
    assert {r["question"] for r in metrics["tone_comparison"]} == {comparison.name}
    assert metrics["gdelt_tone"] == {}  # the example names no GDELT table: page 04 says so
    assert "names no GDELT table" in (out / "04_tone_comparison.html").read_text("utf-8")


def test_a_users_text_kind_is_kept_and_an_unknown_one_quarantined(tmp_path: Path) -> None:
    rows = [
        {"doc_id": "a", "date": "2018-07-16", "title": "Summit", "text": "Putin met Trump."},
        {
            "doc_id": "b",
            "date": "2018-07-16",
            "title": "Lead",
            "text": "Russia.",
            "text_kind": "lead",
        },
        {
            "doc_id": "c",
            "date": "2018-07-16",
            "title": "X",
            "text": "Moscow.",
            "text_kind": "summary",
        },
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result, out = imported(tmp_path, path)
    assert result.exit_code == 0 and "read 3, kept 2, quarantined 1" in result.stdout
    assert read_corpus(out)["text_kind"].tolist() == ["full", "lead"]
    (row,) = quarantined(tmp_path)
    assert row["reason"] == "unknown text_kind" and "'summary'" in row["detail"]
