"""GDELT's tone of the dyad beside the project's, meeting by meeting (``compare.gdelt``),
on the fetch fixtures read by the real importers: GDELT 1.0 event rows of the Helsinki
summit, a GDELT DOC tone timeline, and Guardian articles around Lough Erne and Helsinki.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fetch_server import FIXTURES, fixture, zipped

from usrussia.compare import load_events
from usrussia.compare.gdelt import gdelt_beside_ours, gdelt_tone_by_meeting
from usrussia.corpus.sources import gdelt, gdelt_events, guardian
from usrussia.engine import to_corpus
from usrussia.sentiment import score_documents

HELSINKI, LOUGH_ERNE = "2018-07-16 Helsinki", "2013-06-17 Lough Erne"


@pytest.fixture
def events_table(tmp_path: Path):
    name = "20180716.export.CSV"
    (tmp_path / f"{name}.zip").write_bytes(zipped(name, fixture("gdelt_events", name)))
    table, _, _ = gdelt_events.read_events(tmp_path / f"{name}.zip")
    return table


def test_gdelt_tone_is_weighted_by_mentions_in_each_window(events_table) -> None:
    meetings = load_events()
    by_meeting = gdelt_tone_by_meeting(events_table, meetings, window_days=7).set_index("meeting")
    assert len(by_meeting) == len(meetings)
    helsinki = by_meeting.loc[HELSINKI]
    # Tones -2.85, -1.97, -5.40, -6.10 with 120, 64, 30, 18 mentions.
    assert (helsinki["gdelt_events"], helsinki["gdelt_mentions"]) == (4, 232)
    assert helsinki["gdelt_tone"] == pytest.approx(-739.88 / 232)
    assert helsinki["gdelt_goldstein"] == pytest.approx(520 / 232)
    assert by_meeting.loc[LOUGH_ERNE, "gdelt_events"] == 0
    assert np.isnan(by_meeting.loc[LOUGH_ERNE, "gdelt_tone"])


def test_a_tone_timeline_is_averaged_over_its_points() -> None:
    timeline, _ = gdelt.read_timeline(FIXTURES / "gdelt" / "timelinetone.json")
    by_meeting = gdelt_tone_by_meeting(timeline, load_events(), 7).set_index("meeting")
    assert by_meeting.loc[HELSINKI, "gdelt_tone"] == pytest.approx((-1.8245 - 3.1024 - 3.6631) / 3)
    assert by_meeting.loc[HELSINKI, "gdelt_events"] == 3


def test_gdelt_beside_the_project_s_tone_of_the_same_windows(events_table) -> None:
    pages = sorted((FIXTURES / "guardian").glob("*.json"))
    corpus, _ = to_corpus(item for page in pages for item in guardian.iter_records(page))
    scored = corpus.join(score_documents(corpus["text"]))
    both = gdelt_beside_ours(events_table, scored, load_events(), 7, "score")
    assert both["meeting"].tolist() == [LOUGH_ERNE, HELSINKI]
    assert both["n"].tolist() == [5, 4] and both["gdelt_events"].tolist() == [0, 4]
    helsinki = scored[scored["date"].dt.year == 2018]["score"].mean()
    assert both.loc[1, "score"] == pytest.approx(helsinki)
    assert both["era"].tolist() == ["obama", "trump1"]
