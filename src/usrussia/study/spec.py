"""The research design as data: what a study file (``studies/NAME.toml``) holds once read.

A study names the corpus, the documents in scope, the groups and the comparisons, so that a
reviewer can read the design before the results. These frozen dataclasses are the one
in-memory form of a study: ``usrussia.study.load_study`` builds them from TOML (and refuses
unknown keys), ``check_study`` tests them against a corpus, ``default_study`` writes one for
any corpus, the notebooks and ``usrussia.study.comparisons`` run them.

A *filter* is a mapping from a corpus column to what it must hold, in TOML:

- ``source = "kremlin"`` or ``source = ["kremlin", "sotu"]``: the value is one of these;
- ``relevant = true``: a boolean column is true (false);
- ``date = { from = "2017-01-01", to = "2017-12-31" }``: a date range, both ends included,
  either end optional (dates compare as calendar days in the corpus's time zone).

Filters are declarative: no code strings. The column ``outlet_group`` exists when the study
names an outlet-group table (``outlet_groups``, a CSV ``outlet,group``); outlets not in the
table have no group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FilterValue = tuple[str | int | float | bool, ...] | bool | tuple[dt.date | None, dt.date | None]
Filter = dict[str, FilterValue]  # column -> allowed values | boolean | (from, to) date range

UNITS = ("document", "headline", "sentences")
KINDS = ("groups", "event", "pooled")


@dataclass(frozen=True)
class Comparison:
    """One declared comparison: two groups of units and the statistics to compare them by.

    Attributes
    ----------
    name : str
        The question, a heading in the page and ``question`` in every record.
    kind : {"groups", "event", "pooled"}
        ``groups``: group_b against group_a. ``event``: ``groups`` is an era and a meeting
        (its ``date city`` name in the events table, e.g. ``["obama", "2017-07-07
        Hamburg"]``): the units within ``Study.window_days`` of that meeting against the
        units in the windows of that era's other meetings. ``pooled``: every unit of the
        study's ``groups`` comparisons together (each unit once), grouped by this
        comparison's ``by``, group_b against group_a with the unit type (``unit``,
        ``"<source> <unit>"``) as a stratum and a control.
    unit : {"document", "headline", "sentences"}
        What is scored: the whole text, the title, or the sentences naming ``target``.
    target : str or None
        For ``unit = "sentences"``: a value of the ``target`` column of
        ``data/external/entity_aliases.csv`` (e.g. ``"russia"``).
    filter : Filter
        Which in-scope documents this comparison uses (empty: all).
    by : str or None
        The column whose values ``groups`` names (e.g. ``"era"``, ``"outlet_group"``);
        omitted (``None``): ``groups`` names tables of ``Study.groups``.
    groups : (str, str)
        group_a, group_b; differences are group_b minus group_a.
    measures : tuple of str
        Tone measures (columns of ``usrussia.sentiment.score_documents``); the first is
        the main one. Empty: the study's ``measure``.
    strata : str or None
        A column to stratify the bootstrap by (e.g. ``"outlet"``).
    same_weeks : bool
        Keep only the calendar weeks in which both groups have units.
    windows : bool
        Also compare the units within ``Study.window_days`` of a meeting (documents, and
        meeting means), on the main measure.
    controls : tuple of tuple of str
        One regression (OLS, HC3, log length always included) per entry and measure, each
        with these control columns; ``()`` in the list is a regression on length alone.
        Besides corpus columns, ``week`` (the unit's calendar week) and ``unit`` may be
        named.
    sensitivity : bool
        Repeat over every measure of ``Study.measures`` and every width of ``Study.widths``.
    keyness : bool
        Keyness and topic-share change between the groups (topics from notebook 03's model).
    about : str
        Plain-language context for the page: what is compared and its caveats.
    """

    name: str
    groups: tuple[str, str]
    kind: Literal["groups", "event", "pooled"] = "groups"
    unit: Literal["document", "headline", "sentences"] = "document"
    target: str | None = None
    filter: Filter = field(default_factory=dict)
    by: str | None = None
    measures: tuple[str, ...] = ()
    strata: str | None = None
    same_weeks: bool = False
    windows: bool = False
    controls: tuple[tuple[str, ...], ...] = ()
    sensitivity: bool = False
    keyness: bool = False
    about: str = ""


@dataclass(frozen=True)
class Study:
    """A whole study file, read and checked for its own consistency (not yet the corpus's).

    Attributes
    ----------
    name, title : str
    path : Path
        The study file (``None`` for a study not yet written).
    text : str
        The file's full text (goes into the report manifest with its sha256).
    corpus : Path
        The corpus Parquet, resolved against the study file's folder.
    seed : int
    measure : str
        The main tone measure.
    measures : tuple of str
        The measures of the sensitivity grid.
    scope : Filter
        Which documents are in the study at all.
    drop_near_duplicates : bool
        Drop all but the first (by date, then doc_id) of each group of near-duplicates
        (``usrussia.text.dedup``) from the in-scope documents.
    dedup_threshold : float
        Estimated Jaccard similarity at which two documents count as near-duplicates.
    outlet_groups : Path or None
        CSV ``outlet,group`` that adds the ``outlet_group`` column.
    groups : dict of str to Filter
        Named groups, for comparisons with ``by = None``.
    events : Path
        The meetings table (``data/external/events.csv`` layout).
    window_days : int
    widths : tuple of int
    n_resamples : int
    topics : dict
        Notebook 03's topic model: ``filter`` (a Filter: which in-scope documents it is
        fitted on) and settings under the notebook's parameter names (``ks``, ``models``,
        ``unit``, …); what is absent takes the notebook's defaults.
    comparisons : tuple of Comparison
    show_documents : Filter
        Documents whose own tone is listed in the comparison page (e.g. a seed article);
        empty: none.
    coding : Path or None
        A filled coding sheet of this corpus (``usrussia validate sample --study``), shown
        in the validation page with its agreement statistics.
    coding_level : str or None
        Krippendorff's alpha metric for that sheet (None: the codebook's).
    gdelt : dict of str to Path
        GDELT tables written by ``usrussia corpus import`` (``events``: the dyad's events,
        ``timeline``: a DOC API tone timeline) whose tone page 04 shows beside the
        study's, meeting by meeting; empty: none.
    """

    name: str
    title: str
    path: Path | None
    text: str
    corpus: Path
    seed: int
    measure: str
    measures: tuple[str, ...]
    scope: Filter
    drop_near_duplicates: bool
    dedup_threshold: float
    outlet_groups: Path | None
    groups: dict[str, Filter]
    events: Path
    window_days: int
    widths: tuple[int, ...]
    n_resamples: int
    topics: dict
    comparisons: tuple[Comparison, ...]
    show_documents: Filter
    coding: Path | None = None
    coding_level: str | None = None
    gdelt: dict[str, Path] = field(default_factory=dict)
