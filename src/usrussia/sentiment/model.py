"""The recommended score as a scikit-learn estimator, ``ToneRegressor``: its one home.

``score = intercept + sum_k coef_k (x_k - mean_k) / scale_k + sum_t weight_t tfidf_t``: a
ridge regression (``usrussia.sentiment.ridge.fit_ridge``) on the standardised dense
features of a sentence (``usrussia.sentiment.features.DENSE_FEATURES``) and on, per bag
of terms (words and word pairs; word prefixes), the sublinear, L2-normalised tf-idf of
the sentence over the fitted vocabulary. Every number serialises to plain JSON
(``to_json``, ``from_json``; no pickle): ``data/external/sentiment_model.json`` is the
shipped fit, which ``usrussia sentiment fit`` writes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from usrussia import config
from usrussia.sentiment.features import DENSE_FEATURES, PREFIX_LENGTH, prepare, term_vectorizer
from usrussia.sentiment.news_head import ClassHead, design
from usrussia.sentiment.ridge import fit_ridge

ALPHA = 3.0  # the default penalty; ``usrussia sentiment fit`` chooses it by CV
MIN_DF = 2  # a term must occur in this many training sentences
# (name, word prefix length or None for words, n-gram range) of each bag of terms
TERM_BLOCKS: tuple[tuple[str, int | None, tuple[int, int]], ...] = (
    ("words", None, (1, 2)),
    ("prefixes", PREFIX_LENGTH, (1, 1)),
)
DESCRIPTION = (
    "usrussia recommended news-tone score: ridge regression predicting the mean "
    "human rating (-4..+4) of a sentence; see usrussia.sentiment.ToneRegressor"
)


def _round(x: float) -> float:
    """Seven significant digits: plain, stable numbers in the JSON file."""
    return float(f"{float(x):.7g}")


@dataclass
class TermBlock:
    """One fitted bag of terms: its tokenisation and, per term, its idf and weight."""

    name: str
    prefix: int | None
    ngram_range: tuple[int, int]
    terms: dict[str, tuple[float, float]]  # term -> (idf, weight)

    @functools.cached_property
    def _prepared(self) -> tuple[TfidfVectorizer, np.ndarray]:
        vocabulary = sorted(self.terms)
        vectorizer = term_vectorizer(self.prefix, self.ngram_range, vocabulary=vocabulary)
        vectorizer.idf_ = np.array([self.terms[t][0] for t in vocabulary])
        return vectorizer, np.array([self.terms[t][1] for t in vocabulary])

    def tfidf(self, words: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """The tf-idf of the block's terms (columns: the sorted terms), per tokenised sentence."""
        return self._prepared[0].transform(words)

    def contribution(self, words: Sequence[Sequence[str]]) -> np.ndarray:
        """Sum of weight x tf-idf over the block's terms, per tokenised sentence."""
        return self.tfidf(words) @ self.weights

    @property
    def weights(self) -> np.ndarray:
        """The weight of each term, in the order of ``tfidf``'s columns."""
        return self._prepared[1]

    def to_json(self) -> dict[str, Any]:
        """The block as plain JSON (terms sorted)."""
        return {
            "name": self.name,
            "prefix": self.prefix,
            "ngram_range": list(self.ngram_range),
            "terms": {t: list(v) for t, v in sorted(self.terms.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TermBlock:
        """The block ``to_json`` wrote."""
        return cls(
            name=data["name"],
            prefix=data["prefix"],
            ngram_range=tuple(data["ngram_range"]),
            terms={t: (float(v[0]), float(v[1])) for t, v in data["terms"].items()},
        )


def _sentences(X: Any) -> list[str]:
    """``X`` as a list of sentences; raises ``ValueError`` for anything but strings."""
    if isinstance(X, str):
        raise ValueError("X must be a sequence of sentences, not one string")
    sentences = list(X)
    bad = next((s for s in sentences if not isinstance(s, str)), None)
    if bad is not None:
        raise ValueError(f"X must hold sentences (str), got {type(bad).__name__}")
    return sentences


class ToneRegressor(RegressorMixin, BaseEstimator):
    """The recommended news-tone score: predicts the mean human rating (-4..+4) of a sentence.

    Parameters
    ----------
    alpha : float
        The ridge penalty.
    min_df : int
        The number of training sentences a term must occur in.
    term_blocks : tuple of (str, int or None, (int, int))
        Per bag of terms: its name, the word prefix length (None: words and word n-grams)
        and the n-gram range.

    Attributes
    ----------
    intercept_ : float
    dense_ : dict
        Per dense feature: ``mean``, ``scale`` and ``coef``.
    blocks_ : list of TermBlock
    head_ : ClassHead or None
        The news head (``usrussia.sentiment.news_head``) of a model fitted for news,
        whose ``weight x (P(positive) - P(negative))`` is added to the ridge's prediction.
    metadata_ : dict
        How the model was fitted (data, CV figures), as written to the JSON.
    """

    def __init__(
        self,
        alpha: float = ALPHA,
        min_df: int = MIN_DF,
        term_blocks: tuple[tuple[str, int | None, tuple[int, int]], ...] = TERM_BLOCKS,
    ) -> None:
        self.alpha = alpha
        self.min_df = min_df
        self.term_blocks = term_blocks

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def fit(self, X: Sequence[str], y: Any) -> ToneRegressor:
        """Fit on sentences and their ratings.

        Parameters
        ----------
        X : sequence of str
            The sentences.
        y : array-like of float, (n_sentences,)
            Their ratings (the mean human rating, -4..+4).

        Returns
        -------
        ToneRegressor
            self, fitted.
        """
        features, words = prepare(_sentences(X))
        return self.fit_features(features, words, y)

    def fit_features(
        self, features: pd.DataFrame, words: Sequence[Sequence[str]], y: Any
    ) -> ToneRegressor:
        """``fit`` on sentences already measured (``usrussia.sentiment.features.prepare``).

        Deterministic and the same on every CPU (``fit_ridge``). Returns self, fitted.
        """
        words = list(words)
        y = np.asarray(y, dtype=np.float64)
        if y.shape != (len(words),) or len(features) != len(words):
            raise ValueError(f"{len(words)} sentences, {len(features)} rows, y of {y.shape}")
        dense = features[list(DENSE_FEATURES)].to_numpy(np.float64)
        mean, scale = dense.mean(axis=0), dense.std(axis=0)
        scale[scale == 0] = 1.0
        vectorizers = [
            term_vectorizer(prefix, ngram_range, min_df=self.min_df)
            for _, prefix, ngram_range in self.term_blocks
        ]
        matrices = [v.fit_transform(words) for v in vectorizers]
        x = sparse.hstack([*matrices, sparse.csr_matrix((dense - mean) / scale)]).tocsr()
        ridge = fit_ridge(x, y, self.alpha)
        self.blocks_, offset = [], 0
        for (name, prefix, ngram_range), v in zip(self.term_blocks, vectorizers, strict=True):
            vocabulary = v.get_feature_names_out()
            coef = ridge.coef_[offset : offset + len(vocabulary)]
            offset += len(vocabulary)
            terms = {
                t: (_round(i), _round(c)) for t, i, c in zip(vocabulary, v.idf_, coef, strict=True)
            }
            self.blocks_.append(TermBlock(name, prefix, tuple(ngram_range), terms))
        self.intercept_ = _round(ridge.intercept_)
        self.dense_ = {
            name: {"mean": _round(m), "scale": _round(s), "coef": _round(c)}
            for name, m, s, c in zip(DENSE_FEATURES, mean, scale, ridge.coef_[offset:], strict=True)
        }
        self.head_: ClassHead | None = None
        self.metadata_ = {}
        return self

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """Predicted mean human rating (-4..+4) of each sentence.

        Parameters
        ----------
        X : sequence of str
            The sentences.

        Returns
        -------
        ndarray of float, (n_sentences,)
        """
        check_is_fitted(self, "blocks_")
        features, words = prepare(_sentences(X))
        return self.predict_features(features, words)

    def predict_features(
        self, features: pd.DataFrame, words: Sequence[Sequence[str]]
    ) -> np.ndarray:
        """``predict`` on sentences already measured (``features.prepare``)."""
        check_is_fitted(self, "blocks_")
        out = np.full(len(features), self.intercept_, dtype=np.float64)
        for name, d in self.dense_.items():
            out += d["coef"] * (features[name].to_numpy(float) - d["mean"]) / d["scale"]
        if not len(words):
            return out
        if self.head_ is None:
            for block in self.blocks_:
                out += block.contribution(words)
            return out
        matrices, dense = design(self, features, words)
        for block, matrix in zip(self.blocks_, matrices, strict=True):
            out += matrix @ block.weights
        return out + self.head_.weight * self.head_.tone(self, matrices, dense)

    def to_json(self) -> dict[str, Any]:
        """The fitted model as plain JSON: parameters, ``metadata_`` and every number."""
        check_is_fitted(self, "blocks_")
        return {
            "description": DESCRIPTION,
            **self.metadata_,
            "alpha": self.alpha,
            "min_df": self.min_df,
            "intercept": self.intercept_,
            "dense": self.dense_,
            "blocks": [b.to_json() for b in self.blocks_],
            **({} if self.head_ is None else {"head": self.head_.to_json()}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ToneRegressor:
        """The fitted model ``to_json`` wrote.

        Parameters
        ----------
        data : dict
            The parsed JSON.

        Returns
        -------
        ToneRegressor
            Fitted; other keys of ``data`` are kept in ``metadata_``.
        """
        blocks = [TermBlock.from_json(b) for b in data["blocks"]]
        model = cls(
            alpha=float(data["alpha"]),
            min_df=int(data["min_df"]),
            term_blocks=tuple((b.name, b.prefix, b.ngram_range) for b in blocks),
        )
        model.intercept_ = float(data["intercept"])
        dense = data["dense"].items()
        model.dense_ = {name: {k: float(v) for k, v in d.items()} for name, d in dense}
        model.blocks_ = blocks
        model.head_ = ClassHead.from_json(data["head"]) if "head" in data else None
        own = ("description", "alpha", "min_df", "intercept", "dense", "blocks", "head")
        model.metadata_ = {k: v for k, v in data.items() if k not in own}
        return model


@functools.lru_cache(maxsize=1)
def load_model(path: Path = config.MODEL_JSON) -> ToneRegressor:
    """The shipped recommended-score model.

    Parameters
    ----------
    path : Path
        A JSON file written by ``ToneRegressor.to_json`` (default: the shipped one).

    Returns
    -------
    ToneRegressor
        Fitted.
    """
    return ToneRegressor.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
