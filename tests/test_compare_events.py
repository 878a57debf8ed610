"""Tests for usrussia.compare.events: the meetings table, windows around meetings and
meeting-era comparisons."""

from __future__ import annotations

import pandas as pd
import pytest

from usrussia import config
from usrussia.compare.events import (
    compare_meeting_eras,
    event_windows,
    load_events,
    meeting_summary,
    undated_count,
)
from usrussia.corpus.records import InputError


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2010-06-24", "2010-06-30", "2017-07-07"]),
            "meeting": ["2010-06-24 Washington", "2010-06-30 Toronto", "2017-07-07 Hamburg"],
            "era": ["obama", "obama", "trump1"],
        }
    )


def test_event_windows_on_a_tiny_frame():
    docs = pd.DataFrame(
        {
            "doc_id": list("abcdefg"),
            "date": pd.to_datetime(
                [
                    "2010-06-20",
                    "2010-06-27",
                    "2010-07-10",
                    "2017-07-05",
                    "2017-07-15",
                    None,
                    "2010-06-28",
                ]
            ),
            "score": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        }
    )
    windows = event_windows(docs, _events(), window_days=7)
    got = dict(zip(windows["doc_id"], windows["meeting"], strict=True))
    # c (10 days after Toronto) and e (8 days after Hamburg) are outside; f has no date;
    # b is 3 days from both June meetings and goes to the earlier; g is nearer Toronto
    assert got == {
        "a": "2010-06-24 Washington",
        "b": "2010-06-24 Washington",
        "d": "2017-07-07 Hamburg",
        "g": "2010-06-30 Toronto",
    }
    assert windows.set_index("doc_id")["days_from_meeting"].to_dict() == {
        "a": -4,
        "b": 3,
        "d": -2,
        "g": -2,
    }
    assert (windows.set_index("doc_id").loc[["a", "d"], "meeting_era"] == ["obama", "trump1"]).all()
    assert undated_count(docs) == 1
    assert len(event_windows(docs, _events(), window_days=0)) == 0

    summary = meeting_summary(windows, "score", _events())
    assert summary.set_index("meeting").loc["2010-06-24 Washington", "n"] == 2
    assert summary.set_index("meeting").loc["2010-06-30 Toronto", "note"] == "one document"

    records = compare_meeting_eras(docs, _events(), "score", "obama", "trump1", 7)
    assert [r["method"] for r in records] == ["documents in windows", "meeting means"]
    assert records[0]["n_a"] == 3 and records[0]["n_b"] == 1
    assert records[0]["group_a"] == "obama meetings"
    assert "trump1 meetings has 1 document(s)" in records[0]["note"]
    assert "1 undated documents could not be placed" in records[0]["note"]
    assert records[1]["n_a"] == 2 and records[1]["n_b"] == 1


def test_load_events_shipped_and_bad(tmp_path):
    events = load_events()
    assert len(events) >= 40 and events["date"].is_monotonic_increasing
    hamburg = events[events["city"] == "Hamburg"].iloc[0]
    assert hamburg["era"] == "trump1" and hamburg["meeting"] == "2017-07-07 Hamburg"
    assert set(events["era"]) >= {"bush", "obama", "trump1", "biden", "trump2"}
    bad = tmp_path / "events.csv"
    bad.write_text("date,city,country,us_president,ru_president\n2017-13-40,X,Y,Z,W\n")
    with pytest.raises(InputError, match="unreadable dates"):
        load_events(bad)
    bad.write_text("date,city\n2017-07-07,Hamburg\n")
    with pytest.raises(InputError, match="lacks columns"):
        load_events(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_events(tmp_path / "missing.csv")


def test_event_windows_on_the_shipped_corpus(corpus):
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
    windows = event_windows(kremlin, load_events(), window_days=7)
    assert (windows["days_from_meeting"].abs() <= 7).all()
    assert windows["doc_id"].is_unique
    meetings = set(windows["meeting"])
    assert "2017-07-07 Hamburg" in meetings and "2018-07-16 Helsinki" in meetings
    assert set(windows["meeting_era"]) >= {"obama", "trump1"}
    assert config.SEED == 20170707


def test_meeting_windows_compare_a_column_of_the_documents():
    """``by`` a document column: its groups' documents in any window, means per meeting."""
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "date": pd.to_datetime(
                ["2010-06-22", "2010-06-25", "2010-06-26", "2017-07-08", "2012-01-01"]
            ),
            "outlet": ["x", "y", "y", "x", "y"],
            "score": [0.1, 0.5, 0.7, 0.3, 9.0],
        }
    )
    records = compare_meeting_eras(docs, _events(), "score", "x", "y", 7, by="outlet")
    assert (records[0]["group_a"], records[0]["group_b"]) == ("x", "y")
    assert (records[0]["n_a"], records[0]["n_b"]) == (2, 2)  # e is in no window
    assert records[0]["diff"] == pytest.approx(0.6 - 0.2)
    assert (records[1]["n_a"], records[1]["n_b"]) == (2, 1)  # x: two meetings, y: one
    assert records[1]["diff"] == pytest.approx(0.6 - 0.2)
