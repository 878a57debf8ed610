"""What a comparison page shows beside its records: group summaries, keyness, topic-share
change from notebook 03's shares, meeting windows, the sentences and the limits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from study_corpora import COLD, PLAIN, RUSSIA, WARM, documents

from usrussia.compare import load_events
from usrussia.study import findings, parse_study
from usrussia.study.comparisons import run_study
from usrussia.topics.files import TOPIC_SHARES

STUDY = """[study]
corpus = "corpus.parquet"
n_resamples = 200
[[comparisons]]
name = "eras"
by = "era"
groups = ["obama", "trump1"]
strata = "outlet"
keyness = true
[[comparisons]]
name = "seed"
kind = "event"
by = "era"
groups = ["obama", "2017-07-07 Hamburg"]
"""
DOCS = documents(
    [
        {"doc_id": "o1", "text": f"{COLD} Sanctions expand.", "date": "2012-06-19"},
        {"doc_id": "o2", "text": f"{COLD} Sanctions widen.", "date": "2013-06-17"},
        {"doc_id": "o3", "text": f"{PLAIN} Sanctions.", "date": "2014-03-01", "outlet": "b.org"},
        {"doc_id": "t1", "text": f"{WARM} Trade grows.", "date": "2017-07-06"},
        {"doc_id": "t2", "text": f"{WARM} {RUSSIA} Trade.", "date": "2017-07-09"},
        {"doc_id": "b1", "text": PLAIN, "date": "2005-05-08"},
    ]
)


@pytest.fixture(scope="module")
def result():
    return run_study(parse_study(STUDY), DOCS, events=load_events())


def test_group_summary_says_who_is_in_each_group(result) -> None:
    summary = findings.group_summary(result.comparisons[0]).set_index(["group", "outlet"])
    assert summary.loc[("obama", "example.org"), "units"] == 2
    assert summary.loc[("obama", "b.org"), "documents"] == 1
    assert summary.loc[("obama", "example.org"), "years"] == "2012-2013"
    assert summary.loc[("bush", "example.org"), "units"] == 1  # shown, in neither group
    assert summary.loc[("obama", "example.org"), "share below 0 (score)"] == 1.0
    assert list(summary.columns[-3:]) == ["mean score", "share below 0 (score)", "near-duplicates"]


def test_group_summary_of_groups_that_are_their_own_strata() -> None:
    study = parse_study(
        STUDY.replace(
            'by = "era"\ngroups = ["obama", "trump1"]',
            'by = "outlet"\ngroups = ["b.org", "example.org"]',
        )
    )
    made = run_study(study, DOCS, events=load_events()).comparisons[0]
    summary = findings.group_summary(made)
    assert summary[["group", "units"]].values.tolist() == [["b.org", 1], ["example.org", 5]]


def test_keyness_finds_the_words_of_each_group(result) -> None:
    table, note = findings.keyness_between(result.comparisons[0], min_df=2)
    assert note == ""
    signed = table.set_index("feature")["chi2"]
    assert signed["sanctions"] < 0 < signed["trade"]  # obama pages say sanctions, trump1 trade
    event_table, _ = findings.keyness_between(result.comparisons[1], min_df=2)
    assert event_table is not None  # two pages near Hamburg, two near the Obama meetings


def test_keyness_and_topics_need_two_units_in_each_group() -> None:
    study = parse_study(STUDY.replace('"obama", "trump1"', '"bush", "trump1"'))
    made = run_study(study, DOCS, events=load_events()).comparisons[0]
    table, note = findings.keyness_between(made)
    assert (
        table is None
        and note == "keyness needs at least 2 units in each group; bush has 1, trump1 2"
    )
    shares = pd.DataFrame({"t0": 1.0, "t1": 0.0}, index=pd.Index(DOCS["doc_id"], name="doc_id"))
    table, note = findings.topic_change(made, shares, 200, 1)
    assert table is None and "needs 2 documents with shares in each group" in note


def test_topic_change_reads_notebook_03s_shares(result, tmp_path: Path) -> None:
    table, note = findings.read_topic_shares(tmp_path)
    assert table is None and "no topic shares at" in note and "notebook 03" in note
    shares = pd.DataFrame(
        {
            "doc_id": ["o1", "o2", "o3", "t1", "t2"],
            "sanctions": [0.9, 0.8, 0.7, 0.1, 0.2],
            "trade": [0.1, 0.2, 0.3, 0.9, 0.8],
        }
    )
    (tmp_path / TOPIC_SHARES).parent.mkdir()
    shares.to_parquet(tmp_path / TOPIC_SHARES)
    read, note = findings.read_topic_shares(tmp_path)
    assert note == "" and list(read.columns) == ["sanctions", "trade"]
    change, note = findings.topic_change(result.comparisons[0], read, 200, 1)
    assert note == ""
    by_topic = change.set_index("topic")["change"]
    assert by_topic["trade"] == pytest.approx(0.85 - 0.2)
    assert by_topic["sanctions"] == pytest.approx(0.15 - 0.8)
    shares.drop(columns="doc_id").to_parquet(tmp_path / TOPIC_SHARES)
    assert findings.read_topic_shares(tmp_path)[0] is None


def test_meeting_windows_sentences_and_limits(result) -> None:
    shown, note = findings.meeting_windows(result.comparisons[1])
    assert set(shown["meeting"]) >= {"2017-07-07 Hamburg", "2013-06-17 Lough Erne"}
    assert (shown["n"] > 0).all() and note.startswith(f"{len(load_events()) - len(shown)} meetings")
    lines = findings.sentences(result.comparisons[0].rows).splitlines()
    assert len(lines) == len(result.comparisons[0].records)
    assert lines[0].startswith("- **documents, score, stratified by outlet**: ")
    assert "adjusted p" in lines[0] or "untested" in lines[0]
    limits = findings.limits(result)
    assert limits[0].startswith(f"{len(result.table)} of {len(result.table)} records have a group")
    assert findings.shown_tone(result).empty
    assert np.isfinite(result.table["diff"]).all()


CAPITALS = """[study]
corpus = "corpus.parquet"
n_resamples = 200
[[comparisons]]
name = "capitals"
by = "source"
groups = ["kremlin", "whitehouse"]
windows = true
"""


def test_meeting_pairs_put_each_meetings_two_sides_together() -> None:
    docs = documents(
        [
            {"doc_id": "k1", "source": "kremlin", "text": COLD, "date": "2013-06-16"},
            {"doc_id": "k2", "source": "kremlin", "text": WARM, "date": "2013-06-18"},
            {"doc_id": "w1", "source": "whitehouse", "text": WARM, "date": "2013-06-20"},
            {"doc_id": "w2", "source": "whitehouse", "text": COLD, "date": "2012-06-19"},
            {"doc_id": "w3", "source": "whitehouse", "text": PLAIN, "date": "2014-10-01"},
        ]
    )
    run = run_study(parse_study(CAPITALS), docs, events=load_events()).comparisons[0]
    scores = run.tested.set_index("doc_id")["score"]
    pairs, note = findings.meeting_pairs(run, load_events(), 7, "score")
    assert pairs["meeting"].tolist() == ["2012-06-18 Los Cabos", "2013-06-17 Lough Erne"]
    erne = pairs.iloc[1]
    assert (erne["n kremlin"], erne["n whitehouse"]) == (2, 1)
    assert erne["mean kremlin"] == pytest.approx((scores["k1"] + scores["k2"]) / 2)
    assert erne["mean whitehouse"] == pytest.approx(scores["w1"])
    cabos = pairs.iloc[0]
    assert cabos["n kremlin"] == 0 and np.isnan(cabos["mean kremlin"])
    assert (
        note == "Within ±7 days: 2 meetings have units of kremlin or whitehouse;"
        " 1 of them has units of both."
    )
    narrow, narrow_note = findings.meeting_pairs(run, load_events(), 1, "score")
    assert narrow["meeting"].tolist() == ["2012-06-18 Los Cabos", "2013-06-17 Lough Erne"]
    assert narrow.iloc[1]["n whitehouse"] == 0 and narrow_note.endswith(
        "0 of them have units of both."
    )


def test_plot_meeting_pairs_joins_only_meetings_with_both_sides() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from usrussia.plots import plot_meeting_pairs

    pairs = pd.DataFrame(
        {
            "meeting": ["m1", "m2"],
            "date": pd.to_datetime(["2013-06-17", "2014-01-01"]),
            "n a": [2, 1],
            "mean a": [0.1, -0.2],
            "n b": [1, 0],
            "mean b": [0.3, np.nan],
        }
    )
    ax = plot_meeting_pairs(pairs, ("a", "b"), "score")
    (lines,) = ax.collections[:1]
    assert len(lines.get_segments()) == 1  # one meeting has both sides
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
