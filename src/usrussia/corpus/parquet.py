"""The corpus as a Parquet file: written atomically with the counts of the build or import
that made it, checked from its schema, read back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia import config
from usrussia.corpus.build import COLUMNS
from usrussia.corpus.records import InputError, Ledger
from usrussia.io import atomic_write

ACCOUNTING_KEY = b"usrussia.accounting"  # Parquet metadata: the build's ledger counts


def write_corpus(
    df: pd.DataFrame, path: str | os.PathLike[str], ledger: Ledger | None = None
) -> Path:
    """Write the corpus to Parquet atomically (temp file, then rename).

    With the ``ledger`` of the build or import that made ``df``, its counts (read, kept,
    quarantined and the reasons) are stored in the file's metadata, so that whoever reads
    the corpus later can say how many records were quarantined (``read_accounting``).
    """
    if ledger is None:
        return atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))
    import pyarrow as pa
    import pyarrow.parquet as pq

    if ledger.kept != len(df):
        raise ValueError(f"the ledger kept {ledger.kept} records, the corpus has {len(df)}")
    counts = ledger_counts(ledger)
    table = pa.Table.from_pandas(df, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), ACCOUNTING_KEY: json.dumps(counts).encode()}
    table = table.replace_schema_metadata(metadata)
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def ledger_counts(ledger: Ledger) -> dict[str, Any]:
    """A ledger's counts: read, kept, quarantined and quarantined per reason."""
    return {
        "read": ledger.read,
        "kept": ledger.kept,
        "quarantined": ledger.quarantined,
        "reasons": dict(sorted(ledger.reasons().items())),
    }


def read_accounting(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The counts ``write_corpus`` stored with a corpus (``None`` when none were stored)."""
    import pyarrow.parquet as pq

    stored = (pq.read_schema(check_corpus(path)).metadata or {}).get(ACCOUNTING_KEY)
    return json.loads(stored) if stored else None


def check_corpus(path: str | os.PathLike[str]) -> Path:
    """Check, from its schema alone, that ``path`` is a corpus Parquet; return the path.

    Raises ``InputError`` when the file is missing, is not readable Parquet, or lacks any
    of the corpus ``COLUMNS`` (naming the missing ones).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise InputError(f"corpus not found: {path}")
    try:
        names = set(pq.read_schema(path).names)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(f"{path}: not a corpus, missing the column(s) {', '.join(missing)}")
    return path


def read_corpus(path: str | os.PathLike[str] = config.CORPUS_PARQUET) -> pd.DataFrame:
    """Read a corpus written by ``write_corpus``; ``InputError`` if it is not one.

    The schema is checked first (``check_corpus``), so a Parquet file of something else
    fails with the missing columns named instead of a ``KeyError`` later.
    """
    import pyarrow as pa

    try:
        return pd.read_parquet(check_corpus(path))
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable corpus ({exc})") from exc
