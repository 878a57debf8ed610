"""Tests for usrussia.compare: statistics checked against scipy, statsmodels and hand counts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from usrussia import compare, config
from usrussia.corpus.records import InputError


def _diff_mean(x, y, axis=-1):
    return np.mean(y, axis=axis) - np.mean(x, axis=axis)


def _diff_median(x, y, axis=-1):
    return np.median(y, axis=axis) - np.median(x, axis=axis)


@pytest.fixture(scope="module")
def shifted() -> tuple[np.ndarray, np.ndarray]:
    """Synthetic tone scores with a known shift of 0.5 between the groups."""
    rng = np.random.default_rng(7)
    return rng.normal(0.0, 1.0, 80), rng.normal(0.5, 1.0, 60)


@pytest.mark.parametrize(("statistic", "fn"), [("mean", _diff_mean), ("median", _diff_median)])
def test_bootstrap_ci_agrees_with_scipy(shifted, statistic, fn):
    a, b = shifted
    ours = compare.bootstrap_diff(a, b, statistic=statistic, n_resamples=20000, seed=1)
    ref = stats.bootstrap(
        (a, b), fn, method="percentile", n_resamples=20000, vectorized=True, rng=2
    ).confidence_interval
    width = ref.high - ref.low
    # Monte Carlo error of a percentile with 20,000 resamples is ~1% of the width
    assert ours[0] == pytest.approx(ref.low, abs=0.05 * width)
    assert ours[1] == pytest.approx(ref.high, abs=0.05 * width)
    assert ours[0] < 0.5 < ours[1]


def test_permutation_pvalue_agrees_with_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 30), rng.normal(0.45, 1, 30)
    ours = compare.permutation_pvalue(a, b, n_resamples=20000, seed=4)
    ref = stats.permutation_test((a, b), _diff_mean, n_resamples=20000, vectorized=True, rng=5)
    assert 0.005 < ref.pvalue < 0.5, "the example should have a p-value away from 0 and 1"
    tolerance = 4 * math.sqrt(2 * ref.pvalue * (1 - ref.pvalue) / 20000)
    assert ours == pytest.approx(ref.pvalue, abs=tolerance)


def test_permutation_pvalue_exact_matches_scipy_exact():
    a, b = np.array([1.0, 2.0, 3.5, 4.0]), np.array([3.0, 5.0, 6.0, 9.0])
    ours = compare.permutation_pvalue(a, b, n_resamples=1000)
    ref = stats.permutation_test((a, b), _diff_mean, n_resamples=np.inf, vectorized=True)
    assert ours == pytest.approx(ref.pvalue, abs=1e-12)
    # 70 splits, enumerated: the p-value is a multiple of 1/70
    assert (ours * 70) == pytest.approx(round(ours * 70))


def test_no_true_difference_gives_about_five_percent_rejections():
    seeds = 200
    rejected = covered = 0
    for s in range(seeds):
        rng = np.random.default_rng(10_000 + s)
        a, b = rng.normal(0, 1, 40), rng.normal(0, 1, 40)
        rejected += compare.permutation_pvalue(a, b, n_resamples=999, seed=s) < 0.05
        low, high = compare.bootstrap_diff(a, b, n_resamples=999, seed=s)
        covered += low <= 0.0 <= high
    # binomial tolerance around the nominal rates (two-sided test at 0.1%)
    assert stats.binomtest(int(rejected), seeds, 0.05).pvalue > 0.001, rejected
    assert stats.binomtest(int(covered), seeds, 0.95).pvalue > 0.001, covered


def test_true_difference_is_detected(shifted):
    a, b = shifted
    record = compare.compare_groups(a, b, group_a="x", group_b="y", measure="score", seed=1)
    assert record["p_value"] < 0.05
    assert record["ci_low"] < record["diff"] < record["ci_high"]
    assert record["diff"] == pytest.approx(b.mean() - a.mean())
    assert record["diff_median"] == pytest.approx(np.median(b) - np.median(a))
    assert record["n_a"] == 80 and record["n_b"] == 60 and record["note"] == ""


def test_effect_sizes_on_hand_examples():
    assert compare.cohens_d([1, 2, 3], [4, 5, 6]) == pytest.approx(3.0)
    # variances 1 and 4 with n = 3 each: pooled sd sqrt(2.5); means 2 and 6
    assert compare.cohens_d([1, 2, 3], [4, 6, 8]) == pytest.approx(4 / math.sqrt(2.5))
    assert compare.cohens_d([4, 5, 6], [1, 2, 3]) == pytest.approx(-3.0)
    assert compare.cliffs_delta([1, 2, 3], [4, 5, 6]) == 1.0
    # pairs (a, b): b > a in 6 of 9, b < a in 1 (b=2, a=3), ties in 2
    assert compare.cliffs_delta([1, 2, 3], [2, 3, 4]) == pytest.approx(5 / 9)
    assert compare.cliffs_delta([2, 3, 4], [1, 2, 3]) == pytest.approx(-5 / 9)
    assert math.isnan(compare.cohens_d([1], [2, 3]))
    assert math.isnan(compare.cohens_d([1, 1], [2, 2]))


def test_cliffs_delta_matches_pairwise_count():
    rng = np.random.default_rng(11)
    a, b = rng.integers(0, 5, 37), rng.integers(0, 5, 23)
    pairs = np.sign(b[None, :] - a[:, None])
    assert compare.cliffs_delta(a, b) == pytest.approx(pairs.mean())


def test_holm_and_bh_against_hand_computed():
    p = [0.01, 0.04, 0.03, 0.005]
    assert compare.adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert compare.adjust_pvalues(p, "fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # untested comparisons stay NaN and do not count towards m
    out = compare.adjust_pvalues([0.01, np.nan, 0.04], "holm")
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)


def test_comparison_table_adds_adjusted_p_values():
    records = [
        compare.compare_groups([0, 1, 2, 3], [1, 2, 3, 4], n_resamples=200),
        compare.compare_groups([0, 1], [5], n_resamples=200),
    ]
    table = compare.comparison_table(records, correction="holm")
    assert list(table.columns[: len(compare.RECORD_FIELDS)]) == list(compare.RECORD_FIELDS)
    assert table.loc[0, "p_adjusted"] == pytest.approx(table.loc[0, "p_value"])
    assert math.isnan(table.loc[1, "p_adjusted"])


def test_bad_input_gives_notes_not_crashes():
    tiny = compare.compare_groups([0.2], [0.1, 0.3], group_a="obama", group_b="trump1")
    assert "obama has 1 document(s), need at least 2" in tiny["note"]
    assert math.isnan(tiny["ci_low"]) and math.isnan(tiny["p_value"])
    assert tiny["diff"] == pytest.approx(0.0)

    empty = compare.compare_groups([], [0.1, 0.3], group_a="obama")
    assert "obama has 0 document(s)" in empty["note"] and math.isnan(empty["diff"])

    same = compare.compare_groups([0.5, 0.5, 0.5], [0.5, 0.5])
    assert "all 5 values are identical" in same["note"]
    assert same["p_value"] == 1.0 and math.isnan(same["effect_size"])

    constant = compare.compare_groups([0, 0, 0], [1, 1])
    assert "constant within each group" in constant["note"]
    assert constant["p_value"] == pytest.approx(0.1)  # 1 of the 10 splits is as extreme

    missing = compare.compare_groups([0.1, np.nan, 0.3], [0.2, 0.4], group_a="x", measure="score")
    assert "1 x documents without a score value left out" in missing["note"]
    assert missing["n_a"] == 2


def test_compare_frame_notes_undated_and_checks_columns():
    df = pd.DataFrame(
        {
            "era": ["obama", "obama", "obama", "trump1", "trump1", None],
            "score": [0.1, 0.2, 0.3, 0.5, 0.6, 0.9],
            "source": ["k", "k", "r", "k", "r", "k"],
        }
    )
    record = compare.compare_frame(df, "score", "era", "obama", "trump1", strata="source")
    assert record["n_a"] == 3 and record["n_b"] == 2
    assert "1 documents without a era" in record["note"]
    with pytest.raises(InputError, match="tone"):
        compare.compare_frame(df, "tone", "era", "obama", "trump1")


def test_stratified_bootstrap_keeps_stratum_sizes():
    # values constant within each stratum: a stratified resample always has the same mean
    a = np.array([0.0] * 5 + [1.0] * 15)
    strata = ["x"] * 5 + ["y"] * 15
    low, high = compare.bootstrap_ci(a, strata=strata, n_resamples=500)
    assert low == pytest.approx(0.75) and high == pytest.approx(0.75)
    low, high = compare.bootstrap_ci(a, n_resamples=500)
    assert low < 0.75 < high
    # one stratum is the same as no strata (same draws)
    b = np.random.default_rng(0).normal(size=30)
    assert compare.bootstrap_ci(b, strata=["s"] * 30, n_resamples=300) == compare.bootstrap_ci(
        b, n_resamples=300
    )


def test_bootstrap_ci_two_dimensional_resamples_rows():
    shares = np.random.default_rng(2).dirichlet([1, 2, 3], size=50)
    low, high = compare.bootstrap_ci(shares, n_resamples=400, seed=9)
    assert low.shape == (3,) and (low < shares.mean(axis=0)).all()
    assert (shares.mean(axis=0) < high).all()
    # column j of the 2-D call equals the 1-D call on column j (the same rows drawn)
    for j in range(3):
        assert compare.bootstrap_ci(shares[:, j], n_resamples=400, seed=9) == pytest.approx(
            (low[j], high[j])
        )


def test_determinism_for_a_fixed_seed(shifted):
    a, b = shifted
    first = compare.compare_groups(a, b, seed=42, n_resamples=500)
    assert compare.compare_groups(a, b, seed=42, n_resamples=500) == first
    other = compare.compare_groups(a, b, seed=43, n_resamples=500)
    assert other["ci_low"] != first["ci_low"]
    assert compare.bootstrap_diff(a, b, seed=42, n_resamples=300) == compare.bootstrap_diff(
        a, b, seed=42, n_resamples=300
    )


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
    windows = compare.event_windows(docs, _events(), window_days=7)
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
    assert compare.undated_count(docs) == 1
    assert len(compare.event_windows(docs, _events(), window_days=0)) == 0

    summary = compare.meeting_summary(windows, "score", _events())
    assert summary.set_index("meeting").loc["2010-06-24 Washington", "n"] == 2
    assert summary.set_index("meeting").loc["2010-06-30 Toronto", "note"] == "one document"

    records = compare.compare_meeting_eras(docs, _events(), "score", "obama", "trump1", 7)
    assert [r["method"] for r in records] == ["documents in windows", "meeting means"]
    assert records[0]["n_a"] == 3 and records[0]["n_b"] == 1
    assert records[0]["group_a"] == "obama meetings"
    assert "trump1 meetings has 1 document(s)" in records[0]["note"]
    assert "1 undated documents could not be placed" in records[0]["note"]
    assert records[1]["n_a"] == 2 and records[1]["n_b"] == 1


def test_load_events_shipped_and_bad(tmp_path):
    events = compare.load_events()
    assert len(events) >= 40 and events["date"].is_monotonic_increasing
    hamburg = events[events["city"] == "Hamburg"].iloc[0]
    assert hamburg["era"] == "trump1" and hamburg["meeting"] == "2017-07-07 Hamburg"
    assert set(events["era"]) >= {"bush", "obama", "trump1", "biden", "trump2"}
    bad = tmp_path / "events.csv"
    bad.write_text("date,city,country,us_president,ru_president\n2017-13-40,X,Y,Z,W\n")
    with pytest.raises(InputError, match="unreadable dates"):
        compare.load_events(bad)
    bad.write_text("date,city\n2017-07-07,Hamburg\n")
    with pytest.raises(InputError, match="lacks columns"):
        compare.load_events(bad)
    with pytest.raises(InputError, match="cannot read"):
        compare.load_events(tmp_path / "missing.csv")


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
    table = compare.sensitivity(
        docs, _events(), ["m1", "m2"], [3, 7], "obama", "trump1", n_resamples=200
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
    naive = compare.compare_frame(df, "score", "era", "obama", "trump1", n_resamples=500)
    record = compare.era_regression(df, "score", "obama", "trump1")
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
    record = compare.era_regression(df, "score", "obama", "trump1", controls=("source",))
    assert "confounded" in record["note"] and math.isnan(record["diff"])
    tiny = compare.era_regression(df.head(1), "score", "obama", "trump1")
    assert "at least 2" in tiny["note"]
    holes = _regression_frame().assign(score=lambda d: d["score"].where(d.index % 50 > 0))
    record = compare.era_regression(holes, "score", "obama", "trump1")
    assert "8 documents without a score value left out" in record["note"]
    assert record["n_a"] + record["n_b"] == 392 and np.isfinite(record["diff"])


def test_event_windows_on_the_shipped_corpus(corpus):
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
    windows = compare.event_windows(kremlin, compare.load_events(), window_days=7)
    assert (windows["days_from_meeting"].abs() <= 7).all()
    assert windows["doc_id"].is_unique
    meetings = set(windows["meeting"])
    assert "2017-07-07 Hamburg" in meetings and "2018-07-16 Helsinki" in meetings
    assert set(windows["meeting_era"]) >= {"obama", "trump1"}
    assert config.SEED == 20170707


def test_attach_scores_scores_each_distinct_text_once():
    calls: list[list[str]] = []

    def scorer(texts: list[str]) -> pd.DataFrame:
        calls.append(texts)
        return pd.DataFrame({"score": [float(len(t)) for t in texts]})

    units = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["xx", "yyy", "xx"]}, index=[5, 6, 7])
    out = compare.attach_scores(units, scorer)
    assert calls == [["xx", "yyy"]]
    assert out["score"].tolist() == [2.0, 3.0, 2.0] and list(out.index) == [5, 6, 7]
    with pytest.raises(ValueError, match="overwrite"):
        compare.attach_scores(out[["doc_id", "text", "score"]], scorer)


def test_attach_scores_leaves_missing_texts_unscored():
    """A missing text gets missing scores, not those of another text (factorize codes NaN -1)."""
    scored: list[list[str]] = []

    def scorer(texts: list[str]) -> pd.DataFrame:
        scored.append(texts)
        return pd.DataFrame({"score": [float(len(t)) for t in texts]})

    units = pd.DataFrame({"text": ["aa", None, "bbbb", float("nan")]})
    out = compare.attach_scores(units, scorer)
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
    out = compare.mention_sentences(df, RUSSIA_PATTERN)
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
    out = compare.same_weeks(df, df["outlet"])
    assert out["date"].dt.day.tolist() == [6, 12]
    assert out["week"].nunique() == 1


def test_bootstrap_diff_two_dimensional_matches_columns():
    rng = np.random.default_rng(4)
    a, b = rng.dirichlet([1, 2, 3], size=40), rng.dirichlet([3, 2, 1], size=30)
    low, high = compare.bootstrap_diff(a, b, n_resamples=300, seed=3)
    assert low.shape == (3,) and low[0] > 0 and high[2] < 0
    for j in range(3):
        assert compare.bootstrap_diff(a[:, j], b[:, j], n_resamples=300, seed=3) == pytest.approx(
            (low[j], high[j])
        )


def test_small_groups_are_flagged():
    record = compare.compare_groups([0.1, 0.2, 0.3], [0.5, 0.6, 0.8], n_resamples=200)
    assert "small group (n < 10)" in record["note"]
    big = compare.compare_groups(np.arange(12.0), np.arange(12.0) + 1, n_resamples=200)
    assert "small group" not in big["note"]


def test_describe_says_clear_only_when_interval_and_p_agree():
    base = {"group_a": "obama", "group_b": "trump1", "measure": "score", "n_a": 40, "n_b": 100}
    clear = {**base, "diff": 0.2, "ci_low": 0.1, "ci_high": 0.3, "p_value": 0.001, "note": ""}
    assert compare.describe(clear).startswith("trump1 scores higher than obama on score")
    holm = {**clear, "p_adjusted": 0.2}
    assert compare.describe(holm).startswith("no clear difference")
    assert "adjusted p = 0.2" in compare.describe(holm) and "adjusted" not in compare.describe(
        clear
    )
    straddle = {**clear, "ci_low": -0.1, "p_value": 0.3}
    assert compare.describe(straddle).startswith("no clear difference")
    untested = {**base, "diff": 0.1, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    assert compare.describe({**untested, "note": "obama has 1"}).startswith("too few documents")
    assert "obama has 1" in compare.describe({**untested, "note": "obama has 1"})
    missing = {**untested, "diff": np.nan, "note": "confounded"}
    assert (
        compare.describe(missing)
        == "trump1 vs obama (score): could not be estimated. Note: confounded."
    )


def test_plot_comparisons_flags_notes_and_survives_missing_intervals():
    import matplotlib

    matplotlib.use("Agg")
    rows = [
        compare.compare_groups(np.arange(12.0), np.arange(12.0) + 2, n_resamples=200),
        compare.compare_groups([0.3], [0.1, 0.2], group_a="tiny", n_resamples=200),
    ]
    ax = compare.plot_comparisons(pd.DataFrame(rows), title="test")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a vs b  (n=12/12)", "tiny vs b  (n=1/2) *"]
    assert ax.get_title() == "test" and ax.get_xlabel()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="statistic must be one of"):
        compare.compare_groups([1, 2], [3, 4], statistic="mode")
    with pytest.raises(ValueError, match="n_resamples must be at least 1"):
        compare.bootstrap_diff([1, 2], [3, 4], n_resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        compare.bootstrap_ci([1, 2, 3], confidence=95)
    with pytest.raises(ValueError, match="at least 2 documents"):
        compare.bootstrap_diff([1], [3, 4])
