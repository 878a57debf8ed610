"""The canonical corpus: era labels, dates, and the full build on the shipped data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import COLUMNS, counts_by, era_of, parse_date


@pytest.mark.parametrize(
    "day, era, president",
    [
        ("1993-01-19", None, None),
        ("1993-01-20", "clinton", "Bill Clinton"),
        ("2001-01-19", "clinton", "Bill Clinton"),
        ("2001-01-20", "bush", "George W. Bush"),
        ("2009-01-20", "obama", "Barack Obama"),
        ("2017-01-19", "obama", "Barack Obama"),
        ("2017-01-20", "trump1", "Donald Trump"),
        ("2017-07-07", "trump1", "Donald Trump"),
        ("2021-06-16", "biden", "Joe Biden"),
        ("2025-08-15", "trump2", "Donald Trump"),
    ],
)
def test_era_is_the_administration_in_office(day: str, era: str, president: str) -> None:
    assert era_of(dt.date.fromisoformat(day)) == (era, president)


def test_era_of_unknown_date() -> None:
    assert era_of(None) == (None, None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2017-07-07", dt.date(2017, 7, 7)),
        ("2017/3/5", dt.date(2017, 3, 5)),
        ("2016/12/30 7:11", dt.date(2016, 12, 30)),
        ("2018-07-16T12:00:00Z", dt.date(2018, 7, 16)),
        (dt.datetime(2021, 6, 16, 9), dt.date(2021, 6, 16)),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_parse_date_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="unparseable date"):
        parse_date("last Tuesday")


def test_counts_by_names_missing_values() -> None:
    df = pd.DataFrame({"source": ["a", "a", "b"], "era": ["obama", None, "obama"]})
    table = counts_by(df, "source", "era")
    assert table.to_dict("records") == [
        {"source": "a", "era": "obama", "documents": 1},
        {"source": "a", "era": "unknown", "documents": 1},
        {"source": "b", "era": "obama", "documents": 1},
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, str, Path]:
    """The real corpus build on the shipped data, through the CLI."""
    tmp = tmp_path_factory.mktemp("build")
    out, quarantine = tmp / "corpus.parquet", tmp / "quarantine.jsonl"
    result = CliRunner().invoke(
        app, ["corpus", "build", "--out", str(out), "--quarantine", str(quarantine)]
    )
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out), result.output, quarantine


def test_build_accounts_for_every_record(built: tuple[pd.DataFrame, str, Path]) -> None:
    df, output, quarantine = built
    match = re.search(r"read (\d+), kept (\d+), quarantined (\d+)", output)
    assert match, output
    read, kept, quarantined = map(int, match.groups())
    assert read == kept + quarantined
    assert kept == len(df)
    assert quarantined == len(quarantine.read_text().splitlines())
    # every raw record: 7,235 Kremlin pages, 21 addresses, 3,824 articles, 73,608 headlines, 1
    assert read == 7235 + 21 + 3824 + 73608 + 1
    assert "trump1" in output and "obama" in output


def test_build_schema_and_sources(built: tuple[pd.DataFrame, str, Path]) -> None:
    df, _, _ = built
    assert tuple(df.columns) == COLUMNS
    assert df["doc_id"].is_unique
    assert set(df["source"]) == {"kremlin", "sotu", "news_articles", "reddit_worldnews", "seed"}
    assert set(df["era"].dropna()) <= set(config.ERA_NAMES)
    news = df[df["source"] == "news_articles"]
    assert {"tass.com", "bbc.co.uk", "cnn.com", "aljazeera.com"} <= set(news["outlet"])
    seed = df[df["source"] == "seed"].iloc[0]
    assert seed["era"] == "trump1" and "friendly camaraderie" in seed["text"]
    # the headlines' stray bytes-repr wrappers are gone
    headlines = df.loc[df["source"] == "reddit_worldnews", "text"]
    assert not headlines.str.match(r"^b['\"]").any()


def test_build_quarantine_reasons(built: tuple[pd.DataFrame, str, Path]) -> None:
    _, _, quarantine = built
    reasons = Counter(json.loads(line)["reason"] for line in quarantine.read_text().splitlines())
    # 89 repeated headlines, 4 Kremlin pages, 2 articles; 36 articles and 1 headline with no text
    assert reasons == {"duplicate": 95, "missing text": 37}


def test_sample_corpus_is_stratified_and_deterministic() -> None:
    from usrussia.corpus import sample_corpus

    df = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(230)],
            "source": ["big"] * 200 + ["small"] * 25 + ["tiny"] * 5,
            "relevant": [i % 2 == 0 for i in range(200)] + [True] * 25 + [False] * 5,
        }
    )
    sample = sample_corpus(df, 60, seed=7)
    counts = sample.groupby(["source", "relevant"]).size().to_dict()
    # four strata: tiny (5) is kept whole, the other three share the remaining 55
    assert counts == {
        ("big", False): 18,
        ("big", True): 19,
        ("small", True): 18,
        ("tiny", False): 5,
    }
    assert sample.equals(sample_corpus(df, 60, seed=7))
    assert not sample.equals(sample_corpus(df, 60, seed=8))
    assert sample["doc_id"].map(lambda d: int(d[1:])).is_monotonic_increasing  # corpus order
    with pytest.raises(ValueError):
        sample_corpus(df, 0)
