"""The chosen topic model's document-topic shares as a file other pages read.

The topic page (notebook 03) writes the shares of the documents it fitted on to
``OUTPUT/data/topic_shares.parquet`` (``TOPIC_SHARES`` under the report's output folder):
a column ``doc_id``, then one column per topic label, shares summing to 1 per row. The
comparison page (notebook 04) reads them (``read_topic_shares``) instead of fitting its
own model; a run that fits no model removes the file, so no page reads a stale one.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from usrussia.io import atomic_write

TOPIC_SHARES = Path("data") / "topic_shares.parquet"  # relative to a report's output folder


def topic_shares_path(output_dir: str | os.PathLike[str]) -> Path:
    """Where the topic shares of the run writing into ``output_dir`` live."""
    return Path(output_dir) / TOPIC_SHARES


def write_topic_shares(
    shares: pd.DataFrame, doc_ids: pd.Series, output_dir: str | os.PathLike[str]
) -> Path:
    """Write the shares of the documents that have them (a document with no term of the
    vocabulary has none and is left out).

    Parameters
    ----------
    shares : DataFrame
        Documents x topics (``TopicFit.shares``), indexed like ``doc_ids``.
    doc_ids : Series
        The ``doc_id`` of each document.
    output_dir : path-like
        The report's output folder.

    Returns
    -------
    path : Path
    """
    kept = shares[shares.notna().all(axis=1)]
    frame = kept.astype("float64").reset_index(drop=True)
    frame.insert(0, "doc_id", doc_ids.reindex(kept.index).astype(str).to_numpy())
    if not np.allclose(frame.iloc[:, 1:].sum(axis=1), 1.0):
        raise ValueError("topic shares must sum to 1 per document")
    path = topic_shares_path(output_dir)
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


def read_topic_shares(output_dir: str | os.PathLike[str]) -> pd.DataFrame | None:
    """The shares the topic page wrote into ``output_dir`` (``None`` when it wrote none)."""
    path = topic_shares_path(output_dir)
    return pd.read_parquet(path) if path.is_file() else None


def remove_topic_shares(output_dir: str | os.PathLike[str]) -> None:
    """Remove the shares of an earlier run (a run that fits no model has none)."""
    topic_shares_path(output_dir).unlink(missing_ok=True)
