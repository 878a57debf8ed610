"""Tests for usrussia.plots: the figures several notebooks draw, checked on what they show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from usrussia.compare.prevalence import era_difference  # noqa: E402
from usrussia.compare.records import compare_groups  # noqa: E402
from usrussia.plots import (  # noqa: E402
    plot_comparisons,
    plot_keyness,
    plot_meetings,
    plot_topic_change,
)
from usrussia.text.explore import keyness  # noqa: E402
from usrussia.text.vectorize import build_dtm, count_vectorizer  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _points(ax) -> tuple[np.ndarray, np.ndarray]:
    """The x and y of the points of the first errorbar drawn on ``ax``."""
    line = ax.containers[0].lines[0]
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)


def test_plot_comparisons_flags_notes_and_survives_missing_intervals():
    rows = [
        compare_groups(np.arange(12.0), np.arange(12.0) + 2, n_resamples=200),
        compare_groups([0.3], [0.1, 0.2], group_a="tiny", n_resamples=200),
    ]
    ax = plot_comparisons(pd.DataFrame(rows), title="test")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a vs b  (n=12/12)", "tiny vs b  (n=1/2) *"]
    assert ax.get_title() == "test" and ax.get_xlabel()
    x, y = _points(ax)
    assert x.tolist() == pytest.approx([2.0, rows[1]["diff"]]) and y.tolist() == [1, 0]


def test_plot_topic_change_draws_each_topic_at_its_change():
    rng = np.random.default_rng(3)
    shares = pd.DataFrame(
        np.vstack([rng.dirichlet([4, 2, 1], 30), rng.dirichlet([1, 2, 4], 30)]),
        columns=["talks", "trade", "war"],
    )
    eras = pd.Series(["obama"] * 30 + ["trump1"] * 30)
    change = era_difference(shares, eras, n_resamples=300)
    ax = plot_topic_change(change, labels=("obama", "trump1"))
    assert [t.get_text() for t in ax.get_yticklabels()] == change["topic"].tolist()
    assert change["topic"].iloc[0] == "war"  # sorted by change, the rising topic on top
    x, y = _points(ax)
    assert x.tolist() == pytest.approx(change["change"].tolist())
    assert y.tolist() == [2, 1, 0]
    assert "trump1 - obama" in ax.get_xlabel() and ax.get_title()


def test_plot_keyness_on_kremlin_pages(corpus) -> None:
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["era"].isin(["obama", "trump1"])]
    dtm = build_dtm(kremlin["text"], count_vectorizer(min_df=5), desc=None)
    result = keyness(dtm.matrix, (kremlin["era"] == "trump1").to_numpy(), dtm.terms, "lr")
    ax = plot_keyness(result, n=10, labels=("Trump era", "Obama era"))
    terms = [t.get_text() for t in ax.get_yticklabels()]
    assert len(terms) == 20 and terms[0] == result["feature"].iloc[0]
    # target terms (G2 > 0) first, most key on top; then the reference's, most key at the bottom
    assert terms[:10] == result["feature"].head(10).tolist()
    assert terms[10:] == result["feature"].tail(10).tolist()
    bars = [p.get_width() for p in ax.patches]
    assert all(w > 0 for w in bars[:10]) and all(w < 0 for w in bars[10:])
    assert ax.get_title() == "Keyness: Trump era vs Obama era" and "G²" in ax.get_xlabel()


def test_plot_meetings_draws_one_point_per_meeting_with_units():
    summary = pd.DataFrame(
        {
            "meeting": ["2013-06-17 Lough Erne", "2017-07-07 Hamburg", "2018-07-16 Helsinki"],
            "date": pd.to_datetime(["2013-06-17", "2017-07-07", "2018-07-16"]).date,
            "era": ["obama", "trump1", "trump1"],
            "n": [2, 4, 0],
            "mean": [-0.1, 0.2, np.nan],
        }
    )
    ax = plot_meetings(summary, "score")
    points = [len(c.get_offsets()) for c in ax.collections]
    assert points == [1, 1]  # the meeting without units is left out
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "obama meetings",
        "trump1 meetings",
    ]
    assert ax.get_ylabel() == "mean score of the units in the window"
    plt.close(ax.figure)
