"""Tone summaries of scored documents: means by group, by year and about each target.

The tables of the sentiment page (notebook 02), for any corpus: the groups are columns the
caller names (``source``, ``era``, ``outlet``), never values written here. A summary is
descriptive (means and standard errors); comparisons with intervals and tests are
``usrussia.compare``'s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from usrussia.sentiment.scoring import MEASURES, TARGETS


def tone_summary(
    scored: pd.DataFrame, by: Sequence[str], measures: Sequence[str] = MEASURES
) -> pd.DataFrame:
    """Mean of each measure, documents and the standard error of the first measure per group.

    Parameters
    ----------
    scored : DataFrame
        Documents with the ``measures`` columns (``score_documents``) and the ``by`` columns.
    by : sequence of str
        The group columns; documents missing one are left out.
    measures : sequence of str
        The first is the one whose standard error (``se``) is given.

    Returns
    -------
    table : DataFrame
        Columns ``by``, ``documents``, the measures and ``se``; one row per group.
    """
    columns = [*by, "documents", *measures, "se"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    grouped = scored.groupby(list(by), observed=True, sort=True)
    table = grouped[list(measures)].mean()
    table.insert(0, "documents", grouped.size())
    table["se"] = grouped[measures[0]].sem()
    return table.reset_index()[columns]


def yearly_tone(
    scored: pd.DataFrame, by: str = "source", measure: str = "score", min_docs: int = 1
) -> pd.DataFrame:
    """Mean ``measure`` per ``by`` group and year of the dated documents, for the years with
    at least ``min_docs`` documents (columns ``by, year, documents, mean``)."""
    dated = scored[scored["date"].notna()]
    years = pd.to_datetime(dated["date"]).dt.year.rename("year")
    table = (
        dated.groupby([dated[by], years])[measure]
        .agg(documents="size", mean="mean")
        .reset_index()
        .astype({"year": "int64"})
    )
    return table[table["documents"] >= min_docs].reset_index(drop=True)


def targeted_tone(scored: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """Per group and target: the documents with a sentence naming the target, the mean of
    their targeted tone (``tone_russia``, ``tone_us``) and its standard error.

    Returns
    -------
    table : DataFrame
        Columns ``by, target, documents, mean_score, se`` (NaN where no document names it).
    """
    rows = []
    for group, part in scored.groupby(by, sort=True):
        for target, suffix in TARGETS.items():
            values = part[f"tone_{suffix}"].dropna()
            rows.append(
                {
                    by: group,
                    "target": target,
                    "documents": len(values),
                    "mean_score": values.mean() if len(values) else np.nan,
                    "se": values.sem() if len(values) > 1 else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=[by, "target", "documents", "mean_score", "se"])
