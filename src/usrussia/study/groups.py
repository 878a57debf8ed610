"""A study's groups as the descriptive pages show them (notebooks 01-03): each comparison's
documents with their group, the tone of each group, the era pairs to compare topic shares
between, near-duplicates dropped when the study says so, and filters in words.

The comparisons themselves (units, statistics, records) are notebook 04's; these helpers
only describe, so that every page speaks of the groups the study declares.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from usrussia.study import units
from usrussia.study.scope import group_labels, is_date_range
from usrussia.study.spec import Comparison, Filter, Study
from usrussia.study.units import GROUP
from usrussia.text.dedup import near_duplicate_copies


def describe_filter(spec: Filter) -> str:
    """A filter in words: ``source = kremlin; relevant = true`` ("all documents" for ``{}``)."""
    parts = []
    for column, value in spec.items():
        if isinstance(value, bool):
            parts.append(f"{column} = {str(value).lower()}")
        elif is_date_range(value):
            start, end = (v.isoformat() if v else "…" for v in value)
            parts.append(f"{column} from {start} to {end}")
        else:
            parts.append(f"{column} = {' or '.join(map(str, value))}")
    return "; ".join(parts) or "all documents"


def filter_record(spec: Filter) -> dict:
    """A filter as JSON-ready data (dates as ISO strings, value lists as lists)."""
    out: dict = {}
    for column, value in spec.items():
        if isinstance(value, bool):
            out[column] = value
        elif is_date_range(value):
            start, end = value
            out[column] = {"from": start and start.isoformat(), "to": end and end.isoformat()}
        else:
            out[column] = list(value)
    return out


def comparison_documents(study: Study, documents: pd.DataFrame, comparison: Comparison):
    """The in-scope ``documents`` a comparison uses (``study.units.comparison_documents``),
    with their ``group`` (one of its two groups, or None)."""
    frame, _ = units.comparison_documents(study, comparison, documents)
    if comparison.by is None:
        return frame
    return frame.assign(**{GROUP: group_labels(frame, study, comparison.by, comparison.groups)})


def first_group_comparison(study: Study) -> Comparison | None:
    """The study's first two-group comparison (the one the corpus page explores)."""
    return next((c for c in study.comparisons if c.kind == "groups"), None)


def exploration(study: Study, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, str]:
    """What the corpus page reads closely: the documents of the study's first two-group
    comparison with their ``group``, their texts (titles for a headline comparison) and a
    description; without such a comparison, the relevant documents and no groups."""
    comparison = first_group_comparison(study)
    if comparison is None:
        frame = documents[documents["relevant"]].assign(**{GROUP: None})
        return frame, frame["text"], "the relevant in-scope documents (no two-group comparison)"
    frame = comparison_documents(study, documents, comparison)
    texts = frame["title" if comparison.unit == "headline" else "text"]
    what = f"the documents of “{comparison.name}” ({describe_filter(comparison.filter)})"
    return frame, texts, what


def group_tone(study: Study, scored: pd.DataFrame) -> pd.DataFrame:
    """Per comparison of kind ``groups`` or ``pooled`` and per group: the scored documents
    it holds, their mean main measure and its standard error.

    Parameters
    ----------
    study : Study
    scored : DataFrame
        In-scope documents with the tone measures (``score_documents``).

    Returns
    -------
    table : DataFrame
        Columns ``question, unit, group, measure, documents, mean, se``; a group with no
        document has 0 and NaN (event comparisons, a meeting against an era, are left to
        the comparison page).
    """
    rows = []
    for comparison in study.comparisons:
        if comparison.kind == "event":
            continue
        measure = (comparison.measures or (study.measure,))[0]
        frame = comparison_documents(study, scored, comparison)
        for name in comparison.groups:
            values = frame.loc[frame[GROUP] == name, measure].dropna()
            rows.append(
                {
                    "question": comparison.name,
                    "unit": comparison.unit,
                    "group": name,
                    "measure": measure,
                    "documents": len(values),
                    "mean": values.mean() if len(values) else np.nan,
                    "se": values.sem() if len(values) > 1 else np.nan,
                }
            )
    columns = ["question", "unit", "group", "measure", "documents", "mean", "se"]
    return pd.DataFrame(rows, columns=columns)


def era_pairs(study: Study, eras: Sequence[str]) -> list[tuple[str, str]]:
    """The era pairs to compare topic shares between, among ``eras`` (in office order).

    The study's comparisons ``by = "era"`` (not of kind ``event``) whose two eras are both
    in ``eras``, in the study's order; when none is, each pair of consecutive ``eras``.
    """
    declared = [
        c.groups
        for c in study.comparisons
        if c.by == "era" and c.kind != "event" and set(c.groups) <= set(eras)
    ]
    return list(dict.fromkeys(declared)) or list(zip(eras, eras[1:], strict=False))


def without_copies(study: Study, documents: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``documents`` without their near-duplicate copies when the study drops them
    (``[dedup] drop = true``), and how many were dropped (0 otherwise)."""
    if not study.drop_near_duplicates or documents.empty:
        return documents, 0
    copy_of = near_duplicate_copies(documents, study.dedup_threshold)
    return documents[copy_of.isna()], int(copy_of.notna().sum())
