"""The units of a study's comparisons: which documents each comparison uses, what is scored
(the text, the title, or the sentences naming a target), their near-duplicates, and the
scoring of every distinct text once for all comparisons.

A *unit* is one row that gets a tone score: a document (``unit = "document"``), its title
(``"headline"``) or one sentence naming the comparison's target (``"sentences"``). Units
keep their document's columns (so that filters, ``by``, ``strata`` and ``controls`` name
corpus columns) and add:

- ``unit``: the unit type, ``"<source> <unit>"`` (e.g. ``"kremlin document"``), the stratum
  and control of a pooled comparison;
- ``unit_id``: the document's id, ``"<doc_id>#<n>"`` for its n-th sentence (0-based);
- ``n_words``: the unit's own length in words (``usrussia.text.tokens.word_tokenize``);
- ``week``: the calendar week of its date (``compare.week_of``);
- ``group`` (``GROUP``): for a comparison of named groups, the group of the unit;
- ``near_duplicate``: True for a unit that is a near-duplicate of an earlier one (by date,
  then id) of the same unit type (``usrussia.text.dedup``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd

from usrussia.compare import attach_scores, mention_sentences, week_of
from usrussia.corpus.selection import target_patterns
from usrussia.sentiment import score_documents
from usrussia.study.scope import filter_mask, group_labels
from usrussia.study.spec import Comparison, Study
from usrussia.text.dedup import near_duplicate_copies
from usrussia.text.tokens import word_tokenize

GROUP = "group"
# Columns a study may name although the corpus lacks them: added to the units here, or by
# same_weeks (``week``) before the records are computed.
DERIVED_COLUMNS = ("unit", "unit_id", "n_words", GROUP, "near_duplicate", "week")
UNIT_TEXT = {"document": "text", "headline": "title"}
UNIT_NAMES = {"document": "documents", "headline": "headlines", "sentences": "sentences"}
Scorer = Callable[[list[str]], pd.DataFrame]


class CannotCompare(Exception):
    """A comparison that cannot be made on this corpus; the message is the record's note."""


def comparison_documents(
    study: Study, comparison: Comparison, documents: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """The in-scope documents a groups or event comparison uses, and notes on them.

    The comparison's ``filter`` applies; for named groups (``by`` omitted) only the
    documents of one of the two groups are kept, with their group in ``GROUP`` (a document
    matching both groups is in neither and counted in a note).

    Raises
    ------
    CannotCompare
        A column the filter, ``by`` or a group names is not in the corpus.
    """
    try:
        docs = documents[filter_mask(documents, comparison.filter)]
        if comparison.by is not None or comparison.kind == "event":
            if comparison.by not in docs.columns and comparison.kind != "event":
                raise KeyError(comparison.by)
            return docs, []
        labels = group_labels(docs, study, None, comparison.groups)
    except KeyError as exc:
        raise CannotCompare(f"the corpus has no column {exc.args[0]!r}") from None
    notes = []
    both = [filter_mask(docs, study.groups[name]) for name in comparison.groups]
    n_both = int((both[0] & both[1]).sum())
    if n_both:
        notes.append(f"{n_both} documents match both groups and are in neither")
    return docs.assign(**{GROUP: labels})[labels.notna()], notes


def target_pattern(target: str | None) -> re.Pattern[str]:
    """The alias table's matcher of ``target``; ``CannotCompare`` when the table lacks it."""
    patterns = target_patterns()
    if target not in patterns:
        known = ", ".join(patterns)
        raise CannotCompare(f"no target {target!r} in the alias table (known: {known})")
    return patterns[target]


def make_units(
    documents: pd.DataFrame, unit: str, target: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The units of ``documents``: their texts, titles or sentences naming ``target``.

    Parameters
    ----------
    documents : DataFrame
        Corpus rows.
    unit : {"document", "headline", "sentences"}
    target : str, optional
        For ``"sentences"``: a target of the alias table (e.g. ``"russia"``).

    Returns
    -------
    units : DataFrame
        The documents' columns with ``text`` the unit's text, ``unit``, ``unit_id``,
        ``sentence_no`` (sentences only) and ``n_words`` recounted; units without text
        are left out.
    notes : list of str
        How many documents had no text (or no sentence naming the target).
    """
    if unit == "sentences":
        keep = [c for c in documents.columns if c != "text"]
        units = mention_sentences(documents, target_pattern(target), keep=keep)
        ids = units["doc_id"].astype(str) + "#" + units["sentence_no"].astype(str)
        missing = documents["doc_id"].nunique() - units["doc_id"].nunique()
        why = f"name no {target} in any sentence"
    else:
        units = documents.assign(text=documents[UNIT_TEXT[unit]])
        ids, missing, why = units["doc_id"].astype(str), 0, f"have no {UNIT_TEXT[unit]}"
    units = units.assign(unit=units["source"].astype(str) + " " + unit, unit_id=ids)
    has_text = units["text"].fillna("").astype(str).str.strip().str.len() > 0
    missing += int((~has_text).sum())
    units = units[has_text].reset_index(drop=True)
    units["n_words"] = units["text"].map(lambda text: len(word_tokenize(text))).astype("int64")
    units["week"] = week_of(units["date"])
    notes = [f"{missing} documents {why} and give no unit"] if missing else []
    return units, notes


def near_duplicates(units: pd.DataFrame, threshold: float, cache: dict | None = None) -> pd.Series:
    """True for each unit that is a near-duplicate of an earlier unit of the same type.

    Earlier means by date, then ``unit_id`` (undated last); the first of each cluster is
    the one kept (``usrussia.text.dedup.near_duplicate_copies``).

    Parameters
    ----------
    units : DataFrame
        With ``text``, ``unit``, ``unit_id`` and ``date``.
    threshold : float
        Shingle Jaccard similarity at which two units are near-duplicates.
    cache : dict, optional
        Results by unit type and units, so that comparisons sharing units (a pooled one)
        compute them once.

    Returns
    -------
    mask : Series of bool
        Aligned with ``units``.
    """
    cache = {} if cache is None else cache
    mask = pd.Series(False, index=units.index)
    if units.empty:
        return mask
    for kind, part in units.groupby("unit", sort=False):
        key = (kind, threshold, tuple(sorted(part["unit_id"])))
        if key not in cache:
            as_documents = part[["text", "unit_id", "date"]].rename(columns={"unit_id": "doc_id"})
            copy_of = near_duplicate_copies(as_documents, threshold, group=None)
            cache[key] = frozenset(part.loc[copy_of.notna(), "unit_id"])
        mask |= units["unit"].eq(kind) & units["unit_id"].isin(cache[key])
    return mask


def mark_near_duplicates(
    units: pd.DataFrame, study: Study, cache: dict | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """``units`` with ``near_duplicate``, the copies dropped when the study says so, and a
    note counting them (``cache``: see ``near_duplicates``)."""
    copies = near_duplicates(units, study.dedup_threshold, cache)
    units = units.assign(near_duplicate=copies)
    n = int(copies.sum())
    if not n:
        return units, []
    if study.drop_near_duplicates:
        return units[~copies].reset_index(drop=True), [f"{n} near-duplicate units dropped"]
    return units, [f"{n} of {len(units)} units are near-duplicates of another (kept)"]


def pooled_units(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The units of several comparisons together, each unit once, ordered by unit type.

    The order (unit type, then as given) makes the pooled comparison independent of the
    order of the comparisons in the study file.
    """
    if not parts:
        return pd.DataFrame(columns=["unit", "unit_id", "text"])
    units = pd.concat(parts, ignore_index=True).drop(columns=[GROUP], errors="ignore")
    units = units.drop_duplicates(["unit", "unit_id"])
    return units.sort_values("unit", kind="stable").reset_index(drop=True)


def score_units(
    frames: Mapping[str, pd.DataFrame], scorer: Scorer | None = None
) -> dict[str, pd.DataFrame]:
    """Every frame of units with its tone scores, each distinct text scored once in all.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Units by name (e.g. a comparison's name), each with ``text``.
    scorer : callable, optional
        Texts to one row of scores each (default: ``score_documents`` with targets).

    Returns
    -------
    scored : dict of str to DataFrame
        The same frames with the score columns beside them (``compare.attach_scores``);
        a column of the corpus named like a score column is replaced by the unit's score.
    """
    scorer = scorer or (lambda texts: score_documents(texts, targets=True, progress="tone"))
    texts = pd.concat([frame["text"] for frame in frames.values()], ignore_index=True)
    scores = attach_scores(texts.drop_duplicates().to_frame("text"), scorer).set_index("text")
    return {
        name: frame.drop(columns=scores.columns, errors="ignore").join(scores, on="text")
        for name, frame in frames.items()
    }
