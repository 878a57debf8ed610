"""The news head of the score refitted for news (``usrussia.sentiment.news_head``): its
probabilities by hand, its fit against scikit-learn's, its JSON, and the CV choice of its
C and weight under the NYT floor (``news_fitting.choose_head``)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from usrussia.sentiment import ToneRegressor, load_newsmtsc, prepare, sentences
from usrussia.sentiment.news_fitting import HEAD_CS, HEAD_WEIGHTS, choose_head
from usrussia.sentiment.news_head import HEAD_TOL, ClassHead, design, fit_head

N_SENTENCES = 1200  # a slice of NewsMTSC's training split: real sentences, a quick fit


@pytest.fixture(scope="module")
def news() -> tuple[ToneRegressor, pd.DataFrame, list[list[str]], np.ndarray]:
    """A ridge fitted on the first sentences of the training split, and their targets."""
    frame = load_newsmtsc("train")
    distinct, index = sentences(frame)
    keep = index < N_SENTENCES
    features, words = prepare(distinct["sentence"].iloc[:N_SENTENCES].tolist())
    polarity = distinct["polarity"].to_numpy(np.float64)[:N_SENTENCES]
    model = ToneRegressor(alpha=5.0).fit_features(features, words, 1.5 * polarity)
    rows = index[keep]
    targets = features.iloc[rows].reset_index(drop=True), [words[i] for i in rows]
    return model, *targets, frame["polarity"].to_numpy()[keep]


def _hand_head(model: ToneRegressor, intercept: tuple[float, float, float]) -> ClassHead:
    zero = (0.0, 0.0, 0.0)
    return ClassHead(2.0, 1.0, intercept, dict.fromkeys(model.dense_, zero), [{}, {}])


def test_head_tone_by_hand(news) -> None:
    """With only intercepts the class probabilities are a softmax of them: logits (0, 0,
    ln 3) give P = (1/5, 1/5, 3/5), so the tone is 3/5 - 1/5 = 0.4 and the score is the
    ridge's prediction + weight 2 x 0.4."""
    model, features, words, _ = news
    ridge = model.predict_features(features, words)
    with_head = ToneRegressor.from_json(model.to_json())
    with_head.head_ = _hand_head(model, (0.0, 0.0, float(np.log(3.0))))
    np.testing.assert_allclose(
        with_head.head_.probabilities(model, *design(model, features, words)),
        np.tile([0.2, 0.2, 0.6], (len(words), 1)),
    )
    np.testing.assert_allclose(with_head.predict_features(features, words), ridge + 0.8)
    with_head.head_ = _hand_head(model, (1.0, 0.5, 1.0))  # negative and positive equally likely
    np.testing.assert_allclose(with_head.predict_features(features, words), ridge, atol=1e-12)


def test_fit_head_is_scikit_learns_multinomial_fit(news) -> None:
    """The head holds scikit-learn's fit on the model's own features (to its 7 digits), in
    class order -1, 0, +1, and only the terms of the sentences it was fitted on."""
    model, features, words, labels = news
    features, words, labels = features.iloc[:400], words[:400], labels[:400]
    head = fit_head(model, features, words, labels, C=1.0)
    matrices, dense = design(model, features, words)
    x = sparse.hstack([*matrices, sparse.csr_matrix(dense)]).tocsr()
    reference = LogisticRegression(C=1.0, solver="newton-cg", tol=HEAD_TOL).fit(x, labels)
    expected = reference.predict_proba(x)
    np.testing.assert_allclose(head.probabilities(model, matrices, dense), expected, atol=1e-5)
    seen = {w for sentence in words for w in sentence}
    assert head.terms[0] and all(set(t.split(" ")) <= seen for t in head.terms[0])
    assert len(head.terms[0]) < len(model.blocks_[0].terms)


def test_model_with_a_head_round_trips_through_json(news) -> None:
    model, features, words, labels = news
    assert "head" not in model.to_json()  # a model without a head writes what it always did
    fitted = ToneRegressor.from_json(model.to_json())
    fitted.head_ = fit_head(model, features, words, labels, C=1.0, weight=1.5)
    data = json.loads(json.dumps(fitted.to_json(), sort_keys=True))
    again = ToneRegressor.from_json(data)
    assert again.head_ == fitted.head_ and again.to_json() == data
    np.testing.assert_allclose(  # the same sums, in the JSON's (sorted) order
        again.predict_features(features, words),
        fitted.predict_features(features, words),
        rtol=0,
        atol=1e-12,
    )
    assert not np.allclose(
        fitted.predict_features(features, words), model.predict_features(features, words)
    )


def test_choose_head_keeps_nyt_above_the_floor() -> None:
    """Four NYT and six news targets by hand. The head separates the news classes only
    at weight 3 (negative ``1 - w, -w`` below neutral ``2, -1`` below positive ``3 + w,
    0.5 + w`` needs w > 2), where it turns the NYT scores against the ratings (``-2 + w,
    -1 + w, 1 - w, 2 - w``): without a floor weight 3 wins (the smallest C of the tie);
    with a floor the best weight that keeps the NYT r above it (ties: the smallest)."""
    y_nyt = np.array([-2.0, -1.0, 1.0, 2.0])
    ridge = np.array([-2.0, -1.0, 1.0, 2.0, 1.0, 0.0, 2.0, -1.0, 3.0, 0.5])
    tone = np.array([1.0, 1.0, -1.0, -1.0, -1.0, -1.0, 0.0, 0.0, 1.0, 1.0])
    rows, labels = np.arange(4, 10), np.array([-1, -1, 0, 0, 1, 1])
    tones = dict.fromkeys(HEAD_CS, tone)
    (c, weight), table = choose_head(ridge, tones, y_nyt, (rows, labels), floor=-1.0)
    assert (c, weight) == (HEAD_CS[0], 3.0) and HEAD_WEIGHTS[-1] == 3.0
    assert table[f"{c}, 3.0"] == {"nyt_pearson_r": pytest.approx(-0.8), "newsmtsc_macro_f1": 1.0}
    assert all(v["newsmtsc_macro_f1"] < 1 for k, v in table.items() if not k.endswith("3.0"))
    assert choose_head(ridge, tones, y_nyt, (rows, labels), floor=-0.5)[0] == (HEAD_CS[0], 2.0)
    assert table[f"{c}, 2.0"]["nyt_pearson_r"] == pytest.approx(-0.4472, abs=1e-4)
    assert choose_head(ridge, tones, y_nyt, (rows, labels), floor=0.9)[0] == (HEAD_CS[0], 0.0)
