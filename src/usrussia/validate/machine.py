"""The automatic measures to validate: where they come from and their native ranges.

A measure is binned onto the coding scale by mapping its native range linearly onto the
codes (``usrussia.validate.machine_agreement.bin_to_scale``). The ranges are fixed here, before any
coding is seen:

- ``vader_compound``: -1..+1, the bounds of VADER's compound score.
- ``lexicon_tone``: -10..+10, where GDELT documents most of its tone values to lie (the
  score's bounds, -100..+100, would put nearly every text in the middle code).
- ``score``, ``tone_russia``, ``tone_us``: -4..+4, the scale of the NYT raters whose mean
  rating the recommended score predicts.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pandas as pd

from usrussia.corpus.records import InputError, Rejected, iter_file

MEASURE_RANGES: dict[str, tuple[float, float]] = {
    "score": (-4.0, 4.0),
    "vader_compound": (-1.0, 1.0),
    "lexicon_tone": (-10.0, 10.0),
    "tone_russia": (-4.0, 4.0),
    "tone_us": (-4.0, 4.0),
}


def parse_range(spec: str) -> tuple[str, tuple[float, float]]:
    """``NAME=LOW:HIGH`` (``--measure``) as a measure name and its native range."""
    name, sep, bounds = spec.partition("=")
    low, colon, high = bounds.partition(":")
    try:
        value = (float(low), float(high))
    except ValueError:
        value = None
    if not (sep and colon and name.strip() and value) or not value[0] < value[1]:
        raise InputError(
            f"a measure's range is NAME=LOW:HIGH with LOW < HIGH, got {spec!r}", parameter="measure"
        )
    return name.strip(), value


def _number(value: Any, where: str) -> float:
    """A measure's value as a float; empty is NaN, anything else not a number is an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {value!r} is not a number") from None
    return number if math.isfinite(number) else math.nan


def read_machine(
    path: str | os.PathLike[str],
    unit_ids: list[str],
    ranges: dict[str, tuple[float, float]] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, tuple[float, float]], int]:
    """The automatic measures of each coded unit, from a CSV/JSONL/Parquet file.

    The file needs a ``unit_id`` column (the output of ``usrussia sentiment`` run on the
    coding sheet has one) and at least one measure: a column of ``MEASURE_RANGES`` or one
    named in ``ranges``. Returns the values aligned with ``unit_ids`` (NaN for a unit the
    file lacks), the range of each measure, and how many rows name no coded unit.
    """
    ranges = {**MEASURE_RANGES, **(ranges or {})}
    rows: dict[str, dict[str, Any]] = {}
    columns: set[str] = set()
    for item in iter_file(path):
        if isinstance(item, Rejected):
            raise InputError(f"{path} line {item.line}: {item.reason} {item.detail}".rstrip())
        columns |= set(item.data)
        value = item.data.get("unit_id")
        unit = "" if value is None else str(value).strip()
        if not unit:
            raise InputError(f"{path} line {item.line}: no unit_id")
        if unit in rows:
            raise InputError(f"{path}: unit_id {unit!r} appears twice")
        rows[unit] = {**item.data, "_line": item.line}
    measures = [m for m in ranges if m in columns]
    if not measures:
        raise InputError(
            f"{path}: no automatic measure; expected a column {', '.join(MEASURE_RANGES)} "
            "(or another measure with its native range)",
            parameter="measure",
        )
    values = {
        m: np.array(
            [
                _number(rows[u].get(m), f"{path} line {rows[u]['_line']}, {m}")
                if u in rows
                else math.nan
                for u in unit_ids
            ]
        )
        for m in measures
    }
    unmatched = len(set(rows) - set(unit_ids))
    return values, {m: ranges[m] for m in measures}, unmatched


def score_texts(texts: pd.Series) -> dict[str, np.ndarray]:
    """The sentiment measures of each text (``usrussia.sentiment.score_documents``)."""
    from usrussia.sentiment import MEASURES, score_documents

    scores = score_documents(texts.where(texts.map(lambda t: isinstance(t, str)), None))
    return {m: scores[m].to_numpy(float) for m in MEASURES}
