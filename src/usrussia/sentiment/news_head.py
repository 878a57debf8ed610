"""The news head of the score refitted for news: three classes learned over its features.

A ridge regression predicts one number; NewsMTSC's labels are three classes (negative,
neutral, positive) that a straight line through the features separates poorly. The head is
a multinomial logistic regression for those classes on the very features of the ridge (its
tf-idf bags of terms over the same vocabulary, its standardised dense features), fitted on
NewsMTSC's training targets; the model's score becomes

``score = ridge prediction + weight x (P(positive) - P(negative))``

with ``weight`` (on the rating scale) and the head's ``C`` chosen by grouped CV on training
data (``usrussia.sentiment.news_fitting``). It is solved by Newton-CG to a gradient of
``HEAD_TOL``, so a refit on another CPU gives the same probabilities to far below the
reported digits.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

if TYPE_CHECKING:
    from usrussia.sentiment.model import TermBlock, ToneRegressor

HEAD_CLASSES = (-1, 0, 1)  # negative, neutral, positive: the columns of every coefficient
HEAD_TOL = 1e-8  # Newton-CG stops when no entry of the objective's gradient exceeds this
HEAD_MAX_ITER = 100


def _round(x: float) -> float:
    """Seven significant digits, as the ridge's numbers in the JSON file."""
    return float(f"{float(x):.7g}")


def design(
    model: ToneRegressor, features: pd.DataFrame, words: Sequence[Sequence[str]]
) -> tuple[list[sparse.csr_matrix], np.ndarray]:
    """The model's inputs of each sentence: per bag of terms its tf-idf, and the dense
    features standardised with the model's means and scales (columns in ``dense_`` order)."""
    dense = np.column_stack(
        [(features[n].to_numpy(float) - d["mean"]) / d["scale"] for n, d in model.dense_.items()]
    )
    return [block.tfidf(list(words)) for block in model.blocks_], dense


@dataclass
class ClassHead:
    """A fitted news head: per class an intercept, dense and term coefficients.

    ``terms`` holds, per bag of terms of the model (in its order), the coefficients of the
    terms the head uses (terms never seen in its training targets have none).
    """

    weight: float
    C: float
    intercept: tuple[float, float, float]
    dense: dict[str, tuple[float, float, float]]
    terms: list[dict[str, tuple[float, float, float]]]

    @functools.cached_property
    def _term_matrices(self) -> dict[int, np.ndarray]:
        return {}

    def _term_matrix(self, block: TermBlock, k: int) -> np.ndarray:
        """The (terms x 3) coefficients of bag ``k`` over its block's sorted vocabulary."""
        if k not in self._term_matrices:
            coef = self.terms[k]
            zero = (0.0, 0.0, 0.0)
            self._term_matrices[k] = np.array([coef.get(t, zero) for t in sorted(block.terms)])
        return self._term_matrices[k]

    def probabilities(self, model: ToneRegressor, matrices: list, dense: np.ndarray) -> np.ndarray:
        """P(negative), P(neutral), P(positive) of each sentence (``design``'s inputs)."""
        dense_coef = np.array([self.dense[name] for name in model.dense_])
        logits = np.asarray(self.intercept) + dense @ dense_coef
        for k, (block, m) in enumerate(zip(model.blocks_, matrices, strict=True)):
            logits = logits + m @ self._term_matrix(block, k)
        return softmax(logits, axis=1)

    def tone(self, model: ToneRegressor, matrices: list, dense: np.ndarray) -> np.ndarray:
        """P(positive) - P(negative) of each sentence, in -1..+1."""
        p = self.probabilities(model, matrices, dense)
        return p[:, 2] - p[:, 0]

    def to_json(self) -> dict[str, Any]:
        """The head as plain JSON (terms sorted)."""
        return {
            "weight": self.weight,
            "C": self.C,
            "classes": list(HEAD_CLASSES),
            "intercept": list(self.intercept),
            "dense": {n: list(c) for n, c in self.dense.items()},
            "terms": [{t: list(c) for t, c in sorted(b.items())} for b in self.terms],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClassHead:
        """The head ``to_json`` wrote."""
        return cls(
            weight=float(data["weight"]),
            C=float(data["C"]),
            intercept=tuple(float(v) for v in data["intercept"]),
            dense={n: tuple(float(v) for v in c) for n, c in data["dense"].items()},
            terms=[{t: tuple(float(v) for v in c) for t, c in b.items()} for b in data["terms"]],
        )


def fit_head(
    model: ToneRegressor,
    features: pd.DataFrame,
    words: Sequence[Sequence[str]],
    labels: Any,
    C: float,
    weight: float = 1.0,
) -> ClassHead:
    """Fit the news head of a fitted ridge ``model`` on labelled sentences.

    Parameters
    ----------
    model : ToneRegressor
        The fitted ridge whose features the head reads.
    features, words
        The training targets' sentences, measured (``features.prepare``), one row per target.
    labels : array-like of -1, 0, +1
        Each target's class.
    C : float
        The inverse L2 penalty (scikit-learn's ``LogisticRegression``).
    weight : float
        The head's weight in the score.

    Returns
    -------
    ClassHead
        Its numbers to seven significant digits; terms with no weight are left out.
    """
    matrices, dense = design(model, features, words)
    x = sparse.hstack([*matrices, sparse.csr_matrix(dense)]).tocsr()
    fitted = LogisticRegression(C=C, solver="newton-cg", tol=HEAD_TOL, max_iter=HEAD_MAX_ITER).fit(
        x, np.asarray(labels)
    )
    if tuple(fitted.classes_) != HEAD_CLASSES:
        raise ValueError(f"the head needs the classes {HEAD_CLASSES}, got {fitted.classes_}")
    coef = fitted.coef_.T  # (features, 3)
    terms, offset = [], 0
    for block, m in zip(model.blocks_, matrices, strict=True):
        vocabulary = sorted(block.terms)
        part = coef[offset : offset + m.shape[1]]
        offset += m.shape[1]
        terms.append(
            {
                t: tuple(_round(v) for v in c)
                for t, c in zip(vocabulary, part, strict=True)
                if c.any()
            }
        )
    return ClassHead(
        weight=weight,
        C=C,
        intercept=tuple(_round(v) for v in fitted.intercept_),
        dense={
            n: tuple(_round(v) for v in c) for n, c in zip(model.dense_, coef[offset:], strict=True)
        },
        terms=terms,
    )
