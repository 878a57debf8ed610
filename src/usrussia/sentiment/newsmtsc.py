"""NewsMTSC (Hamborg & Donnay, EACL 2021): its one reader.

US political news sentences, each with the sentiment towards one or more named people
(negative, neutral, positive) agreed by several coders, in three splits
(``config.NEWSMTSC_JSONL``): ``train``, ``devtest_rw`` (a "real-world" distribution of
sentiment) and ``devtest_mt`` (sentences that name two or more people). As in the paper,
the unit of evaluation is the target: a sentence with three targets counts three times.

Every line read is kept or quarantined with a reason (``read_newsmtsc``); the shipped
splits are read whole or not at all (``load_newsmtsc``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.corpus.records import InputError, Ledger, Record, Rejected, iter_jsonl

POLARITY = {2.0: -1, 4.0: 0, 6.0: 1}  # the dataset's codes: negative, neutral, positive
COLUMNS = (
    "sentence_id",  # primary_gid: the sentence and its primary target
    "article",  # the article the sentence is from (the id's first three parts)
    "sentence",
    "target_id",  # Input.gid
    "mention",
    "start",  # the mention is sentence[start:end]
    "end",
    "polarity",  # -1, 0, +1
    "primary",  # the target the sentence was sampled for
    "n_targets",  # targets in the sentence
)


def article_of(sentence_id: str) -> str:
    """The article of a NewsMTSC id: ``allsides_1000_401`` of ``allsides_1000_401_25_…``."""
    return "_".join(sentence_id.split("_")[:3])


def _target_row(data: dict[str, Any], target: Any) -> dict[str, Any]:
    """One target of a sentence as a row; ``ValueError`` says what is wrong with it."""
    sentence = data["sentence_normalized"]
    if not isinstance(target, dict):
        raise ValueError("target is not an object")
    start, end, mention = target.get("from"), target.get("to"), target.get("mention")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ValueError(f"target offsets are not integers: {start!r}, {end!r}")
    if not isinstance(mention, str) or sentence[start:end] != mention or start < 0:
        raise ValueError(f"mention {mention!r} is not at {start}:{end}")
    if target.get("polarity") not in POLARITY:
        raise ValueError(f"polarity {target.get('polarity')!r} is not 2, 4 or 6")
    gid = target.get("Input.gid")
    if not isinstance(gid, str):
        raise ValueError("target has no Input.gid")
    return {
        "target_id": gid,
        "mention": mention,
        "start": start,
        "end": end,
        "polarity": POLARITY[target["polarity"]],
        "primary": gid == data["primary_gid"],
    }


def _sentence_rows(record: Record) -> list[dict[str, Any]]:
    """The rows of one line; ``ValueError`` gives the reason to quarantine it."""
    data = record.data
    for key in ("primary_gid", "sentence_normalized"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"no {key}")
    targets = data.get("targets")
    if not isinstance(targets, list) or not targets:
        raise ValueError("no targets")
    rows = [_target_row(data, t) for t in targets]
    base = {
        "sentence_id": data["primary_gid"],
        "article": article_of(data["primary_gid"]),
        "sentence": data["sentence_normalized"],
        "n_targets": len(rows),
    }
    return [{**base, **row} for row in rows]


def read_newsmtsc(path: Path) -> tuple[pd.DataFrame, Ledger]:
    """Read a NewsMTSC JSONL file, one row per target.

    A line (a sentence) is kept whole or quarantined whole, with the reason: invalid
    JSON, a missing field, a mention that is not at its offsets, an unknown polarity, an
    id already read.

    Parameters
    ----------
    path : Path
        A NewsMTSC split (``sentence_normalized``, ``primary_gid``, ``targets``).

    Returns
    -------
    frame : DataFrame
        The ``COLUMNS``, one row per target of the kept lines, in file order.
    ledger : Ledger
        Lines read, kept and quarantined.
    """
    ledger, rows, seen = Ledger(), [], set()
    for item in iter_jsonl(Path(path)):
        ledger.read += 1
        if isinstance(item, Rejected):
            ledger.reject(item)
            continue
        try:
            kept = _sentence_rows(item)
            if kept[0]["sentence_id"] in seen:
                raise ValueError(f"id {kept[0]['sentence_id']!r} read before")
        except ValueError as exc:
            ledger.reject(Rejected(item.file, item.line, "invalid target", item.data, str(exc)))
            continue
        seen.add(kept[0]["sentence_id"])
        rows.extend(kept)
        ledger.kept += 1
    ledger.check()
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype({"start": np.int64, "end": np.int64, "polarity": np.int64}), ledger


def load_newsmtsc(split: str) -> pd.DataFrame:
    """A shipped NewsMTSC split, one row per target (``read_newsmtsc``).

    Parameters
    ----------
    split : str
        ``train``, ``devtest_rw`` or ``devtest_mt``.

    Returns
    -------
    DataFrame

    Raises
    ------
    InputError
        For another split, or if any line of the shipped file is quarantined.
    """
    if split not in config.NEWSMTSC_JSONL:
        raise InputError(f"no NewsMTSC split {split!r}; one of {', '.join(config.NEWSMTSC_SPLITS)}")
    frame, ledger = read_newsmtsc(config.NEWSMTSC_JSONL[split])
    if ledger.quarantined:
        first = ledger.rejected[0]
        raise InputError(
            f"{first.file}: {ledger.summary()}; line {first.line}: {first.reason} {first.detail}"
        )
    return frame


def sentences(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct sentences of a target table, and each target's sentence.

    Parameters
    ----------
    frame : DataFrame
        ``read_newsmtsc`` rows.

    Returns
    -------
    sentences : DataFrame
        One row per ``sentence_id`` in first-seen order: ``sentence_id``, ``article``,
        ``sentence``, ``n_targets`` and ``polarity``, the mean polarity of its targets.
    index : ndarray of int
        For each target, the row of its sentence, so that ``values[index]`` gives a
        sentence-level value to every target.
    """
    grouped = frame.groupby("sentence_id", sort=False)
    out = grouped.agg(
        article=("article", "first"),
        sentence=("sentence", "first"),
        n_targets=("n_targets", "first"),
        polarity=("polarity", "mean"),
    ).reset_index()
    index = frame["sentence_id"].map(pd.Series(np.arange(len(out)), index=out["sentence_id"]))
    return out, index.to_numpy(np.int64)
