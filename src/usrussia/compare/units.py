"""Units of comparison: the one home of turning documents into the units a comparison uses
(scored once per distinct text, the sentences naming a target, calendar weeks and the weeks
every group shares).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd

from usrussia.text.sentences import split_sentences


def attach_scores(
    units: pd.DataFrame, scorer: Callable[[list[str]], pd.DataFrame], text_col: str = "text"
) -> pd.DataFrame:
    """``units`` with the columns of ``scorer(texts)`` beside them, each distinct text scored once.

    Identical texts (a headline posted twice) cost one scoring and get the same scores; a
    missing text (None, NaN) is not scored and its row gets missing scores.

    Parameters
    ----------
    units : DataFrame
    scorer : callable
        Takes a list of texts, returns one row per text in order (e.g.
        ``usrussia.sentiment.score_documents``).
    text_col : str

    Returns
    -------
    scored : DataFrame
        ``units`` (same index) with the score columns; raises ``ValueError`` when a score
        column would overwrite one of ``units``.
    """
    codes, uniques = pd.factorize(units[text_col], use_na_sentinel=True)
    scores = scorer([str(t) for t in uniques]).reset_index(drop=True)
    if len(scores) != len(uniques):
        raise ValueError(f"scorer returned {len(scores)} rows for {len(uniques)} texts")
    clash = [c for c in scores.columns if c in units.columns]
    if clash:
        raise ValueError(f"scores would overwrite columns: {', '.join(clash)}")
    # factorize codes a missing text as -1, which reindex (unlike iloc) leaves as NaN.
    joined = scores.reindex(codes).set_axis(units.index)
    return pd.concat([units, joined], axis=1)


def mention_sentences(
    df: pd.DataFrame, pattern: re.Pattern[str], keep: Sequence[str] = ("doc_id", "era", "date")
) -> pd.DataFrame:
    """One row per sentence of ``df['text']`` that matches ``pattern`` (e.g. Russia terms).

    Used for the few Russia passages in long addresses.

    Parameters
    ----------
    df : DataFrame
        Documents with a ``text`` column and the ``keep`` columns.
    pattern : compiled regular expression
    keep : sequence of str
        Document columns copied to each sentence.

    Returns
    -------
    sentences : DataFrame
        ``keep``, ``sentence_no`` (0-based within the document) and ``text`` (the sentence).
    """
    rows = [
        {**{k: doc[k] for k in keep}, "sentence_no": i, "text": sentence}
        for doc in df.to_dict("records")
        for i, sentence in enumerate(split_sentences(doc["text"]))
        if pattern.search(sentence)
    ]
    return pd.DataFrame(rows, columns=[*keep, "sentence_no", "text"])


def week_of(dates: pd.Series) -> pd.Series:
    """The calendar week (Monday to Sunday, e.g. ``2017-07-03/2017-07-09``) of each date;
    missing for a missing date."""
    dates = pd.to_datetime(dates)
    return dates.dt.to_period("W-SUN").astype(str).where(dates.notna())


def same_weeks(df: pd.DataFrame, group: pd.Series, date_col: str = "date") -> pd.DataFrame:
    """Rows of ``df`` in the calendar weeks (Monday start) where every group has documents.

    So that groups are compared over the same news days; undated rows have no week and are
    never kept.

    Parameters
    ----------
    df : DataFrame
    group : Series
        The group of each row of ``df``.
    date_col : str

    Returns
    -------
    kept : DataFrame
        The rows kept, with a ``week`` column.
    """
    week = week_of(df[date_col])
    wanted = group.dropna().unique()
    per_week = pd.crosstab(week, group).reindex(columns=wanted, fill_value=0)
    weeks = per_week.index[(per_week > 0).all(axis=1)] if len(wanted) else []
    return df.assign(week=week)[week.isin(weeks)]
