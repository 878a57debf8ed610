"""Tests for usrussia.compare.records: comparison records (values, notes for bad
input, seeds), their table and their one-sentence reading."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from usrussia import config
from usrussia.compare import records as records_module
from usrussia.compare.records import (
    RECORD_FIELDS,
    compare_frame,
    compare_groups,
    comparison_table,
    describe,
)
from usrussia.compare.resampling import bootstrap_diff, permutation_pvalue
from usrussia.corpus.records import InputError


@pytest.fixture(scope="module")
def shifted() -> tuple[np.ndarray, np.ndarray]:
    """Synthetic tone scores with a known shift of 0.5 between the groups."""
    rng = np.random.default_rng(7)
    return rng.normal(0.0, 1.0, 80), rng.normal(0.5, 1.0, 60)


def test_true_difference_is_detected(shifted):
    a, b = shifted
    record = compare_groups(a, b, group_a="x", group_b="y", measure="score", seed=1)
    assert record["p_value"] < 0.05
    assert record["ci_low"] < record["diff"] < record["ci_high"]
    assert record["diff"] == pytest.approx(b.mean() - a.mean())
    assert record["diff_median"] == pytest.approx(np.median(b) - np.median(a))
    assert record["n_a"] == 80 and record["n_b"] == 60 and record["note"] == ""


def test_comparison_table_adds_adjusted_p_values():
    records = [
        compare_groups([0, 1, 2, 3], [1, 2, 3, 4], n_resamples=200),
        compare_groups([0, 1], [5], n_resamples=200),
    ]
    table = comparison_table(records, correction="holm")
    assert list(table.columns[: len(RECORD_FIELDS)]) == list(RECORD_FIELDS)
    assert table.loc[0, "p_adjusted"] == pytest.approx(table.loc[0, "p_value"])
    assert math.isnan(table.loc[1, "p_adjusted"])


def test_bad_input_gives_notes_not_crashes():
    tiny = compare_groups([0.2], [0.1, 0.3], group_a="obama", group_b="trump1")
    assert "obama has 1 document(s), need at least 2" in tiny["note"]
    assert math.isnan(tiny["ci_low"]) and math.isnan(tiny["p_value"])
    assert tiny["diff"] == pytest.approx(0.0)

    empty = compare_groups([], [0.1, 0.3], group_a="obama")
    assert "obama has 0 document(s)" in empty["note"] and math.isnan(empty["diff"])

    same = compare_groups([0.5, 0.5, 0.5], [0.5, 0.5])
    assert "all 5 values are identical" in same["note"]
    assert same["p_value"] == 1.0 and math.isnan(same["effect_size"])

    constant = compare_groups([0, 0, 0], [1, 1])
    assert "constant within each group" in constant["note"]
    assert constant["p_value"] == pytest.approx(0.1)  # 1 of the 10 splits is as extreme

    missing = compare_groups([0.1, np.nan, 0.3], [0.2, 0.4], group_a="x", measure="score")
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
    record = compare_frame(df, "score", "era", "obama", "trump1", strata="source")
    assert record["n_a"] == 3 and record["n_b"] == 2
    assert "1 documents without a era" in record["note"]
    with pytest.raises(InputError, match="tone"):
        compare_frame(df, "tone", "era", "obama", "trump1")


def test_determinism_for_a_fixed_seed(shifted):
    a, b = shifted
    first = compare_groups(a, b, seed=42, n_resamples=500)
    assert compare_groups(a, b, seed=42, n_resamples=500) == first
    other = compare_groups(a, b, seed=43, n_resamples=500)
    assert other["ci_low"] != first["ci_low"]
    assert bootstrap_diff(a, b, seed=42, n_resamples=300) == bootstrap_diff(
        a, b, seed=42, n_resamples=300
    )


def test_default_seed_is_the_project_seed_and_reproducible(shifted):
    """Without ``seed`` every random step uses ``config.SEED``: a rerun gives the same
    figures, and another seed moves the resampled ones (not the observed difference)."""
    a, b = shifted
    default = compare_groups(a, b, n_resamples=300)
    assert compare_groups(a, b, n_resamples=300) == default
    assert compare_groups(a, b, n_resamples=300, seed=config.SEED) == default
    moved = compare_groups(a, b, n_resamples=300, seed=config.SEED + 1)
    assert moved["ci_low"] != default["ci_low"] and moved["diff"] == default["diff"]
    b = b - 0.5  # no true shift, so the p-value is far from its floor and can move
    for fn in (bootstrap_diff, permutation_pvalue):
        assert fn(a, b, n_resamples=300) == fn(a, b, n_resamples=300, seed=config.SEED)
        assert fn(a, b, n_resamples=300) != fn(a, b, n_resamples=300, seed=config.SEED + 1)


def test_package_reexports_the_public_api():
    """``from usrussia.compare import name`` works for every public name of its modules."""
    import usrussia.compare as package
    from usrussia.compare import events, regression, resampling, units

    for module in (events, records_module, regression, resampling, units):
        public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")]
        own = [n for n in public if getattr(vars(module)[n], "__module__", "") == module.__name__]
        missing = [n for n in own if n not in package.__all__]
        assert not missing, f"{module.__name__} names not re-exported: {missing}"
    assert all(getattr(package, n) is not None for n in package.__all__)
    assert not hasattr(package, "plot_comparisons")  # plots come after compare


def test_small_groups_are_flagged():
    record = compare_groups([0.1, 0.2, 0.3], [0.5, 0.6, 0.8], n_resamples=200)
    assert "small group (n < 10)" in record["note"]
    big = compare_groups(np.arange(12.0), np.arange(12.0) + 1, n_resamples=200)
    assert "small group" not in big["note"]


def test_describe_says_clear_only_when_interval_and_p_agree():
    base = {"group_a": "obama", "group_b": "trump1", "measure": "score", "n_a": 40, "n_b": 100}
    clear = {**base, "diff": 0.2, "ci_low": 0.1, "ci_high": 0.3, "p_value": 0.001, "note": ""}
    assert describe(clear).startswith("trump1 scores higher than obama on score")
    holm = {**clear, "p_adjusted": 0.2}
    assert describe(holm).startswith("no clear difference")
    assert "adjusted p = 0.2" in describe(holm) and "adjusted" not in describe(clear)
    straddle = {**clear, "ci_low": -0.1, "p_value": 0.3}
    assert describe(straddle).startswith("no clear difference")
    untested = {**base, "diff": 0.1, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    assert describe({**untested, "note": "obama has 1"}).startswith("too few documents")
    assert "obama has 1" in describe({**untested, "note": "obama has 1"})
    missing = {**untested, "diff": np.nan, "note": "confounded"}
    assert describe(missing) == "trump1 vs obama (score): could not be estimated. Note: confounded."


def test_describe_says_whether_the_interval_includes_no_difference():
    base = {"group_a": "obama", "group_b": "trump1", "measure": "score", "n_a": 37, "n_b": 109}
    straddle = {**base, "diff": 0.03, "ci_low": -0.05, "ci_high": 0.11, "p_value": 0.4}
    assert describe(straddle) == (
        "no clear difference between trump1 and obama on score: trump1 scores 0.030 higher;"
        " the 95% interval, -0.050 to +0.110, includes no difference (p = 0.4;"
        " n = 37 obama, 109 trump1)."
    )
    clear = {**base, "diff": -0.2, "ci_low": -0.3, "ci_high": -0.1, "p_value": 0.001}
    assert "rules out no difference" in describe(clear)
    assert describe(clear).startswith("trump1 scores lower than obama on score, by 0.200;")
    held = {**clear, "controls": "week, log1p(n_words)", "p_adjusted": 0.2}
    assert "with week, log1p(n_words) held constant" in describe(held)
    assert "but adjusted p = 0.2 is not below 0.05" in describe(held)
    assert "held constant" not in describe({**clear, "controls": float("nan")})
