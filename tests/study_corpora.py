"""Small corpora for the study tests: hand-written documents, and cuts of the shipped corpus
under source names no notebook or study of the project was written for."""

from __future__ import annotations

import pandas as pd

from usrussia.corpus import era_of

# Sentences whose tone is plain to a reader (the scores come from the real scorer).
WARM = "The talks were friendly and constructive, and both sides praised the progress."
COLD = "The meeting was tense and hostile, and officials traded bitter accusations."
RUSSIA = "Russia rejected the proposal."
PLAIN = "The delegation arrived on Monday."


def documents(rows: list[dict]) -> pd.DataFrame:
    """A corpus frame from rows giving at least ``doc_id`` and ``text``; the others default
    (source ``wire``, a title, relevant, the era of the date)."""
    frame = pd.DataFrame(
        [
            {
                "source": "wire",
                "outlet": "example.org",
                "title": f"Headline {row['doc_id']}",
                "relevant": True,
                "kind": "news article",
                "date": None,
                **row,
            }
            for row in rows
        ]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["era"] = [None if pd.isna(d) else era_of(d.date())[0] for d in frame["date"]]
    return frame


def cut(corpus: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A cut of the shipped corpus that the shipped study was not written for.

    ``two_kinds``: Obama-era headlines and Trump-era articles under one new source name
    (``mycoverage``), as a user's own coverage export; ``one_era``: Trump-era articles only
    (``wire``); ``undated``: the two-kinds cut with every date (and so every era) removed;
    ``five``: five documents of the two-kinds cut.
    """
    relevant = corpus[corpus["relevant"]]
    headlines = relevant[(relevant["source"] == "reddit_worldnews") & (relevant["era"] == "obama")]
    articles = relevant[(relevant["source"] == "news_articles") & (relevant["era"] == "trump1")]
    mine = pd.concat([headlines.head(60), articles.groupby("outlet").head(12)])
    mine = mine.assign(source="mycoverage", doc_id="my-" + mine["doc_id"].astype(str))
    if kind == "two_kinds":
        return mine.reset_index(drop=True)
    if kind == "one_era":
        return mine[mine["era"] == "trump1"].assign(source="wire").reset_index(drop=True)
    if kind == "undated":
        return mine.assign(date=pd.NaT, era=None, president_us=None).reset_index(drop=True)
    if kind == "five":
        return pd.concat([mine.head(2), mine.tail(3)]).reset_index(drop=True)
    raise ValueError(kind)


# A study written for such a corpus, as a researcher (or `study init`) would: eras of one
# source, outlets, sentences naming a target, an event, pooled.
MY_STUDY = """
[study]
name = "mine"
corpus = "corpus.parquet"
n_resamples = 200
measures = ["score", "tone_russia"]

[events]
widths = [7, 30]

[[comparisons]]
name = "My coverage across eras"
filter = { source = ["mycoverage", "wire"] }
by = "era"
groups = ["obama", "trump1"]
windows = true
controls = [[], ["outlet"]]
sensitivity = true
keyness = true
about = "Every document of my coverage."

[[comparisons]]
name = "Two outlets, same weeks"
by = "outlet"
groups = ["cnn.com", "tass.com"]
strata = "outlet"
same_weeks = true
controls = [["week"]]

[[comparisons]]
name = "Russia sentences"
unit = "sentences"
target = "russia"
by = "era"
groups = ["obama", "trump1"]

[[comparisons]]
name = "Headlines"
unit = "headline"
by = "era"
groups = ["obama", "trump1"]

[[comparisons]]
name = "Pooled"
kind = "pooled"
by = "era"
groups = ["obama", "trump1"]
controls = [["outlet"]]

[[comparisons]]
name = "Hamburg against the Obama meetings"
kind = "event"
by = "era"
groups = ["obama", "2017-07-07 Hamburg"]
"""
