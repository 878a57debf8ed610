"""Which documents a study (or one of its comparisons or groups) uses: declarative filters
applied to a corpus, and the outlet-group column a study's table adds.

The one home of what a filter means (``usrussia.study.spec``): a list of values is "one
of these", ``true``/``false`` a boolean column, ``{from, to}`` a date range with both ends
included, compared as calendar days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from usrussia.corpus.records import InputError
from usrussia.study.spec import Filter, Study

OUTLET_GROUP = "outlet_group"


def is_date_range(value: object) -> bool:
    """Whether a filter value is a ``(from, to)`` date range."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(v is None or isinstance(v, dt.date) for v in value)
        and any(v is not None for v in value)
    )


def filter_mask(frame: pd.DataFrame, spec: Filter) -> pd.Series:
    """Rows of ``frame`` that pass every condition of ``spec`` (all rows for ``{}``).

    A column the frame lacks raises ``KeyError`` naming it (``check_study`` reports
    those first, as one line).
    """
    mask = pd.Series(True, index=frame.index)
    for column, value in spec.items():
        if column not in frame.columns:
            raise KeyError(column)
        values = frame[column]
        if isinstance(value, bool):
            mask &= values.fillna(not value).astype(bool) == value
        elif is_date_range(value):
            days = pd.to_datetime(values).dt.normalize()
            start, end = value
            if start is not None:
                mask &= days >= pd.Timestamp(start)
            if end is not None:
                mask &= days <= pd.Timestamp(end)
            mask &= days.notna()
        else:
            mask &= values.isin(list(value))
    return mask


def select(frame: pd.DataFrame, spec: Filter) -> pd.DataFrame:
    """The rows of ``frame`` that pass ``spec``."""
    return frame[filter_mask(frame, spec)]


def read_outlet_groups(path: Path) -> dict[str, str]:
    """An outlet-group table (CSV ``outlet,group``) as outlet -> group."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the outlet-group table {path}: {exc}", "study") from exc
    if list(table.columns) != ["outlet", "group"]:
        raise InputError(f"{path}: an outlet-group table has the columns outlet,group", "study")
    repeated = table["outlet"][table["outlet"].duplicated()].tolist()
    if repeated:
        raise InputError(f"{path}: outlets listed twice: {', '.join(repeated[:5])}", "study")
    return dict(zip(table["outlet"], table["group"], strict=True))


def with_outlet_groups(study: Study, corpus: pd.DataFrame) -> pd.DataFrame:
    """``corpus`` with the ``outlet_group`` column when the study names a table."""
    if study.outlet_groups is None:
        return corpus
    groups = read_outlet_groups(study.outlet_groups)
    return corpus.assign(**{OUTLET_GROUP: corpus["outlet"].map(groups).astype(object)})


def in_scope(study: Study, corpus: pd.DataFrame) -> pd.DataFrame:
    """The documents of ``corpus`` in the study's scope, with its derived columns.

    Parameters
    ----------
    study : Study
    corpus : DataFrame
        A corpus in the project's schema.

    Returns
    -------
    documents : DataFrame
        The in-scope rows (index reset), with ``outlet_group`` when the study has a table.
    """
    documents = with_outlet_groups(study, corpus)
    return select(documents, study.scope).reset_index(drop=True)


def group_labels(
    frame: pd.DataFrame, study: Study, by: str | None, names: tuple[str, str]
) -> pd.Series:
    """Each row's group among ``names`` (NaN for neither): values of column ``by``, or the
    study's named groups when ``by`` is None (a row matching both is in neither, counted
    by the caller's note)."""
    if by is not None:
        return frame[by].where(frame[by].isin(names)).astype(object)
    masks = [filter_mask(frame, study.groups[name]) for name in names]
    both = masks[0] & masks[1]
    label = np.select([masks[0] & ~both, masks[1] & ~both], list(names), default=None)
    return pd.Series(label, index=frame.index, dtype=object)
