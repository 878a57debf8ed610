"""Tests for usrussia.compare.resampling: intervals and p-values against scipy,
effect sizes and adjusted p-values against hand counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from usrussia.compare.records import compare_groups
from usrussia.compare.resampling import (
    adjust_pvalues,
    bootstrap_ci,
    bootstrap_diff,
    cliffs_delta,
    cohens_d,
    permutation_pvalue,
)


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
    ours = bootstrap_diff(a, b, statistic=statistic, n_resamples=20000, seed=1)
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
    ours = permutation_pvalue(a, b, n_resamples=20000, seed=4)
    ref = stats.permutation_test((a, b), _diff_mean, n_resamples=20000, vectorized=True, rng=5)
    assert 0.005 < ref.pvalue < 0.5, "the example should have a p-value away from 0 and 1"
    tolerance = 4 * math.sqrt(2 * ref.pvalue * (1 - ref.pvalue) / 20000)
    assert ours == pytest.approx(ref.pvalue, abs=tolerance)


def test_permutation_pvalue_exact_matches_scipy_exact():
    a, b = np.array([1.0, 2.0, 3.5, 4.0]), np.array([3.0, 5.0, 6.0, 9.0])
    ours = permutation_pvalue(a, b, n_resamples=1000)
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
        rejected += permutation_pvalue(a, b, n_resamples=999, seed=s) < 0.05
        low, high = bootstrap_diff(a, b, n_resamples=999, seed=s)
        covered += low <= 0.0 <= high
    # binomial tolerance around the nominal rates (two-sided test at 0.1%)
    assert stats.binomtest(int(rejected), seeds, 0.05).pvalue > 0.001, rejected
    assert stats.binomtest(int(covered), seeds, 0.95).pvalue > 0.001, covered


def test_effect_sizes_on_hand_examples():
    assert cohens_d([1, 2, 3], [4, 5, 6]) == pytest.approx(3.0)
    # variances 1 and 4 with n = 3 each: pooled sd sqrt(2.5); means 2 and 6
    assert cohens_d([1, 2, 3], [4, 6, 8]) == pytest.approx(4 / math.sqrt(2.5))
    assert cohens_d([4, 5, 6], [1, 2, 3]) == pytest.approx(-3.0)
    assert cliffs_delta([1, 2, 3], [4, 5, 6]) == 1.0
    # pairs (a, b): b > a in 6 of 9, b < a in 1 (b=2, a=3), ties in 2
    assert cliffs_delta([1, 2, 3], [2, 3, 4]) == pytest.approx(5 / 9)
    assert cliffs_delta([2, 3, 4], [1, 2, 3]) == pytest.approx(-5 / 9)
    assert math.isnan(cohens_d([1], [2, 3]))
    assert math.isnan(cohens_d([1, 1], [2, 2]))


def test_cliffs_delta_matches_pairwise_count():
    rng = np.random.default_rng(11)
    a, b = rng.integers(0, 5, 37), rng.integers(0, 5, 23)
    pairs = np.sign(b[None, :] - a[:, None])
    assert cliffs_delta(a, b) == pytest.approx(pairs.mean())


def test_holm_and_bh_against_hand_computed():
    p = [0.01, 0.04, 0.03, 0.005]
    assert adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_pvalues(p, "fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # untested comparisons stay NaN and do not count towards m
    out = adjust_pvalues([0.01, np.nan, 0.04], "holm")
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)


def test_stratified_bootstrap_keeps_stratum_sizes():
    # values constant within each stratum: a stratified resample always has the same mean
    a = np.array([0.0] * 5 + [1.0] * 15)
    strata = ["x"] * 5 + ["y"] * 15
    low, high = bootstrap_ci(a, strata=strata, n_resamples=500)
    assert low == pytest.approx(0.75) and high == pytest.approx(0.75)
    low, high = bootstrap_ci(a, n_resamples=500)
    assert low < 0.75 < high
    # one stratum is the same as no strata (same draws)
    b = np.random.default_rng(0).normal(size=30)
    assert bootstrap_ci(b, strata=["s"] * 30, n_resamples=300) == bootstrap_ci(b, n_resamples=300)


def test_bootstrap_ci_two_dimensional_resamples_rows():
    shares = np.random.default_rng(2).dirichlet([1, 2, 3], size=50)
    low, high = bootstrap_ci(shares, n_resamples=400, seed=9)
    assert low.shape == (3,) and (low < shares.mean(axis=0)).all()
    assert (shares.mean(axis=0) < high).all()
    # column j of the 2-D call equals the 1-D call on column j (the same rows drawn)
    for j in range(3):
        assert bootstrap_ci(shares[:, j], n_resamples=400, seed=9) == pytest.approx(
            (low[j], high[j])
        )


def test_bootstrap_diff_two_dimensional_matches_columns():
    rng = np.random.default_rng(4)
    a, b = rng.dirichlet([1, 2, 3], size=40), rng.dirichlet([3, 2, 1], size=30)
    low, high = bootstrap_diff(a, b, n_resamples=300, seed=3)
    assert low.shape == (3,) and low[0] > 0 and high[2] < 0
    for j in range(3):
        assert bootstrap_diff(a[:, j], b[:, j], n_resamples=300, seed=3) == pytest.approx(
            (low[j], high[j])
        )


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="statistic must be one of"):
        compare_groups([1, 2], [3, 4], statistic="mode")
    with pytest.raises(ValueError, match="n_resamples must be at least 1"):
        bootstrap_diff([1, 2], [3, 4], n_resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci([1, 2, 3], confidence=95)
    with pytest.raises(ValueError, match="at least 2 documents"):
        bootstrap_diff([1], [3, 4])
