"""The canonical corpus: era labels, dates, and the full build on the shipped data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import COLUMNS, DateError, counts_by, era_of, parse_date
from usrussia.corpus.selection import count_mentions, relevant


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


def eastern(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2017-07-07", dt.date(2017, 7, 7)),
        ("2017/3/5", dt.date(2017, 3, 5)),
        ("          2016/12/30 7:11", eastern(2016, 12, 30, 7, 11)),
        ("2018-07-16T12:00:00Z", eastern(2018, 7, 16, 8)),
        ("2017-01-20T03:00Z", eastern(2017, 1, 19, 22)),
        ("2017-07-07T23:30+03:00", eastern(2017, 7, 7, 16, 30)),
        ("July 7, 2017", dt.date(2017, 7, 7)),
        ("7 July 2017", dt.date(2017, 7, 7)),
        ("Jul 7 2017", dt.date(2017, 7, 7)),
        ("Friday, 7 Jul 2017 3pm +0300", eastern(2017, 7, 7, 8)),
        ("2017-07-07T00:00", dt.date(2017, 7, 7)),
        (dt.datetime(2021, 6, 16, 9), eastern(2021, 6, 16, 9)),
        (pd.Timestamp("2017-01-20"), dt.date(2017, 1, 20)),  # how pandas and Parquet store days
        (dt.date(2017, 1, 20), dt.date(2017, 1, 20)),
        ("", None),
        (None, None),
        (float("nan"), None),
        (pd.NaT, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    parsed = parse_date(value)
    assert parsed == expected and type(parsed) is type(expected)


@pytest.mark.parametrize(
    "value, detail",
    [
        ("last Tuesday", "'last Tuesday'"),
        ("Tuesday", "'Tuesday'"),
        ("2017", "'2017'"),
        ("July 2017", "'July 2017': needs a day, a month and a year"),
        ("July 7", "'July 7': needs a day, a month and a year"),
        ("July 7, 17", "'July 7, 17': needs a day, a month and a year"),
        ("2017-02-30", "'2017-02-30': not a valid date year-month-day"),
        ("2017-01-20 03:00 MSK", "'2017-01-20 03:00 MSK'"),  # a zone name it cannot convert
    ],
)
def test_parse_date_never_makes_up_a_date(value: str, detail: str) -> None:
    with pytest.raises(DateError, match="unparseable date") as caught:
        parse_date(value)
    assert (caught.value.reason, caught.value.detail) == ("unparseable date", detail)


@pytest.mark.parametrize(
    "value, dayfirst, expected",
    [
        ("07/08/2017", True, dt.date(2017, 8, 7)),
        ("07/08/2017", False, dt.date(2017, 7, 8)),
        ("7/8/2017", True, dt.date(2017, 8, 7)),
        ("13.07.2017", True, dt.date(2017, 7, 13)),
        ("07/13/2017 14:30", False, eastern(2017, 7, 13, 14, 30)),
    ],
)
def test_numeric_dates_in_the_stated_order(
    value: str, dayfirst: bool, expected: dt.date | dt.datetime
) -> None:
    assert parse_date(value, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(
    "value, dayfirst, reason, detail",
    [
        ("07/07/2017", None, "ambiguous date", "their order is not stated"),
        ("13/07/2017", None, "ambiguous date", "their order is not stated"),
        ("13/07/2017", False, "unparseable date", "not a valid date month first"),
        ("07/13/2017", True, "unparseable date", "not a valid date day first"),
    ],
)
def test_numeric_dates_need_a_consistent_stated_order(
    value: str, dayfirst: bool | None, reason: str, detail: str
) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value, dayfirst=dayfirst)
    assert caught.value.reason == reason and detail in caught.value.detail


def test_future_dates_are_refused() -> None:
    now = dt.datetime.now(dt.UTC)
    for future in ("2099-01-01", now.date() + dt.timedelta(days=2), now + dt.timedelta(hours=1)):
        with pytest.raises(DateError, match="date in the future"):
            parse_date(future)
    assert parse_date(now.date()) == now.date()
    assert parse_date(now - dt.timedelta(minutes=1)) is not None


@pytest.mark.parametrize(
    "when, era",
    [
        (eastern(2017, 1, 20, 11, 59), "obama"),
        (eastern(2017, 1, 20, 12), "trump1"),
        (dt.datetime(2017, 1, 20, 16, 59, tzinfo=dt.UTC), "obama"),  # 11:59 in Washington
        (dt.datetime(2017, 1, 20, 17, tzinfo=dt.UTC), "trump1"),
        (dt.datetime(2017, 1, 20, 11), "obama"),  # a time without offset is Eastern
        (dt.datetime(2017, 1, 20), "trump1"),  # a naive midnight is the whole day
        (dt.date(2029, 1, 19), "trump2"),
        (eastern(2029, 1, 20, 11), "trump2"),
        (eastern(2029, 1, 20, 12), None),  # after the last known term: no era, not trump2
        (dt.date(2099, 1, 1), None),
        (eastern(1993, 1, 20, 11), None),
    ],
)
def test_era_begins_at_noon_eastern(when: dt.date, era: str | None) -> None:
    assert era_of(when)[0] == era


def test_cli_import_dates_offsets_and_order(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    rows = [
        ("d1", "01/02/2017"),  # 1 February (trump1) day first, 2 January (obama) month first
        ("d2", "2017-01-20T03:00Z"),  # the evening of 19 January in Washington
        ("d3", "July 7, 2017"),
        ("d4", "2099-01-01"),
    ]
    texts = [f"Putin and Trump met, take {i}." for i, _ in rows]
    pd.DataFrame(rows, columns=["doc_id", "date"]).assign(text=texts).to_csv(path, index=False)
    results = {}
    for flag in ("--dayfirst", "--monthfirst", None):
        out, quarantine = tmp_path / f"{flag}.parquet", tmp_path / f"{flag}.jsonl"
        args = ["corpus", "import", str(path), "--out", str(out), "--quarantine", str(quarantine)]
        result = CliRunner().invoke(app, args + ([flag] if flag else []))
        assert result.exit_code == 0, result.output
        # the core says what is wrong (order not stated); the CLI names the options
        assert ("order of numeric dates with --dayfirst or --monthfirst" in result.output) == (
            flag is None
        )
        df = pd.read_parquet(out)
        reasons = [json.loads(line)["reason"] for line in quarantine.read_text().splitlines()]
        days = df["date"].dt.strftime("%Y-%m-%d") + " " + df["era"]
        results[flag] = (dict(zip(df["doc_id"], days, strict=True)), reasons)
    common = {"d2": "2017-01-19 obama", "d3": "2017-07-07 trump1"}
    assert results["--dayfirst"] == ({"d1": "2017-02-01 trump1", **common}, ["date in the future"])
    assert results["--monthfirst"] == ({"d1": "2017-01-02 obama", **common}, ["date in the future"])
    assert results[None] == (common, ["ambiguous date", "date in the future"])
    assert str(pd.read_parquet(tmp_path / "None.parquet")["date"].dtype).startswith("datetime64[")


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
    # every raw record: 7,235 Kremlin pages, 21 addresses, 3,824 articles, 73,608 headlines,
    # the seed, 238 Obama remarks and 1,800 Briefing Room files
    assert read == 7235 + 21 + 3824 + 73608 + 1 + 238 + 1800
    assert "trump1" in output and "obama" in output


def test_build_schema_and_sources(built: tuple[pd.DataFrame, str, Path]) -> None:
    df, _, _ = built
    assert tuple(df.columns) == COLUMNS
    assert df["doc_id"].is_unique
    assert set(df["source"]) == {
        "kremlin",
        "sotu",
        "news_articles",
        "reddit_worldnews",
        "seed",
        "whitehouse",
    }
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
    # 89 repeated headlines, 4 Kremlin pages, 2 articles, 10 Briefing Room files published in
    # two sections or twice; 36 articles and 1 headline with no text
    assert reasons == {"duplicate": 105, "missing text": 37}


def test_build_has_the_white_house_by_era_and_category(
    built: tuple[pd.DataFrame, str, Path],
) -> None:
    """Both archives, every document dated and categorised; no White House text of Trump's
    first term exists in them (nor of Obama's last two years)."""
    df, output, _ = built
    assert re.search(r"^whitehouse +1670 +0 +0 +238 +0 +120 +0$", output, re.MULTILINE), output
    house = df[df["source"] == "whitehouse"]
    assert house["date"].notna().all() and (house["outlet"] == "whitehouse").all()
    table = pd.crosstab(house["category"], house["era"]).to_dict("index")
    assert table == {
        "article": {"biden": 1, "obama": 0, "trump2": 43},
        "fact sheet": {"biden": 115, "obama": 0, "trump2": 19},
        "presidential action": {"biden": 91, "obama": 0, "trump2": 18},
        "remarks": {"biden": 649, "obama": 238, "trump2": 18},
        "statement or readout": {"biden": 814, "obama": 0, "trump2": 22},
    }
    gap = house["date"].between(pd.Timestamp("2015-02-14"), pd.Timestamp("2021-01-19"))
    assert not gap.any()  # the gap data/README.md states, to Biden's inauguration
    assert (df.loc[df["source"] != "whitehouse", "category"] == "").all()


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


def test_relevance_and_mentions_are_counted_on_the_cleaned_text(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    rows = [
        {"doc_id": "link", "date": "2018-03-01", "text": "See https://example.com/Russia-talks"},
        {"doc_id": "tag", "date": "2018-03-01", "text": "<p class='Russia'>Markets fell.</p>"},
        {"doc_id": "named", "date": "2018-03-01", "text": "<p>Russia's markets fell.</p>"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = tmp_path / "corpus.parquet"
    result = CliRunner().invoke(app, ["corpus", "import", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(out).set_index("doc_id")
    assert df["relevant"].to_dict() == {"link": False, "tag": False, "named": True}
    assert df["n_russia_mentions"].to_dict() == {"link": 0, "tag": 0, "named": 1}


def test_build_relevance_is_the_selection_rule_on_the_stored_text(
    built: tuple[pd.DataFrame, str, Path],
) -> None:
    df, _, _ = built
    rows = zip(df["source"], df["title"], df["text"], strict=True)
    assert df["relevant"].tolist() == [relevant(s, title, text) for s, title, text in rows]
    both = df["title"] + "\n" + df["text"]
    assert df["n_russia_mentions"].tolist() == [count_mentions(t, "russia") for t in both]
    assert df["n_us_mentions"].tolist() == [count_mentions(t, "united_states") for t in both]
    # one table decides: "Latin America" is not the United States, "USSR" is Russia
    assert df.groupby("source")["relevant"].sum().to_dict() == {
        "kremlin": 331,
        "news_articles": 844,
        "reddit_worldnews": 4519,
        "seed": 1,
        "sotu": 16,
        "whitehouse": 2028,
    }


def test_cli_names_the_format_option_the_core_does_not(tmp_path: Path) -> None:
    path = tmp_path / "docs.txt"
    path.write_text("Putin and Trump met.\n")
    out = tmp_path / "o.parquet"
    result = CliRunner().invoke(app, ["corpus", "import", str(path), "--out", str(out)])
    assert result.exit_code == 2
    message = f"error: {path}: cannot tell the format from the name; pass the right --format\n"
    assert result.output == message
    assert not out.exists()
