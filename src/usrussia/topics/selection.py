"""Choosing a topic model: the one home of the sweep, the ranking and the CPU-stable selection rule.

``sweep`` fits every (model, k) and scores its coherence; ``select_model`` accepts the most
coherent configuration (near-ties within a tolerance go to fewer topics) whose stability
across seeds reaches a threshold. The rule, ``choose_configuration``, compares figures
rounded to ``SELECTION_DECIMALS`` decimals, so the last digits, which move with the CPU and
the BLAS library, cannot change the choice unless a figure sits on a rounding boundary;
``Selection.margin`` (``rounding_margin``) says how far the nearest one is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.io import progress
from usrussia.topics.coherence import npmi_coherence, top_word_ids, umass_coherence
from usrussia.topics.model import MODELS, TopicModel
from usrussia.topics.stability import seed_fits, stability

SELECTION_DECIMALS = 3  # selection compares NPMI and stability at the precision reports show


def sweep(
    X,
    ks: Sequence[int],
    models: Sequence[str] = ("nmf",),
    random_state: int = config.SEED,
    n_top: int = 10,
    reference=None,
) -> pd.DataFrame:
    """Fit every (model, k) once and score its coherence.

    Parameters
    ----------
    X : sparse matrix of shape (n_documents, n_terms)
        Counts the models are fitted on.
    ks : sequence of int
        Numbers of topics.
    models : sequence of str, default=("nmf",)
        Model types (``MODELS``).
    random_state : int, default=config.SEED
        Seed of every fit.
    n_top : int, default=10
        Top words per topic scored.
    reference : sparse matrix or None
        The matrix co-occurrence is counted in (default ``X``).

    Returns
    -------
    DataFrame
        One row per configuration: ``model, k, mean_npmi, mean_umass, min_npmi``.
    """
    reference = X if reference is None else reference
    grid = [(m, k) for m in models for k in ks]
    rows = []
    for model, k in progress(grid, desc="topic sweep", unit="fit"):
        fitted = TopicModel(model=model, n_topics=k, random_state=random_state).fit(X)
        ids = top_word_ids(fitted.components_, n_top)
        npmi = npmi_coherence(ids, reference)
        rows.append(
            {
                "model": model,
                "k": k,
                "mean_npmi": float(npmi.mean()),
                "mean_umass": float(np.nanmean(umass_coherence(ids, reference))),
                "min_npmi": float(npmi.min()),
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Selection:
    """The outcome of ``select_model``: the chosen configuration and what was tried.

    ``margin`` is how far the compared figure nearest to a rounding boundary is from it:
    moves of every NPMI and stability by less than this cannot change the choice.
    """

    model: str
    k: int
    mean_npmi: float
    stability: float
    candidates: pd.DataFrame
    fits: list[TopicModel]
    margin: float


class Choice(NamedTuple):
    """What ``choose_configuration`` tried (``tried``, ranked rows of the sweep table, and
    their ``stability``) and the position in ``tried`` of the chosen one (``chosen``)."""

    tried: pd.DataFrame
    stability: list[float]
    chosen: int


def _units(values, decimals: int) -> np.ndarray:
    """``values`` rounded to whole units of ``10**-decimals`` (integers compare exactly)."""
    return np.rint(np.asarray(values, dtype=np.float64) * 10.0**decimals).astype(np.int64)


def _whole_units(value: float, decimals: int, name: str) -> int:
    """A tolerance or threshold in whole units of ``10**-decimals``; finer ones are refused."""
    units = value * 10.0**decimals
    if abs(units - round(units)) > 1e-6:
        raise ValueError(f"{name}={value} has more than {decimals} decimals")
    return round(units)


def rounding_margin(values, decimals: int = SELECTION_DECIMALS) -> float:
    """Distance of the value nearest to a rounding boundary at ``decimals`` decimals from it.

    A rule that sees figures only rounded to ``decimals`` decimals makes the same choice
    when every figure moves by less than this.

    Parameters
    ----------
    values : array-like of float
        The compared figures.
    decimals : int, default=SELECTION_DECIMALS
        The precision they are compared at.

    Returns
    -------
    float
        The margin (``inf`` when there is no value).
    """
    scaled = np.asarray(values, dtype=np.float64) * 10.0**decimals
    if scaled.size == 0:
        return float("inf")
    return float(np.min(np.abs(scaled - np.floor(scaled) - 0.5)) / 10.0**decimals)


def rank_configurations(
    table: pd.DataFrame, tolerance: float = 0.0, decimals: int = SELECTION_DECIMALS
) -> pd.DataFrame:
    """``table`` in the order ``select_model`` tries it.

    Mean NPMI is compared rounded to ``decimals`` decimals (the precision the reports show),
    as whole units, so no digit beyond those and no binary representation of ``tolerance``
    changes the order. Configurations whose rounded mean NPMI is at most ``tolerance`` below
    the best count as tied and come first, smallest k first (parsimony: differences that
    small are within what a change of seed moves); the rest follow by rounded mean NPMI,
    highest first. Equal keys go to the smaller k, then to the model listed first in
    ``MODELS``.

    Parameters
    ----------
    table : DataFrame
        A ``sweep`` table.
    tolerance : float, default=0.0
        NPMI below the best that still counts as tied (at most ``decimals`` decimals).
    decimals : int, default=SELECTION_DECIMALS
        Precision of the comparison.

    Returns
    -------
    DataFrame
        The rows of ``table``, reordered.
    """
    if table["mean_npmi"].isna().any():
        raise ValueError("the sweep table has configurations without a mean NPMI")
    score = _units(table["mean_npmi"], decimals)
    tied = score >= score.max() - _whole_units(tolerance, decimals, "tolerance")
    model = table["model"].map({m: i for i, m in enumerate(MODELS)}).fillna(len(MODELS))
    order = np.lexsort((model.to_numpy(), table["k"].to_numpy(), np.where(tied, 0, -score), ~tied))
    return table.iloc[order]


def choose_configuration(
    table: pd.DataFrame,
    stability_of: Callable[[tuple], float],
    threshold: float = 0.8,
    max_candidates: int = 3,
    tolerance: float = 0.0,
    decimals: int = SELECTION_DECIMALS,
) -> Choice:
    """The selection rule on a ``sweep`` table, with stability measured on demand.

    Configurations are tried in ``rank_configurations`` order, at most ``max_candidates``;
    the first whose stability, rounded to ``decimals`` decimals, reaches ``threshold`` is
    chosen. If none does, the most stable one tried is (rounded; the earlier on ties). The
    choice depends on NPMI and stability only through their rounded values.

    Parameters
    ----------
    table : DataFrame
        A ``sweep`` table.
    stability_of : callable
        Gives the stability of a row of ``table`` (a named tuple).
    threshold : float, default=0.8
        Stability to reach (at most ``decimals`` decimals).
    max_candidates : int, default=3
        Configurations tried at most.
    tolerance : float, default=0.0
        NPMI ties (``rank_configurations``).
    decimals : int, default=SELECTION_DECIMALS
        Precision of every comparison.

    Returns
    -------
    Choice
    """
    if table.empty:
        raise ValueError("the sweep table is empty")
    ranked = rank_configurations(table, tolerance, decimals).head(max_candidates)
    bar = _whole_units(threshold, decimals, "threshold")
    measured: list[float] = []
    for row in ranked.itertuples():
        measured.append(float(stability_of(row)))
        if _units(measured[-1], decimals) >= bar:
            return Choice(ranked.head(len(measured)), measured, len(measured) - 1)
    return Choice(ranked, measured, int(np.argmax(_units(measured, decimals))))


def select_model(
    X,
    table: pd.DataFrame,
    seeds: Sequence[int],
    threshold: float = 0.8,
    max_candidates: int = 3,
    tolerance: float = 0.0,
    reference=None,
    n_top: int = 10,
    decimals: int = SELECTION_DECIMALS,
) -> Selection:
    """Pick a configuration from a ``sweep`` table by a fixed, documented rule.

    The rule is ``choose_configuration``, with each candidate refitted once per seed in
    ``seeds`` and its ``stability`` measured over those fits. If no candidate reaches
    ``threshold``, the shortfall shows in the returned ``candidates`` table, which also
    gives the mean and standard deviation of the mean NPMI over the seeds.

    Parameters
    ----------
    X : sparse matrix of shape (n_documents, n_terms)
        Counts the models are fitted on.
    table : DataFrame
        The ``sweep`` table of ``X``.
    seeds : sequence of int
        Seeds of the stability fits.
    threshold, max_candidates, tolerance, decimals
        As in ``choose_configuration``.
    reference : sparse matrix or None
        The matrix NPMI is counted in (default ``X``).
    n_top : int, default=10
        Top words per topic scored.

    Returns
    -------
    Selection
    """
    reference = X if reference is None else reference
    tried: list[dict] = []
    tried_fits: list[list[TopicModel]] = []

    def measure(row) -> float:
        fits = seed_fits(X, row.model, row.k, seeds, desc=f"stability {row.model} k={row.k}")
        npmi = [npmi_coherence(top_word_ids(f.components_, n_top), reference).mean() for f in fits]
        tried.append(
            {
                "model": row.model,
                "k": row.k,
                "mean_npmi": row.mean_npmi,
                "stability": stability([f.components_ for f in fits]),
                "npmi_over_seeds": float(np.mean(npmi)),
                "npmi_sd_over_seeds": float(np.std(npmi, ddof=1)) if len(npmi) > 1 else np.nan,
            }
        )
        tried_fits.append(fits)
        return tried[-1]["stability"]

    choice = choose_configuration(table, measure, threshold, max_candidates, tolerance, decimals)
    chosen = tried[choice.chosen]
    return Selection(
        model=chosen["model"],
        k=int(chosen["k"]),
        mean_npmi=float(chosen["mean_npmi"]),
        stability=float(chosen["stability"]),
        candidates=pd.DataFrame(tried),
        fits=tried_fits[choice.chosen],
        margin=rounding_margin([*table["mean_npmi"], *choice.stability], decimals),
    )
