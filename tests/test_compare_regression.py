"""Tests for usrussia.compare.regression: the era regression against a hand-computed
HC3 fit, and the sensitivity grid."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from usrussia.compare.events import load_events
from usrussia.compare.records import compare_frame
from usrussia.compare.regression import era_regression, sensitivity


def test_sensitivity_one_row_per_measure_and_width():
    rng = np.random.default_rng(5)
    dates = pd.to_datetime("2010-06-01") + pd.to_timedelta(rng.integers(0, 60, 40), unit="D")
    dates = dates.append(
        pd.to_datetime("2017-06-20") + pd.to_timedelta(rng.integers(0, 40, 40), unit="D")
    )
    docs = pd.DataFrame(
        {
            "date": dates,
            "era": ["obama"] * 40 + ["trump1"] * 40,
            "m1": rng.normal(size=80),
            "m2": rng.normal(size=80),
        }
    )
    table = sensitivity(
        docs, load_events(), ["m1", "m2"], [3, 7], "obama", "trump1", n_resamples=200
    )
    assert len(table) == 6
    assert table["window_days"].isna().sum() == 2
    assert set(table["measure"]) == {"m1", "m2"} and "p_adjusted" in table


def _regression_frame(seed: int = 0) -> pd.DataFrame:
    """Era effect 1.0; source 'r' adds 2.0 and is far more common in trump1."""
    rng = np.random.default_rng(seed)
    n = 400
    era = np.where(rng.random(n) < 0.5, "obama", "trump1")
    share_r = np.where(era == "trump1", 0.8, 0.2)
    source = np.where(rng.random(n) < share_r, "r", "k")
    n_words = rng.integers(5, 500, n)
    y = (
        1.0 * (era == "trump1")
        + 2.0 * (source == "r")
        + 0.1 * np.log1p(n_words)
        + rng.normal(0, 1, n)
    )
    return pd.DataFrame(
        {"era": era, "source": source, "outlet": source, "n_words": n_words, "score": y}
    )


def test_era_regression_recovers_effect_and_matches_hand_hc3():
    df = _regression_frame()
    naive = compare_frame(df, "score", "era", "obama", "trump1", n_resamples=500)
    record = era_regression(df, "score", "obama", "trump1")
    assert naive["ci_low"] > 1.5  # the two-group difference is confounded by source
    assert record["ci_low"] < 1.0 < record["ci_high"]
    assert record["method"] == "ols_hc3" and "source" in record["controls"]
    assert "redundant" in record["note"]  # outlet duplicates source here

    x = np.column_stack(
        [
            np.ones(len(df)),
            np.log1p(df["n_words"]),
            (df["source"] == "r").astype(float),
            (df["era"] == "trump1").astype(float),
        ]
    )
    y = df["score"].to_numpy()
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    bread = np.linalg.inv(x.T @ x)
    leverage = np.einsum("ij,jk,ik->i", x, bread, x)
    meat = x.T @ (x * ((y - x @ beta) ** 2 / (1 - leverage) ** 2)[:, None])
    se = math.sqrt((bread @ meat @ bread)[3, 3])
    assert record["diff"] == pytest.approx(beta[3])
    assert record["ci_high"] - record["diff"] == pytest.approx(1.959964 * se, rel=1e-5)


def test_era_regression_says_when_era_is_confounded():
    df = _regression_frame()
    df["source"] = np.where(df["era"] == "trump1", "news", "reddit")
    record = era_regression(df, "score", "obama", "trump1", controls=("source",))
    assert "confounded" in record["note"] and math.isnan(record["diff"])
    tiny = era_regression(df.head(1), "score", "obama", "trump1")
    assert "at least 2" in tiny["note"]
    holes = _regression_frame().assign(score=lambda d: d["score"].where(d.index % 50 > 0))
    record = era_regression(holes, "score", "obama", "trump1")
    assert "8 documents without a score value left out" in record["note"]
    assert record["n_a"] + record["n_b"] == 392 and np.isfinite(record["diff"])


def test_documents_without_a_group_are_counted_in_the_note():
    frame = _regression_frame()
    frame.loc[frame.index[:3], "era"] = None
    record = era_regression(frame, "score", "obama", "trump1", controls=())
    assert "3 documents without a era (e.g. no date) are in neither group" in record["note"]
