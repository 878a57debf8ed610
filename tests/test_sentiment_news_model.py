"""The score refitted for news (``usrussia sentiment fit --news``): the shipped JSON, its fit
reproduced by the command and on other CPUs, the grouped CV, and the ridge solver at the
size of the joint data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.io import sha256_file
from usrussia.sentiment import (
    ALPHAS,
    RIDGE_COEF_ERROR,
    SCALES,
    fit_ridge,
    joint_cross_val,
    load_model,
    load_newsmtsc,
    load_nyt_ratings,
    prepare,
    sentences,
    term_vectorizer,
)
from usrussia.sentiment.features import DENSE_FEATURES
from usrussia.sentiment.news_fitting import (
    HEAD_CS,
    HEAD_WEIGHTS,
    NYT_R_TOLERANCE,
    choose_setting,
)

REFIT_ATOL = 1e-6  # as for the NYT-only model (tests/test_sentiment_model.py)
OTHER_CPUS = {
    "haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "prescott": {"OPENBLAS_CORETYPE": "Prescott"},
    "one-thread": {"OPENBLAS_NUM_THREADS": "1"},
}


def _shipped_scale() -> float:
    return json.loads(config.MODEL_NEWS_JSON.read_text())["data"]["newsmtsc"]["scale"]


@pytest.fixture(scope="module")
def joint() -> tuple[pd.DataFrame, list[list[str]], np.ndarray, np.ndarray]:
    """The NYT and NewsMTSC training sentences measured, with the shipped mapping's ratings."""
    nyt, news = load_nyt_ratings(), load_newsmtsc("train")
    distinct, _ = sentences(news)
    features, words = prepare([*nyt["sentence"], *distinct["sentence"]])
    polarity = distinct["polarity"].to_numpy(np.float64)
    y = np.concatenate([nyt["rating"], _shipped_scale() * polarity])
    groups = np.array([*("nyt:" + nyt["article"]), *("newsmtsc:" + distinct["article"])])
    return features, words, y, groups


def test_ridge_converges_on_the_joint_data(joint) -> None:
    """The first setting of the grid (alpha 2, scale 1) on the 12,948 NYT + NewsMTSC
    sentences: the solver meets its bound (scikit-learn's kernel-form sparse_cg stopped at
    1.7e-8 > RIDGE_COEF_ERROR, whatever its tol, and ``fit --news`` failed), and the
    solution is a stationary point of the ridge objective."""
    features, words, y, _ = joint
    n_nyt = len(load_nyt_ratings())
    y = np.concatenate([y[:n_nyt], y[n_nyt:] * SCALES[0] / _shipped_scale()])
    dense = features[list(DENSE_FEATURES)].to_numpy(np.float64)
    dense = (dense - dense.mean(axis=0)) / np.where(dense.std(axis=0) == 0, 1, dense.std(axis=0))
    blocks = [term_vectorizer(None, (1, 2), min_df=2), term_vectorizer(4, (1, 1), min_df=2)]
    x = sparse.hstack([*(b.fit_transform(words) for b in blocks), sparse.csr_matrix(dense)])
    x = x.tocsr()
    fit = fit_ridge(x, y, ALPHAS[0])
    residual = y - fit.predict(x)
    assert abs(residual.sum()) < 1e-8 * len(y)  # the intercept's normal equation
    offset = np.asarray(x.mean(axis=0)).ravel()
    gradient = x.T @ residual - offset * residual.sum() - ALPHAS[0] * fit.coef_
    assert np.linalg.norm(gradient) / ALPHAS[0] <= RIDGE_COEF_ERROR


def test_shipped_news_model_records_its_fit() -> None:
    data = json.loads(config.MODEL_NEWS_JSON.read_text(encoding="utf-8"))
    assert data["command"] == "usrussia sentiment fit --news"
    for part in ("nyt", "newsmtsc"):
        source = data["data"][part]
        assert source["sha256"] == sha256_file(config.PROJECT_ROOT / source["file"])
    assert data["data"]["newsmtsc"]["file"] == "data/external/validation/newsmtsc/train.jsonl"
    assert data["data"]["newsmtsc"]["scale"] in SCALES
    cv = data["cv"]
    assert len(cv["criterion_by_alpha_scale"]) == 3 * len(SCALES)
    best = max(cv["criterion_by_alpha_scale"].values())
    chosen = f"{data['alpha']}, {data['data']['newsmtsc']['scale']}"
    assert cv["criterion_by_alpha_scale"][chosen] == pytest.approx(best, abs=1e-4)
    classes = data["classes"]
    for kind in ("sentence", "target"):
        assert classes[kind]["low"] <= classes[kind]["high"]
    head, floor = cv["head"], cv["nyt_only_model_nyt_pearson_r"] - NYT_R_TOLERANCE
    assert head["nyt_r_floor"] == pytest.approx(floor, abs=1e-4)
    assert len(head["by_c_weight"]) == len(HEAD_CS) * len(HEAD_WEIGHTS)
    eligible = {k: v for k, v in head["by_c_weight"].items() if v["nyt_pearson_r"] >= floor}
    best = max(v["newsmtsc_macro_f1"] for v in eligible.values())
    chosen = eligible[f"{head['C']}, {head['weight']}"]
    assert chosen["newsmtsc_macro_f1"] == pytest.approx(best, abs=1e-4)
    assert chosen["nyt_pearson_r"] == pytest.approx(cv["nyt_pearson_r"], abs=1e-4)
    model = load_model(config.MODEL_NEWS_JSON)
    assert (model.head_ is None) == (head["weight"] == 0)
    assert model.head_ is None or (model.head_.C, model.head_.weight) == (head["C"], head["weight"])
    assert model.to_json() == data
    assert load_model() is not model  # the shipped score is still the NYT-only model


def test_setting_choice_ignores_differences_below_the_tie() -> None:
    assert choose_setting({(3.0, 1.5): 0.5 + 5e-7, (2.0, 2.0): 0.5, (5.0, 1.0): 0.4}) == (2.0, 2.0)
    assert choose_setting({(3.0, 1.5): 0.5 + 2e-6, (2.0, 2.0): 0.5}) == (3.0, 1.5)


def test_joint_cross_val_holds_whole_groups_out(joint) -> None:
    """Every sentence is predicted once by a fold model that saw none of its group; with
    ``only`` a fold is fitted on those rows alone."""
    features, words, y, groups = joint
    keep = np.r_[0:400, 6000:6400]
    sub = features.iloc[keep].reset_index(drop=True), [words[i] for i in keep]
    oof, _ = joint_cross_val(*sub, y[keep], groups[keep], 3.0, folds=4)
    again, _ = joint_cross_val(*sub, y[keep], groups[keep], 3.0, folds=4)
    np.testing.assert_array_equal(oof, again)
    assert np.corrcoef(oof, y[keep])[0, 1] > 0.2
    only = np.arange(len(keep)) < 400
    nyt_only, _ = joint_cross_val(*sub, y[keep], groups[keep], 3.0, folds=4, only=only)
    assert not np.allclose(nyt_only, oof)


_REFIT = """
import json, sys
import numpy as np
from usrussia import config
from usrussia.sentiment import ToneRegressor, load_newsmtsc, load_nyt_ratings, prepare, sentences
from usrussia.sentiment.news_head import fit_head
data = json.loads(config.MODEL_NEWS_JSON.read_text())
news = load_newsmtsc("train")
nyt, (distinct, index) = load_nyt_ratings(), sentences(news)
features, words = prepare([*nyt["sentence"], *distinct["sentence"]])
scale = data["data"]["newsmtsc"]["scale"]
y = np.concatenate([nyt["rating"], scale * distinct["polarity"].to_numpy(float)])
model = ToneRegressor(alpha=data["alpha"]).fit_features(features, words, y)
if "head" in data:
    rows = len(nyt) + index
    labels = news["polarity"].to_numpy()
    model.head_ = fit_head(model, features.iloc[rows], [words[i] for i in rows], labels,
                           data["head"]["C"], data["head"]["weight"])
np.save(sys.argv[1], model.predict_features(features, words))
"""


@pytest.mark.parametrize("setting", OTHER_CPUS.values(), ids=OTHER_CPUS.keys())
def test_news_refit_is_the_same_on_other_cpus(joint, setting, tmp_path: Path) -> None:
    """The final fit under other BLAS kernels or one thread (a fresh process) predicts what
    the shipped news model does, to ``REFIT_ATOL``; a CPU that cannot run a kernel skips."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")} | setting
    out = tmp_path / "predictions.npy"
    proc = subprocess.run(
        [sys.executable, "-c", _REFIT, str(out)], env=env, capture_output=True, text=True
    )
    if proc.returncode == -signal.SIGILL:
        pytest.skip(f"this CPU cannot run OpenBLAS with {setting}")
    assert proc.returncode == 0, proc.stderr
    features, words, _, _ = joint
    shipped = load_model(config.MODEL_NEWS_JSON).predict_features(features, words)
    np.testing.assert_allclose(np.load(out), shipped, rtol=0, atol=REFIT_ATOL)


def test_fit_news_refuses_a_bad_output_before_fitting(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["sentiment", "fit", "--news", "--output", str(tmp_path / "m.txt")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def _numbers(data: dict) -> np.ndarray:
    dense = [v for name in sorted(data["dense"]) for v in data["dense"][name].values()]
    terms = [x for b in data["blocks"] for t in sorted(b["terms"]) for x in b["terms"][t]]
    head = data.get("head", {"intercept": [], "dense": {}, "terms": []})
    head_dense = [v for name in sorted(head["dense"]) for v in head["dense"][name]]
    head_terms = [x for b in head["terms"] for t in sorted(b) for x in b[t]]
    numbers = [data["intercept"], *dense, *terms, *head["intercept"], *head_dense, *head_terms]
    return np.array(numbers)


@pytest.mark.slow
def test_sentiment_fit_news_reproduces_the_shipped_json(tmp_path: Path) -> None:
    """``usrussia sentiment fit --news`` writes the shipped news model: the same choices,
    terms, CV figures (4 decimals) and boundaries, and the same numbers (7 digits)."""
    out = tmp_path / "news.json"
    result = CliRunner().invoke(app, ["sentiment", "fit", "--news", "--output", str(out)])
    assert result.exit_code == 0, result.output
    refit = json.loads(out.read_text(encoding="utf-8"))
    shipped = json.loads(config.MODEL_NEWS_JSON.read_text(encoding="utf-8"))
    assert refit["alpha"] == shipped["alpha"] and refit["data"] == shipped["data"]
    assert [sorted(b["terms"]) for b in refit["blocks"]] == [
        sorted(b["terms"]) for b in shipped["blocks"]
    ]
    head, shipped_head = refit["cv"]["head"], shipped["cv"]["head"]
    assert (head["C"], head["weight"]) == (shipped_head["C"], shipped_head["weight"])
    for setting, figures in shipped_head["by_c_weight"].items():
        for key, value in figures.items():
            assert head["by_c_weight"][setting][key] == pytest.approx(value, abs=1e-4), setting
    if "head" in shipped:
        assert [sorted(b) for b in refit["head"]["terms"]] == [
            sorted(b) for b in shipped["head"]["terms"]
        ]
        assert (refit["head"]["C"], refit["head"]["weight"]) == (
            shipped["head"]["C"],
            shipped["head"]["weight"],
        )
    for key, value in shipped["cv"].items():
        if isinstance(value, float):
            assert refit["cv"][key] == pytest.approx(value, abs=1e-4), key
    assert refit["classes"]["window"] == shipped["classes"]["window"]
    for kind in ("sentence", "target"):
        for edge in ("low", "high"):
            got, want = refit["classes"][kind][edge], shipped["classes"][kind][edge]
            assert got == pytest.approx(want, abs=1e-6)
    np.testing.assert_allclose(_numbers(refit), _numbers(shipped), rtol=1e-6, atol=RIDGE_COEF_ERROR)
