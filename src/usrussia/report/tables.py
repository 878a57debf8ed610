"""Tables a reader can read: no pandas index, numbers rounded to what they support,
column names in words, and the glossary of the statistical terms once per page. Every cell
and column name is shown as text (HTML-escaped): tables show titles and texts from the
data, which may carry markup.

The one home of how a report page shows a frame; every notebook displays its tables
through ``readable``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

# Record fields (usrussia.compare.records) and common columns, as a reader names them.
COLUMN_NAMES: dict[str, str] = {
    "question": "question",
    "label": "comparison",
    "group_a": "group A",
    "group_b": "group B",
    "measure": "measure",
    "diff": "diff (B − A)",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "p_value": "p",
    "p_adjusted": "p (adjusted)",
    "effect_size": "d",
    "cliffs_delta": "Cliff's delta",
    "n_a": "n A",
    "n_b": "n B",
    "mean_a": "mean A",
    "mean_b": "mean B",
    "window_days": "window (± days)",
    "note": "note",
    "sentence": "in words",
}
# Significant decimals by column: p-values keep 3 significant digits; counts none.
COUNT_COLUMNS = {"n_a", "n_b", "window_days", "n", "documents", "units"}
GLOSSARY = """**Reading the tables.**
**diff (B − A)**: the mean of group B minus the mean of group A, on the measure's scale.
**95% CI**: a bootstrap interval (units resampled within each group); when it excludes 0
the data show a difference at that confidence.
**p**: a two-sided permutation-test p-value (how often shuffled group labels give a
difference at least this large); **p (adjusted)** corrects it for the number of comparisons
on the page (Holm, or Benjamini-Hochberg for a sensitivity grid).
**d**: Cohen's d, the difference in pooled standard deviations (0.2 small, 0.5 medium,
0.8 large by Cohen's convention).
**Cliff's delta**: how often a unit of B scores above a unit of A minus how often below
(−1 to 1; 0 means the groups overlap evenly).
**n A / n B**: the units in each group; a **note** says when a group is too small to test
or a figure could not be estimated."""


def readable(
    frame: pd.DataFrame,
    decimals: int = 3,
    names: Mapping[str, str] | None = None,
    p_digits: int = 2,
) -> Styler:
    """``frame`` for display: no index, floats at ``decimals``, p-values at ``p_digits``
    significant digits, counts as whole numbers, missing values as a dash, column
    names in words (``COLUMN_NAMES``, then ``names``) and every value and name escaped.

    Parameters
    ----------
    frame : DataFrame
    decimals : int
    names : mapping, optional
        Extra or overriding column names.
    p_digits : int

    Returns
    -------
    styler : pandas Styler
    """
    shown = frame.reset_index(drop=True)
    formats = {}
    for column in shown.columns:
        values = shown[column]
        if str(column).startswith("p_") or column in {"p", "p_value", "p_adjusted"}:
            formats[column] = lambda v, d=p_digits: _number(v, f"{{:.{d}g}}")
        elif column in COUNT_COLUMNS or pd.api.types.is_integer_dtype(values):
            formats[column] = lambda v: _number(v, "{:,.0f}")
        elif pd.api.types.is_float_dtype(values):
            formats[column] = lambda v, d=decimals: _number(v, f"{{:,.{d}f}}")
        else:
            formats[column] = lambda v: html.escape(str(v))
    labels = {**COLUMN_NAMES, **(names or {})}
    styler = shown.style.hide(axis="index").format(formats, na_rep="–")
    headers = [html.escape(labels.get(c, str(c))) for c in shown.columns]
    return styler.relabel_index(headers, axis="columns")


def _number(value: object, pattern: str) -> str:
    """A number in ``pattern``, a dash when it is missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    try:
        return html.escape(pattern.format(value))
    except (TypeError, ValueError):
        return html.escape(str(value))


def glossary() -> Markdown:
    """The glossary of the comparison tables' terms, shown once per page."""
    return Markdown(GLOSSARY)
