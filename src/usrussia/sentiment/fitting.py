"""Fitting the shipped model on the NYT ratings: cross-validation and the choice of alpha.

``fit`` is what ``usrussia sentiment fit`` runs: the sentences are measured once, each
alpha of ``ALPHAS`` is cross-validated on the same folds (``cross_val_scores``), the best
is chosen (``choose_alpha``) and the model is refitted on every rated sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import pearsonr, spearmanr
from sklearn.model_selection import GroupKFold, KFold

from usrussia import config
from usrussia.io import progress as progress_bar
from usrussia.io import sha256_file
from usrussia.sentiment.features import prepare
from usrussia.sentiment.model import MIN_DF, ToneRegressor
from usrussia.sentiment.ratings import load_nyt_ratings

# Fitting choices, made by 10-fold CV on the NYT ratings only (see ``fit``).
ALPHAS = (2.0, 3.0, 5.0)
ALPHA_TIE = 1e-6  # CV r closer than this to the best count as tied (see ``choose_alpha``)


def cross_val_scores(
    features: pd.DataFrame,
    words: Sequence[Sequence[str]],
    ratings: np.ndarray,
    alpha: float,
    folds: int = 10,
    seed: int = config.SEED,
    groups: Sequence[str] | None = None,
) -> np.ndarray:
    """Out-of-fold predictions of the recommended score on measured sentences.

    Parameters
    ----------
    features, words
        The sentences measured (``usrussia.sentiment.features.prepare``).
    ratings : ndarray
        Their ratings.
    alpha : float
        The ridge penalty.
    folds : int
        Shuffled ``folds``-fold CV (with ``seed``), or, with ``groups``, folds that keep
        each group (an editorial) whole, so that no fold is predicted from sentences of its
        own article.
    seed : int
    groups : sequence, optional

    Returns
    -------
    ndarray
        Each sentence's prediction by the model fitted on the other folds.
    """
    words = list(words)
    ratings = np.asarray(ratings, dtype=np.float64)
    splitter = (
        KFold(folds, shuffle=True, random_state=seed) if groups is None else GroupKFold(folds)
    )
    out = np.empty(len(ratings))
    for train, test in splitter.split(ratings, groups=groups):
        model = ToneRegressor(alpha=alpha).fit_features(
            features.iloc[train], [words[i] for i in train], ratings[train]
        )
        out[test] = model.predict_features(features.iloc[test], [words[i] for i in test])
    return out


def choose_alpha(cv_r: dict[float, float], tie: float = ALPHA_TIE) -> float:
    """The alpha with the best CV r, the smallest one among those within ``tie`` of the best.

    Differences below ``tie`` (1e-6, far below the 4 decimals reported) are ties, so the
    choice hinges on no difference in the last digits, which move across CPUs (by less
    than 1e-9 with ``fit_ridge``); a tie goes to the smallest penalty, whatever the order
    of ``cv_r``.

    Parameters
    ----------
    cv_r : dict
        alpha -> CV Pearson r.
    tie : float

    Returns
    -------
    float
        The chosen alpha.
    """
    best = max(cv_r.values())
    return min(a for a, r in cv_r.items() if r >= best - tie)


def _data_file(path: Path) -> str:
    """``path`` relative to the project root where it lies inside it."""
    path = Path(path)
    if path.is_relative_to(config.PROJECT_ROOT):
        return str(path.relative_to(config.PROJECT_ROOT))
    return str(path)


def fit(
    path: Path = config.NYT_RATINGS,
    folds: int = 10,
    seed: int = config.SEED,
    progress: bool = True,
) -> ToneRegressor:
    """Fit the recommended score on the NYT ratings only, choosing alpha by CV.

    alpha is the one of ``ALPHAS`` with the best shuffled ``folds``-fold CV Pearson r (the
    figure reported; near-ties by ``choose_alpha``); choosing among a few values on the
    same folds flatters it slightly. ``grouped_pearson_r`` is the stricter CV where whole
    editorials are held out.

    Parameters
    ----------
    path : Path
        The ratings file (``load_nyt_ratings``).
    folds, seed : int
        The cross-validation.
    progress : bool
        Show a progress bar over the alphas.

    Returns
    -------
    ToneRegressor
        Fitted on every rated sentence, its ``metadata_`` recording the data and CV figures.
    """
    ratings = load_nyt_ratings(path)
    features, words = prepare(ratings["sentence"].tolist())
    y = ratings["rating"].to_numpy()
    desc = "alpha" if progress else None
    oof = {
        a: cross_val_scores(features, words, y, a, folds, seed)
        for a in progress_bar(ALPHAS, desc=desc)
    }
    cv_r = {a: float(pearsonr(p, y)[0]) for a, p in oof.items()}
    alpha = choose_alpha(cv_r)
    grouped = cross_val_scores(features, words, y, alpha, folds, groups=ratings["article"])
    model = ToneRegressor(alpha=alpha, min_df=MIN_DF).fit_features(features, words, y)
    model.metadata_ = {
        "data": {
            "file": _data_file(path),
            "sha256": sha256_file(path),
            "n": len(y),
            "source": "Hutto & Gilbert (2014), NYT editorial sentences, mean of 20 ratings",
        },
        "cv": {
            "folds": folds,
            "seed": seed,
            "shuffle": True,
            "pearson_r": round(cv_r[alpha], 4),
            "spearman_r": round(float(spearmanr(oof[alpha], y)[0]), 4),
            "pearson_r_by_alpha": {str(a): round(r, 4) for a, r in cv_r.items()},
            "grouped_pearson_r": round(float(pearsonr(grouped, y)[0]), 4),
            "grouped_by": "editorial (id prefix), GroupKFold",
        },
        "lexicons": ["VADER (NLTK)", "AFINN-en-165", "pattern.en adjectives"],
        "command": "usrussia sentiment fit",
    }
    return model
