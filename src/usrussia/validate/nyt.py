"""The worked example: 5,190 NYT editorial sentences rated by 20 people each (Hutto & Gilbert 2014).

``nytEditorialSnippets_anonDataRatings.txt`` holds every sentence's 20 individual ratings on
-4..+4; their mean is the ground truth that notebook 02 validates the measures against.
Here the raters' own reliability is measured (interval alpha: the rating positions are not
the same people across sentences, which alpha does not need), and each measure's agreement
with the raters' mean, beside a single human rater's agreement with the mean of the other 19.
The recommended ``score`` was fitted on these sentences, so it is predicted out of fold with
whole editorials held out (a sentence is never scored by a model that saw its editorial).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import pearsonr

from usrussia import config
from usrussia.sentiment import (
    cross_val_scores,
    load_model,
    load_nyt_ratings,
    mask_names,
    sentence_features,
    tokenize,
)
from usrussia.validate.agreement import (
    CONFIDENCE,
    N_RESAMPLES,
    krippendorff_alpha,
    reliability,
)
from usrussia.validate.machine import MEASURE_RANGES
from usrussia.validate.machine_agreement import (
    consensus,
    machine_agreement,
    rounded,
)

N_RATERS = 20
RATING_CODES = tuple(float(c) for c in range(-4, 5))
MEASURES = ("score", "vader_compound", "lexicon_tone")
FOLDS = 5


def load_rater_matrix(path: Path = config.NYT_RATERS) -> pd.DataFrame:
    """One row per sentence: ``id`` and the 20 ratings ``rating_1`` .. ``rating_20``.

    The file is tab-separated: id, mean, standard deviation, and the ratings as a JSON
    list. Raises ``ValueError`` when a line does not hold 20 ratings on -4..+4 whose mean
    is the stated one.
    """
    rows = []
    for lineno, line in enumerate(Path(path).read_text(encoding="latin-1").splitlines(), 1):
        sentence, mean, _, ratings = line.split("\t")
        values = json.loads(ratings)
        if len(values) != N_RATERS or not set(values) <= set(range(-4, 5)):
            raise ValueError(f"{path} line {lineno}: expected {N_RATERS} ratings on -4..4")
        if abs(np.mean(values) - float(mean)) > 1e-9:
            raise ValueError(f"{path} line {lineno}: the ratings' mean is not {mean}")
        rows.append([sentence, *values])
    columns = ["id", *(f"rating_{i}" for i in range(1, N_RATERS + 1))]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[1:]] = frame[columns[1:]].astype(np.float64)
    return frame


def nyt_measures(
    ratings: pd.DataFrame, folds: int = FOLDS, seed: int = config.SEED
) -> pd.DataFrame:
    """The measures of each rated sentence; ``score`` out of fold, editorials held out whole."""
    masked = mask_names(ratings["sentence"].tolist())
    words = tokenize(masked)
    features = sentence_features(masked, words)
    y = ratings["rating"].to_numpy(np.float64)
    alpha = load_model().alpha
    score = cross_val_scores(features, words, y, alpha, folds, seed, groups=ratings["article"])
    return pd.DataFrame(
        {
            "score": score,
            "vader_compound": features["vader_compound"].to_numpy(float),
            "lexicon_tone": features["lexicon_tone"].to_numpy(float),
        }
    )


def single_raters(matrix: np.ndarray) -> pd.DataFrame:
    """Each rating position's agreement with the mean of the other 19 ratings.

    Columns ``rater`` (position), ``alpha`` (interval) and ``pearson_r``: the benchmark a
    measure is held to, since a measure is compared with the mean of the raters too.
    """
    rows = []
    for j in range(matrix.shape[1]):
        others = np.delete(matrix, j, axis=1).mean(axis=1)
        pair = np.column_stack([matrix[:, j], others])
        r = pearsonr(matrix[:, j], others)[0]
        rows.append({"rater": j + 1, "alpha": krippendorff_alpha(pair, "interval"), "pearson_r": r})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class WorkedExample:
    """The raters' reliability, each measure's agreement with them, and the per-sentence data."""

    raters: dict[str, Any]
    single: pd.DataFrame
    measures: dict[str, dict[str, Any]]
    data: pd.DataFrame
    folds: int

    def table(self) -> pd.DataFrame:
        """One row per measure and one for a single human rater, for display.

        A measure's ``interval`` is its bootstrap interval; the human row shows the range of
        the 20 rating positions instead.
        """
        rows = [
            {
                "measure": name,
                "sentences": m["n"],
                "pearson_r": m["pearson_r"],
                "alpha": m["alpha"],
                "interval": "[{:.3f}, {:.3f}]".format(*m["interval"]),
                "exact": m["exact"],
            }
            for name, m in self.measures.items()
        ]
        alphas = self.single["alpha"]
        rows.append(
            {
                "measure": "a single human rater",
                "sentences": len(self.data),
                "pearson_r": self.single["pearson_r"].mean(),
                "alpha": alphas.mean(),
                "interval": f"{alphas.min():.3f}-{alphas.max():.3f} (range)",
                "exact": np.nan,
            }
        )
        return pd.DataFrame(rows)

    def block(self) -> dict[str, Any]:
        """The worked example's figures for ``metrics.json`` (rounded)."""
        return rounded(
            {
                "data": "NYT editorial sentences (Hutto & Gilbert 2014), 20 ratings each, -4..+4",
                "n_sentences": len(self.data),
                "n_raters": N_RATERS,
                "raters": self.raters,
                "single_rater": {
                    "alpha_mean": self.single["alpha"].mean(),
                    "alpha_min": self.single["alpha"].min(),
                    "alpha_max": self.single["alpha"].max(),
                    "pearson_r_mean": self.single["pearson_r"].mean(),
                },
                "measures": self.measures,
                "score_validated": f"{self.folds}-fold CV, whole editorials held out",
            }
        )


def worked_example(
    folds: int = FOLDS,
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
    confidence: float = CONFIDENCE,
) -> WorkedExample:
    """Reliability of the 20 NYT raters and the agreement of every measure with their mean.

    Each measure is binned onto the raters' -4..+4 scale with its fixed native range
    (``usrussia.validate.machine.MEASURE_RANGES``) and compared with the mean rating by
    interval alpha; the bootstrap resamples sentences.
    """
    ratings = load_nyt_ratings()
    raters = load_rater_matrix()
    if raters["id"].tolist() != ratings["id"].tolist():
        raise ValueError("the rating files list different sentences")
    matrix = raters.drop(columns="id").to_numpy()
    mean = consensus(matrix, "interval")
    measures = nyt_measures(ratings, folds, seed)
    boot = (n_resamples, seed, confidence)
    agreement = {
        m: machine_agreement(mean, measures[m], RATING_CODES, MEASURE_RANGES[m], "interval", *boot)
        for m in MEASURES
    }
    data = pd.concat([ratings[["id", "article"]], measures.assign(mean_rating=mean)], axis=1)
    humans = reliability(matrix, "interval", *boot)
    return WorkedExample(humans, single_raters(matrix), agreement, data, folds)
