"""Tests for usrussia.compare.units: scoring each distinct text once, sentences naming a
target, shared weeks."""

from __future__ import annotations

import pandas as pd
import pytest

from usrussia.compare.units import attach_scores, mention_sentences, same_weeks, week_of


def test_attach_scores_scores_each_distinct_text_once():
    calls: list[list[str]] = []

    def scorer(texts: list[str]) -> pd.DataFrame:
        calls.append(texts)
        return pd.DataFrame({"score": [float(len(t)) for t in texts]})

    units = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["xx", "yyy", "xx"]}, index=[5, 6, 7])
    out = attach_scores(units, scorer)
    assert calls == [["xx", "yyy"]]
    assert out["score"].tolist() == [2.0, 3.0, 2.0] and list(out.index) == [5, 6, 7]
    with pytest.raises(ValueError, match="overwrite"):
        attach_scores(out[["doc_id", "text", "score"]], scorer)


def test_attach_scores_leaves_missing_texts_unscored():
    """A missing text gets missing scores, not those of another text (factorize codes NaN -1)."""
    scored: list[list[str]] = []

    def scorer(texts: list[str]) -> pd.DataFrame:
        scored.append(texts)
        return pd.DataFrame({"score": [float(len(t)) for t in texts]})

    units = pd.DataFrame({"text": ["aa", None, "bbbb", float("nan")]})
    out = attach_scores(units, scorer)
    assert scored == [["aa", "bbbb"]]
    assert out["score"].iloc[[0, 2]].tolist() == [2.0, 4.0]
    assert out["score"].iloc[[1, 3]].isna().all()


def test_mention_sentences_keeps_only_matching_sentences():
    from usrussia.corpus.selection import RUSSIA_PATTERN

    df = pd.DataFrame(
        {
            "doc_id": ["s1", "s2"],
            "era": ["obama", "trump1"],
            "date": pd.to_datetime(["2014-01-28", "2018-01-30"]),
            "text": [
                "We stand with Ukraine. Russia must withdraw. Jobs are up.",
                "Our economy is strong. Taxes are down.",
            ],
        }
    )
    out = mention_sentences(df, RUSSIA_PATTERN)
    assert out[["doc_id", "sentence_no", "text"]].values.tolist() == [
        ["s1", 1, "Russia must withdraw."]
    ]


def test_same_weeks_keeps_weeks_where_both_groups_publish():
    df = pd.DataFrame(
        {
            # Mon 6 Feb and Sun 12 Feb 2017 are one week; 13 Feb starts the next
            "date": pd.to_datetime(["2017-02-06", "2017-02-12", "2017-02-13", "2017-02-20"]),
            "outlet": ["tass.com", "cnn.com", "tass.com", "cnn.com"],
        }
    )
    out = same_weeks(df, df["outlet"])
    assert out["date"].dt.day.tolist() == [6, 12]
    assert out["week"].nunique() == 1


def test_week_of_leaves_undated_rows_without_a_week():
    """A missing date is no calendar week (whatever pandas makes of a missing period), so
    undated rows of both groups never count as a shared week."""
    df = pd.DataFrame(
        {"date": pd.to_datetime(["2017-07-03", None, None, "2017-07-12"]), "v": [1, 2, 3, 4]}
    )
    group = pd.Series(["a", "a", "b", "b"])
    assert same_weeks(df, group).empty
    weeks = week_of(df["date"])
    assert weeks[0] == "2017-07-03/2017-07-09" and weeks[1:3].isna().all()
