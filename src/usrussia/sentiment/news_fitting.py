"""The recommended score refitted for news: the NYT ratings and NewsMTSC's training split.

``fit_news`` is what ``usrussia sentiment fit --news`` runs. The two sets are put on one
scale by a documented mapping: a NewsMTSC sentence's rating is ``scale`` times the mean
polarity of its targets (negative -1, neutral 0, positive +1: a sentence with one negative
target is rated ``-scale``, one with a negative and a neutral target ``-scale / 2``); the
NYT sentences keep their mean human rating (-4..+4). alpha and ``scale`` are chosen by
grouped cross-validation on the training data only (whole NYT editorials and whole
NewsMTSC articles held out). On the chosen ridge a news head learns the three classes
(``usrussia.sentiment.news_head``); its ``C`` and its weight in the score are chosen on the
same folds (``head_cross_val``, ``choose_head``): the best NewsMTSC macro-F1 out of fold
among the settings whose NYT r out of fold stays within ``NYT_R_TOLERANCE`` of the
NYT-only model's. So are the class boundaries the model is validated with (out of fold).
The held-out NewsMTSC splits are never read here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import pearsonr
from sklearn.model_selection import GroupKFold

from usrussia import config
from usrussia.io import progress as progress_bar
from usrussia.io import sha256_file
from usrussia.sentiment.classes import fit_boundaries, macro_f1
from usrussia.sentiment.features import prepare
from usrussia.sentiment.fitting import ALPHA_TIE, ALPHAS, _data_file
from usrussia.sentiment.model import MIN_DF, ToneRegressor, load_model
from usrussia.sentiment.news_head import design, fit_head
from usrussia.sentiment.newsmtsc import load_newsmtsc, sentences
from usrussia.sentiment.ratings import load_nyt_ratings
from usrussia.sentiment.targeted import choose_window, target_windows

SCALES = (1.0, 1.5, 2.0)  # the rating of a sentence whose targets are all positive
NEWS_FOLDS = 5
HEAD_CS = (0.3, 1.0, 3.0)  # the news head's inverse penalty
HEAD_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)  # its weight in the score (rating scale)
# How far below the NYT-only model's NYT r out of fold a setting may fall: about one
# standard error of such a difference (the ridge fitted with NewsMTSC minus the NYT-only
# model on these folds: 0.0052, paired bootstrap over the 498 editorials, 2,000 resamples).
NYT_R_TOLERANCE = 0.005


def joint_cross_val(
    features: pd.DataFrame,
    words: Sequence[Sequence[str]],
    y: np.ndarray,
    groups: np.ndarray,
    alpha: float,
    folds: int,
    extra: tuple[pd.DataFrame, list[list[str]], np.ndarray] | None = None,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Out-of-fold predictions with whole groups held out (``GroupKFold``, deterministic).

    Parameters
    ----------
    features, words, y
        The training sentences measured (``features.prepare``) and their ratings.
    groups : ndarray
        The group of each sentence (an editorial, an article).
    alpha : float
    folds : int
    extra : (features, words, groups), optional
        Other texts (target windows) predicted by the model of the fold that holds their
        group out.
    only : ndarray of bool, optional
        Fit each fold on these training rows only (all other rows still predicted).

    Returns
    -------
    oof : ndarray
        Each sentence's prediction by the model that did not see its group.
    extra_oof : ndarray or None
    """
    words = list(words)
    oof = np.empty(len(y))
    extra_oof = None if extra is None else np.empty(len(extra[2]))
    for train, test in GroupKFold(folds).split(y, groups=groups):
        if only is not None:
            train = train[only[train]]
        model = ToneRegressor(alpha=alpha).fit_features(
            features.iloc[train], [words[i] for i in train], y[train]
        )
        oof[test] = model.predict_features(features.iloc[test], [words[i] for i in test])
        if extra is not None:
            rows = np.flatnonzero(np.isin(extra[2], groups[test]))
            extra_words = [extra[1][i] for i in rows]
            extra_oof[rows] = model.predict_features(extra[0].iloc[rows], extra_words)
    return oof, extra_oof


def choose_setting(criterion: dict[tuple[float, float], float], tie: float = ALPHA_TIE) -> tuple:
    """The (alpha, scale) with the best criterion; near-ties (``tie``) to the smallest."""
    best = max(criterion.values())
    return min(k for k, v in criterion.items() if v >= best - tie)


def _r(predicted: np.ndarray, y: np.ndarray) -> float:
    return round(float(pearsonr(predicted, y)[0]), 4)


def head_cross_val(
    joint: tuple[pd.DataFrame, list[list[str]], np.ndarray, np.ndarray],
    alpha: float,
    folds: int,
    targets: tuple[np.ndarray, np.ndarray],
    extra: tuple[pd.DataFrame, list[list[str]], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, dict[float, tuple[np.ndarray, np.ndarray]]]:
    """Out-of-fold ridge predictions and news-head tones, on the folds of ``joint_cross_val``.

    Parameters
    ----------
    joint : (features, words, y, groups)
        The NYT and NewsMTSC training sentences, their ratings and groups.
    alpha : float
        The ridge's penalty.
    folds : int
    targets : (rows, labels)
        Each NewsMTSC training target's row in ``joint`` and its class.
    extra : (features, words, groups)
        The targets' windows, predicted by the fold that holds their group out.

    Returns
    -------
    ridge, ridge_extra : ndarray
        The ridge's out-of-fold predictions of the sentences and of the windows.
    tones : dict
        Per ``C`` of ``HEAD_CS``: the head's out-of-fold P(positive) - P(negative) of the
        sentences and of the windows.
    """
    features, words, y, groups = joint
    rows, labels = targets
    ridge, ridge_extra = np.empty(len(y)), np.empty(len(extra[2]))
    tones = {c: (np.empty(len(y)), np.empty(len(extra[2]))) for c in HEAD_CS}
    for train, test in GroupKFold(folds).split(y, groups=groups):
        model = ToneRegressor(alpha=alpha).fit_features(
            features.iloc[train], [words[i] for i in train], y[train]
        )
        held = np.flatnonzero(np.isin(extra[2], groups[test]))
        parts = [
            (test, features.iloc[test], [words[i] for i in test], 0),
            (held, extra[0].iloc[held], [extra[1][i] for i in held], 1),
        ]
        fit_rows = rows[np.isin(rows, train)]
        fit_labels = labels[np.isin(rows, train)]
        fit_words = [words[i] for i in fit_rows]
        inputs = [(where, design(model, f, w), f, w, k) for where, f, w, k in parts]
        for where, _, f, w, k in inputs:
            (ridge, ridge_extra)[k][where] = model.predict_features(f, w)
        for c in HEAD_CS:
            head = fit_head(model, features.iloc[fit_rows], fit_words, fit_labels, c)
            for where, x, _, _, k in inputs:
                tones[c][k][where] = head.tone(model, *x)
    return ridge, ridge_extra, tones


def choose_head(
    ridge: np.ndarray,
    tones: dict[float, np.ndarray],
    y_nyt: np.ndarray,
    targets: tuple[np.ndarray, np.ndarray],
    floor: float,
) -> tuple[tuple[float, float], dict[str, dict[str, float]]]:
    """The head's (C, weight): the best NewsMTSC macro-F1 with NYT r at least ``floor``.

    Each setting's score is ``ridge + weight x tone`` out of fold; its NewsMTSC macro-F1 is
    that of the class boundaries fitted on those same out-of-fold scores. Near-ties
    (``ALPHA_TIE``) go to the smallest weight, then the smallest C.

    Returns
    -------
    (C, weight)
    table : dict
        Per ``"C, weight"``: ``nyt_pearson_r`` and ``newsmtsc_macro_f1`` (4 decimals).
    """
    rows, labels = targets
    n_nyt, table, eligible = len(y_nyt), {}, {}
    for c, weight in itertools.product(HEAD_CS, HEAD_WEIGHTS):
        score = ridge + weight * tones[c]
        news = score[rows]
        f1 = macro_f1(labels, fit_boundaries(news, labels).classify(news))
        r = float(pearsonr(score[:n_nyt], y_nyt)[0])
        table[f"{c}, {weight}"] = {"nyt_pearson_r": round(r, 4), "newsmtsc_macro_f1": round(f1, 4)}
        if r >= floor:
            eligible[weight, c] = f1
    weight, c = choose_setting(eligible)
    return (c, weight), table


def fit_news(folds: int = NEWS_FOLDS, progress: bool = True) -> ToneRegressor:
    """Fit the recommended score on the NYT ratings and NewsMTSC's training split together.

    Each (alpha, scale) of ``ALPHAS`` x ``SCALES`` is cross-validated on the same grouped
    folds; the chosen one has the best mean of the NYT Pearson r and the NewsMTSC Pearson
    r out of fold. The NYT-only model is cross-validated on the same NYT folds for
    comparison. The sentence and target-window class boundaries are chosen on the
    out-of-fold NewsMTSC predictions (the window size by ``choose_window`` with the
    shipped NYT-only model, which never saw NewsMTSC).

    Parameters
    ----------
    folds : int
        Grouped CV folds.
    progress : bool
        Show a progress bar over the settings.

    Returns
    -------
    ToneRegressor
        Fitted on every NYT and NewsMTSC training sentence, its ``metadata_`` recording the
        data, the mapping, the CV figures and the class boundaries.
    """
    nyt, news = load_nyt_ratings(), load_newsmtsc("train")
    distinct, index = sentences(news)
    features, words = prepare([*nyt["sentence"], *distinct["sentence"]])
    n_nyt, y_nyt = len(nyt), nyt["rating"].to_numpy(np.float64)
    groups = np.array([*("nyt:" + nyt["article"]), *("newsmtsc:" + distinct["article"])])
    window, by_window = choose_window(load_model(), news)
    windows = prepare(target_windows(news["sentence"], news["start"], news["end"], window))
    extra = (*windows, groups[n_nyt:][index])
    criterion, runs = {}, {}
    settings = list(itertools.product(ALPHAS, SCALES))
    for alpha, scale in progress_bar(settings, desc="alpha, scale" if progress else None):
        y = np.concatenate([y_nyt, scale * distinct["polarity"].to_numpy(np.float64)])
        oof, oof_windows = joint_cross_val(features, words, y, groups, alpha, folds, extra)
        r_nyt, r_news = _r(oof[:n_nyt], y_nyt), _r(oof[n_nyt:], y[n_nyt:])
        criterion[alpha, scale] = (r_nyt + r_news) / 2
        runs[alpha, scale] = (y, oof, oof_windows, r_nyt, r_news)
    alpha, scale = choose_setting(criterion)
    y, _, _, r_nyt_ridge, r_news_ridge = runs[alpha, scale]
    is_nyt = np.arange(len(y)) < n_nyt
    nyt_alpha = load_model().alpha
    nyt_only, _ = joint_cross_val(features, words, y, groups, nyt_alpha, folds, only=is_nyt)
    floor = _r(nyt_only[:n_nyt], y_nyt) - NYT_R_TOLERANCE
    labels = news["polarity"].to_numpy()
    targets = (n_nyt + index, labels)
    ridge, ridge_windows, tones = head_cross_val(
        (features, words, y, groups), alpha, folds, targets, extra
    )
    sentence_tones = {k: v[0] for k, v in tones.items()}
    (c, weight), head_table = choose_head(ridge, sentence_tones, y_nyt, targets, floor)
    oof = ridge + weight * tones[c][0]
    oof_windows = ridge_windows + weight * tones[c][1]
    r_nyt, r_news = _r(oof[:n_nyt], y_nyt), _r(oof[n_nyt:], y[n_nyt:])
    sentence_classes = fit_boundaries(oof[n_nyt:][index], labels)
    target_classes = fit_boundaries(oof_windows, labels)
    model = ToneRegressor(alpha=alpha, min_df=MIN_DF).fit_features(features, words, y)
    if weight > 0:
        rows = n_nyt + index
        model.head_ = fit_head(
            model, features.iloc[rows], [words[i] for i in rows], labels, c, weight
        )
    model.metadata_ = {
        "data": _data(nyt, news, distinct, scale),
        "cv": {
            "folds": folds,
            "grouped_by": "NYT editorial and NewsMTSC article, GroupKFold",
            "criterion": "mean of the NYT and the NewsMTSC out-of-fold Pearson r",
            "nyt_pearson_r": r_nyt,
            "newsmtsc_pearson_r": r_news,
            "newsmtsc_macro_f1": head_table[f"{c}, {weight}"]["newsmtsc_macro_f1"],
            "ridge_nyt_pearson_r": r_nyt_ridge,
            "ridge_newsmtsc_pearson_r": r_news_ridge,
            "nyt_only_model_nyt_pearson_r": _r(nyt_only[:n_nyt], y_nyt),
            "nyt_only_model_newsmtsc_pearson_r": _r(nyt_only[n_nyt:], y[n_nyt:]),
            "criterion_by_alpha_scale": {
                f"{a}, {s}": round(v, 4) for (a, s), v in criterion.items()
            },
            "head": {
                "criterion": "NewsMTSC macro-F1 out of fold (targets, boundaries fitted on "
                "the same scores) among settings whose NYT r is at least nyt_r_floor",
                "nyt_r_floor": round(floor, 4),
                "C": c,
                "weight": weight,
                "by_c_weight": head_table,
            },
        },
        "classes": {
            "chosen_on": "NewsMTSC train, out of fold, max macro-F1 (per target)",
            "sentence": {"low": sentence_classes.low, "high": sentence_classes.high},
            "target": {"low": target_classes.low, "high": target_classes.high},
            "window": window,  # words each side of the mention; None: to the contrast breaks
            "train_macro_f1_by_window": by_window,
        },
        "lexicons": ["VADER (NLTK)", "AFINN-en-165", "pattern.en adjectives"],
        "command": "usrussia sentiment fit --news",
    }
    return model


def _data(nyt: pd.DataFrame, news: pd.DataFrame, distinct: pd.DataFrame, scale: float) -> dict:
    """The ``data`` block of the news model's metadata: files, sizes, the mapping."""
    train = config.NEWSMTSC_JSONL["train"]
    return {
        "nyt": {
            "file": _data_file(config.NYT_RATINGS),
            "sha256": sha256_file(config.NYT_RATINGS),
            "n": len(nyt),
            "source": "Hutto & Gilbert (2014), NYT editorial sentences, mean of 20 ratings",
        },
        "newsmtsc": {
            "file": _data_file(train),
            "sha256": sha256_file(train),
            "n": len(distinct),
            "n_targets": len(news),
            "source": "Hamborg & Donnay (EACL 2021), NewsMTSC train split",
            "mapping": "rating = scale x mean polarity of the sentence's targets "
            "(negative -1, neutral 0, positive +1)",
            "scale": scale,
        },
    }
