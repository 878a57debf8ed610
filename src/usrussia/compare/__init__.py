"""Honest comparisons of per-document tone between groups, eras and summit windows.

Consumes a per-document measure (a numeric column such as ``score`` from
``usrussia.sentiment``) and returns statistics, never bare means. One concern per module:

- ``resampling``: bootstrap intervals (``bootstrap_diff``, ``bootstrap_ci``), permutation
  p-values, effect sizes (``cohens_d``, ``cliffs_delta``), ``adjust_pvalues``.
- ``records``: the comparison record (``compare_groups``, ``compare_frame``,
  ``empty_record``), ``describe`` (a record in one plain sentence) and
  ``comparison_table`` (many records, adjusted p).
- ``units``: ``attach_scores``, ``mention_sentences``, ``week_of``, ``same_weeks``.
- ``events``: ``load_events``, ``event_windows``, ``undated_count``, ``meeting_summary``,
  ``compare_meeting_eras``.
- ``regression``: ``era_regression`` (OLS with controls, HC3) and ``sensitivity``.
- ``prevalence``: topic prevalence by group, era or meeting window.
- ``gdelt``: GDELT's own tone of the US-Russia dyad beside the project's, per meeting
  (``gdelt_beside_ours``, ``gdelt_tone_by_meeting``).

Sign convention: every difference is group_b minus group_a (positive: group_b scores higher).
Plots of records (``plot_comparisons``) live in ``usrussia.plots``, which comes after this
stage.
"""

from usrussia.compare.events import (
    EVENT_COLUMNS,
    compare_meeting_eras,
    event_windows,
    load_events,
    meeting_summary,
    undated_count,
)
from usrussia.compare.gdelt import gdelt_beside_ours, gdelt_tone_by_meeting
from usrussia.compare.records import (
    EXTRA_FIELDS,
    RECORD_FIELDS,
    SMALL_N,
    compare_frame,
    compare_groups,
    comparison_table,
    describe,
    empty_record,
)
from usrussia.compare.regression import era_regression, sensitivity
from usrussia.compare.resampling import (
    N_RESAMPLES,
    STATISTICS,
    adjust_pvalues,
    bootstrap_ci,
    bootstrap_diff,
    cliffs_delta,
    cohens_d,
    permutation_pvalue,
)
from usrussia.compare.units import attach_scores, mention_sentences, same_weeks, week_of

__all__ = [
    "EVENT_COLUMNS",
    "EXTRA_FIELDS",
    "N_RESAMPLES",
    "RECORD_FIELDS",
    "SMALL_N",
    "STATISTICS",
    "adjust_pvalues",
    "attach_scores",
    "bootstrap_ci",
    "bootstrap_diff",
    "cliffs_delta",
    "cohens_d",
    "compare_frame",
    "compare_groups",
    "compare_meeting_eras",
    "comparison_table",
    "describe",
    "empty_record",
    "era_regression",
    "event_windows",
    "gdelt_beside_ours",
    "gdelt_tone_by_meeting",
    "load_events",
    "meeting_summary",
    "mention_sentences",
    "permutation_pvalue",
    "same_weeks",
    "sensitivity",
    "undated_count",
    "week_of",
]
