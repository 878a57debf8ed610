"""The ``topics`` metrics block of the topic page (notebook 03): the documents, the settings,
the chosen configuration, its checks and the topics that rose or fell between eras."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import pandas as pd

from usrussia.topics.files import TOPIC_SHARES
from usrussia.topics.selection import Selection
from usrussia.topics.settings import TopicSettings
from usrussia.topics.units import TopicFit


def era_change_record(before: str, after: str, change: pd.DataFrame) -> dict[str, Any]:
    """The topics whose share clearly rose or fell from ``before`` to ``after``
    (``usrussia.compare.prevalence.era_difference``: intervals that exclude zero)."""
    clear = change[change["clear"]]
    return {
        "before": before,
        "after": after,
        "rose": clear.loc[clear["change"] > 0, "topic"].tolist(),
        "fell": clear.loc[clear["change"] < 0, "topic"].tolist(),
    }


def fit_record(
    selection: Selection,
    fit: TopicFit,
    sweep: pd.DataFrame,
    baseline: Mapping[str, float],
    n_terms: int,
) -> dict[str, Any]:
    """The chosen configuration and its checks: coherence against the baseline, stability,
    the selection margin, the candidates and the sweep (figures at 4 decimals)."""
    chosen = selection.candidates.set_index(["model", "k"]).loc[(selection.model, selection.k)]
    best = max(baseline.values()) if baseline else None
    return {
        "model": selection.model,
        "k": selection.k,
        "n_terms": n_terms,
        "mean_npmi": round(selection.mean_npmi, 4),
        "baseline_npmi": None if best is None else round(best, 4),
        "baseline": {name: round(value, 4) for name, value in baseline.items()},
        "beats_baseline": None if best is None else selection.mean_npmi > best,
        "stability": round(selection.stability, 4),
        "selection_margin": float(f"{selection.margin:.2e}"),
        "npmi_sd_over_seeds": round(float(chosen["npmi_sd_over_seeds"]), 4),
        "candidates": selection.candidates.round(4).to_dict(orient="records"),
        "sweep": sweep.round(4).to_dict(orient="records"),
        "labels": fit.labels,
        "shares_file": str(TOPIC_SHARES),
    }


def topics_block(
    settings: TopicSettings,
    documents: dict[str, Any],
    fitted: dict[str, Any] | None,
    era_changes: list[dict[str, Any]],
) -> dict[str, Any]:
    """The whole block: ``documents`` (what was fitted on), the settings (and which the study
    set), ``fitted`` (``fit_record``; None when nothing was fitted) and the era changes."""
    values = {k: v for k, v in asdict(settings).items() if k != "from_study"}
    block = {
        **documents,
        "fitted": fitted is not None,
        "settings": values,
        "set_by_study": list(settings.from_study),
    }
    if fitted is None:
        return block
    return {
        **block,
        **fitted,
        "unit": settings.unit,
        "stability_seeds": settings.n_seeds,
        "stability_threshold": settings.stability_threshold,
        "selection_decimals": settings.selection_decimals,
        "era_changes": era_changes,
    }
