"""Checking a study against its corpus: every bad study is one line naming the key, in the
package (``check_study``) and through ``usrussia study check`` (exit 2), and a good study's
summary counts what the corpus holds.

The corpus is the shipped one; the study is written here, one comparison of each kind, and
each case changes one thing in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import write_corpus
from usrussia.corpus.records import InputError
from usrussia.study import check_study, load_study

BASE = """
[study]
name = "check"
corpus = "{corpus}"

[scope]

[events]
path = "events.csv"

[outlet_groups]
path = "outlet_groups.csv"

[topics]
filter = {{ source = "kremlin" }}

[groups.headlines]
source = "reddit_worldnews"

[groups.articles]
source = "news_articles"
relevant = true

[[comparisons]]
name = "Kremlin pages by era"
filter = {{ source = "kremlin", relevant = true }}
by = "era"
groups = ["obama", "trump1"]
strata = "outlet"
controls = [["outlet"], []]

[[comparisons]]
name = "Headlines against articles"
unit = "headline"
groups = ["headlines", "articles"]

[[comparisons]]
name = "Outlet groups"
filter = {{ source = "news_articles" }}
by = "outlet_group"
groups = ["Western", "Russian state media"]
same_weeks = true
controls = [["week"]]

[[comparisons]]
name = "Addresses, Russia sentences"
unit = "sentences"
target = "russia"
filter = {{ source = "sotu" }}
by = "era"
groups = ["obama", "trump1"]

[[comparisons]]
name = "Hamburg"
kind = "event"
filter = {{ relevant = true, source = "kremlin" }}
by = "era"
groups = ["obama", "2017-07-07 Hamburg"]

[[comparisons]]
name = "Pooled"
kind = "pooled"
by = "era"
groups = ["obama", "trump1"]
controls = [["unit", "outlet"]]

[show_documents]
source = "seed"
"""

# (case, text replaced, replacement, fragments of the one error line)
CASES = [
    ("corpus missing", "{corpus}", "nosuch.parquet", ["study.corpus: corpus not found"]),
    ("not a corpus", "{corpus}", "events.parquet", ["study.corpus:", "not a corpus"]),
    ("scope column", "[scope]", '[scope]\nlanguage = "en"', ["scope.language: unknown column"]),
    (
        "filter column",
        '{ source = "kremlin", relevant = true }\nby',
        '{ sourse = "kremlin" }\nby',
        ["comparisons[0].filter.sourse: unknown column 'sourse'"],
    ),
    (
        "by column",
        'by = "era"\ngroups = ["obama", "trump1"]\nstrata',
        'by = "ear"\ngroups = ["obama", "trump1"]\nstrata',
        ["comparisons[0].by: unknown column 'ear'"],
    ),
    ("strata column", 'strata = "outlet"', 'strata = "outlets"', ["comparisons[0].strata"]),
    (
        "control column",
        'controls = [["outlet"], []]',
        'controls = [["outlet"], ["weekday"]]',
        ["comparisons[0].controls[1]: unknown column 'weekday'"],
    ),
    (
        "outlet_group without a table",
        '[outlet_groups]\npath = "outlet_groups.csv"',
        "",
        ["comparisons[2].by: unknown column 'outlet_group' (it needs an [outlet_groups] table)"],
    ),
    (
        "group column",
        'source = "reddit_worldnews"',
        'sorce = "reddit_worldnews"',
        ["groups.headlines.sorce: unknown column"],
    ),
    (
        "topics column",
        'filter = { source = "kremlin" }\n\n[groups',
        "filter = { x = 2 }\n\n[groups",
        ["topics.filter.x: unknown column"],
    ),
    (
        "era group absent",
        'groups = ["obama", "trump1"]\nstrata',
        'groups = ["obama", "trump2"]\nstrata',
        ["comparisons[0].groups: no document of this comparison has era 'trump2'", "clinton"],
    ),
    (
        "outlet group absent",
        'groups = ["Western", "Russian state media"]',
        'groups = ["Western", "Russian media"]',
        ["comparisons[2].groups: no document of this comparison has outlet_group 'Russian media'"],
    ),
    (
        "named group matches nothing",
        'source = "reddit_worldnews"',
        'source = "reddit_worldnews"\nera = "trump1"',
        ["groups.headlines: matches no in-scope document"],
    ),
    (
        "named group outside the comparison",
        'unit = "headline"',
        'unit = "headline"\nfilter = { source = "reddit_worldnews" }',
        ["comparisons[1].groups: the group 'articles' matches none of its documents"],
    ),
    (
        "scope value absent",
        "[scope]",
        '[scope]\nsource = ["kremlin", "krem1in"]',
        ["scope.source: no document of the corpus has source 'krem1in' (present: kremlin,"],
    ),
    (
        "scope matches nothing",
        "[scope]",
        '[scope]\nsource = "sotu"\nera = "clinton"',
        ["scope: matches no document of the corpus"],
    ),
    (
        "comparison filter matches nothing",
        '{ source = "kremlin", relevant = true }\nby',
        '{ source = "kremlin", era = "trump2" }\nby',
        ["comparisons[0].filter: matches no in-scope document"],
    ),
    (
        "date range outside",
        "[scope]",
        '[scope]\ndate = { from = "2027-01-01", to = "2028-12-31" }',
        ["scope.date: the range 2027-01-01 to 2028-12-31 is outside the dates of every document"],
    ),
    (
        "date range on another column",
        "[scope]",
        '[scope]\ntitle = { from = "2017-01-01" }',
        ["scope.title: a date range needs a date column; title is not one"],
    ),
    (
        "true on another column",
        "[scope]",
        "[scope]\nsource = true",
        ["scope.source: true/false needs a true/false column"],
    ),
    (
        "meeting absent",
        '"2017-07-07 Hamburg"',
        '"2017-07-08 Hamburg"',
        ["comparisons[4].groups: no meeting '2017-07-08 Hamburg' in the events table"],
    ),
    (
        "meeting outside the dates",
        'filter = { relevant = true, source = "kremlin" }',
        'filter = { source = "news_articles" }',
        ["comparisons[4].groups: the meeting '2017-07-07 Hamburg' is outside the dates"],
    ),
    (
        "target absent",
        'target = "russia"',
        'target = "china"',
        ["comparisons[3].target: 'china' is not a target of the alias table", "russia"],
    ),
    (
        "outlet groups missing",
        'path = "outlet_groups.csv"',
        'path = "nosuch.csv"',
        ["outlet_groups.path: cannot read the outlet-group table"],
    ),
    (
        "outlet groups malformed",
        'path = "outlet_groups.csv"',
        'path = "bad_groups.csv"',
        ["outlet_groups.path:", "an outlet-group table has the columns outlet,group"],
    ),
    (
        "outlet listed twice",
        'path = "outlet_groups.csv"',
        'path = "twice_groups.csv"',
        ["outlet_groups.path:", "outlets listed twice: tass.com"],
    ),
    (
        "events missing",
        'path = "events.csv"',
        'path = "nosuch.csv"',
        ["events.path: cannot read events file"],
    ),
    (
        "events malformed",
        'path = "events.csv"',
        'path = "bad_events.csv"',
        ["events.path: events file", "unreadable dates ['7 July 2017']"],
    ),
    (
        "show_documents absent",
        '[show_documents]\nsource = "seed"',
        '[show_documents]\nsource = "sead"',
        ["show_documents.source: no in-scope document has source 'sead'"],
    ),
    (
        "several problems",
        "[scope]",
        "[scope]\na = 1\nb = 2\nc = 3\nd = 4\ne = 5",
        ["scope.a: unknown column", "scope.c: unknown column", "(and 2 more problems)"],
    ),
    # What the file says on its own (load_study), through the same command.
    (
        "unknown key",
        'strata = "outlet"',
        'strata = "outlet"\nbye = "era"',
        ["comparisons[0].bye: unknown key (known:"],
    ),
    (
        "range backwards",
        "[scope]",
        '[scope]\ndate = { from = "2017-12-31", to = "2017-01-01" }',
        ["scope.date: from (2017-12-31) is after to (2017-01-01)"],
    ),
    ("empty range", "[scope]", "[scope]\ndate = {}", ["scope.date: a date range needs from, to"]),
    (
        "one group twice",
        'groups = ["obama", "trump1"]\nstrata',
        'groups = ["obama", "obama"]\nstrata',
        ["comparisons[0].groups: must name two different groups"],
    ),
]


@pytest.fixture(scope="module")
def folder(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the study's tables: the real ones and broken copies of them."""
    root = tmp_path_factory.mktemp("check")
    shutil.copy(config.EVENTS_CSV, root / "events.csv")
    shutil.copy(config.OUTLET_GROUPS_CSV, root / "outlet_groups.csv")
    groups = pd.read_csv(config.OUTLET_GROUPS_CSV)
    groups.rename(columns={"group": "category"}).to_csv(root / "bad_groups.csv", index=False)
    pd.concat([groups, groups.head(1)]).to_csv(root / "twice_groups.csv", index=False)
    events = pd.read_csv(config.EVENTS_CSV, dtype=str)
    events.loc[events["date"] == "2017-07-07", "date"] = "7 July 2017"
    events.to_csv(root / "bad_events.csv", index=False)
    events.to_parquet(root / "events.parquet")
    return root


def write_study(folder: Path, text: str, name: str = "study.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def base_text(corpus_path: Path = config.CORPUS_PARQUET) -> str:
    return BASE.format(corpus=corpus_path.as_posix())


def case_text(old: str, new: str) -> str:
    template = BASE.replace("{{", "{").replace("}}", "}")
    assert template.count(old) == 1, f"the case's text is not once in the study: {old!r}"
    return template.replace(old, new).replace("{corpus}", config.CORPUS_PARQUET.as_posix())


@pytest.mark.parametrize("case, old, new, fragments", CASES, ids=[c[0] for c in CASES])
def test_a_bad_study_is_one_line_naming_the_key(
    folder: Path, tmp_path: Path, case: str, old: str, new: str, fragments: list[str]
) -> None:
    for name in ("events.csv", "outlet_groups.csv", "bad_groups.csv", "twice_groups.csv"):
        shutil.copy(folder / name, tmp_path / name)
    shutil.copy(folder / "bad_events.csv", tmp_path / "bad_events.csv")
    shutil.copy(folder / "events.parquet", tmp_path / "events.parquet")
    path = write_study(tmp_path, case_text(old, new))
    with pytest.raises(InputError) as raised:
        check_study(load_study(path))
    message = str(raised.value)
    assert "\n" not in message and message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message
    result = CliRunner().invoke(app, ["study", "check", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"error: {message}"]


def test_the_study_passes_and_counts_what_the_corpus_holds(
    folder: Path, corpus: pd.DataFrame
) -> None:
    summary = check_study(load_study(write_study(folder, base_text())))
    assert summary.documents == summary.in_scope == len(corpus)
    counts = {c.name: c.n for c in summary.comparisons}
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
    assert counts["Kremlin pages by era"] == {
        era: int((kremlin["era"] == era).sum()) for era in ("obama", "trump1")
    }
    assert counts["Headlines against articles"] == {
        "headlines": int((corpus["source"] == "reddit_worldnews").sum()),
        "articles": int(((corpus["source"] == "news_articles") & corpus["relevant"]).sum()),
    }
    near = (kremlin["date"] - pd.Timestamp("2017-07-07")).abs() <= pd.Timedelta(days=7)
    assert counts["Hamburg"]["2017-07-07 Hamburg"] == int(near.sum()) > 0
    pooled = corpus[corpus["source"].isin(["kremlin", "sotu"])]
    pooled = pooled[pooled["relevant"] | (pooled["source"] == "sotu")]
    assert counts["Pooled"] == {e: int((pooled["era"] == e).sum()) for e in ("obama", "trump1")}
    lines = summary.lines()
    assert lines[0].startswith(f"study 'check': {len(corpus):,} of {len(corpus):,} documents")
    assert len(lines) == 1 + len(summary.comparisons) == 7
    assert any("2017-07-07 Hamburg" in line and "under 10" in line for line in lines)


def test_the_shipped_study_passes_on_the_shipped_corpus(corpus: pd.DataFrame) -> None:
    summary = check_study(load_study(config.SHIPPED_STUDY))
    assert summary.in_scope == len(corpus)
    assert len(summary.comparisons) == len(load_study(config.SHIPPED_STUDY).comparisons)


def test_dates_in_an_undated_corpus_are_refused(
    folder: Path, corpus: pd.DataFrame, tmp_path: Path
) -> None:
    undated = corpus[corpus["source"] == "sotu"].assign(date=pd.NaT, era=None)
    path = write_corpus(undated.assign(source="addresses"), tmp_path / "undated.parquet")
    text = f'[study]\ncorpus = "{path}"\n[scope]\ndate = {{ to = "2020-01-01" }}\n'
    with pytest.raises(InputError, match="scope.date: no document of the corpus has a date"):
        check_study(load_study(write_study(tmp_path, text)))
    # Without the range it passes: an undated corpus is a corpus (the report gives notes).
    summary = check_study(load_study(write_study(tmp_path, f'[study]\ncorpus = "{path}"\n')))
    assert summary.in_scope == len(undated) and summary.comparisons == ()
    assert summary.lines()[-1] == "  no comparisons: the tone comparison page says so"
