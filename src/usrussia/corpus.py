"""The canonical corpus: one schema for every source, with era labels and accounting.

``build_corpus`` reads every raw source through its importer (``usrussia.sources``),
``import_file`` turns a user's JSONL/CSV/Parquet file into the same schema. Both pass
records through ``to_corpus``, which keeps or quarantines each one with a reason, so
that ``read == kept + quarantined`` always holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia import config
from usrussia.clean import clean_text
from usrussia.io import atomic_write
from usrussia.progress import progress as progress_bar
from usrussia.records import InputError, Ledger, Record, Rejected, iter_file
from usrussia.selection import RUSSIA_PATTERN, US_PATTERN, count_mentions, russia_related

COLUMNS: tuple[str, ...] = (
    "doc_id",
    "source",
    "outlet",
    "date",
    "title",
    "text",
    "url",
    "licence",
    "president_us",
    "era",
    "kind",
    "relevant",
    "n_words",
    "n_us_mentions",
    "n_russia_mentions",
)
USER_FIELDS: tuple[str, ...] = ("doc_id", "source", "outlet", "date", "title", "text", "url")

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y",
)
_WORD = re.compile(r"\w+")


def parse_date(value: Any) -> dt.date | None:
    """A date from a string, date or timestamp; ``None`` when the value is empty.

    Raises ``ValueError`` for a value that is present but cannot be read as a date.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"unparseable date {text!r}") from None


def era_of(date: dt.date | None) -> tuple[str | None, str | None]:
    """The (era, US president) in office on ``date``; ``(None, None)`` when unknown."""
    if date is None:
        return None, None
    current: tuple[str | None, str | None] = (None, None)
    for name, president, start in config.ERAS:
        if date >= start:
            current = (name, president)
    return current


def _text_field(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _document(record: Record, defaults: Mapping[str, Any]) -> dict[str, Any] | Rejected:
    """The canonical row for one record, or the record quarantined with its reason."""
    data = {**defaults, **{k: v for k, v in record.data.items() if v is not None}}
    raw_text = data.get("text")
    fallback = _text_field(data, "fallback_text")
    if not isinstance(raw_text, str) or not (raw_text.strip() or fallback.strip()):
        return Rejected(record.file, record.line, "missing text", record.data)
    source = _text_field(data, "source") or "user"
    # An importer may offer a ``fallback_text`` (e.g. a title) for a text that cleaning empties.
    text = clean_text(raw_text, source=source) or clean_text(fallback, source=source)
    if not text:
        return Rejected(record.file, record.line, "empty after cleaning", record.data)
    try:
        date = parse_date(data.get("date"))
    except ValueError:
        detail = repr(data.get("date"))
        return Rejected(record.file, record.line, "unparseable date", record.data, detail)
    era, president = era_of(date)
    title = clean_text(_text_field(data, "title"), source=source)
    doc_id = _text_field(data, "doc_id").strip()
    if not doc_id:
        doc_id = f"{Path(record.file).stem.split('.')[0]}-{record.line}"
    relevant = data.get("relevant")
    if relevant is None:
        relevant = russia_related(title, text)
    return {
        "doc_id": doc_id,
        "source": source,
        "outlet": _text_field(data, "outlet"),
        "date": date,
        "title": title,
        "text": text,
        "url": _text_field(data, "url"),
        "licence": _text_field(data, "licence"),
        "president_us": president,
        "era": era,
        "kind": _text_field(data, "kind"),
        "relevant": bool(relevant),
        "n_words": len(_WORD.findall(text)),
        "n_us_mentions": count_mentions(title + "\n" + text, US_PATTERN),
        "n_russia_mentions": count_mentions(title + "\n" + text, RUSSIA_PATTERN),
    }


def to_corpus(
    items: Iterable[Record | Rejected],
    ledger: Ledger | None = None,
    defaults: Mapping[str, Any] | None = None,
    progress: str | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Keep or quarantine each record and return the corpus frame and the ledger.

    Reasons: those of the reader (invalid JSON, undecodable bytes, …), ``missing text``,
    ``unparseable date …``, ``empty after cleaning``, ``duplicate id`` (a doc_id seen
    before) and ``duplicate`` (same source, title and text as a kept document).
    """
    ledger = ledger if ledger is not None else Ledger()
    defaults = defaults or {}
    rows: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    seen_texts: set[bytes] = set()
    for item in progress_bar(items, desc=progress, unit=" docs"):
        ledger.read += 1
        if isinstance(item, Rejected):
            ledger.reject(item)
            continue
        doc = _document(item, defaults)
        if isinstance(doc, Rejected):
            ledger.reject(doc)
            continue
        fingerprint = hashlib.blake2b(
            "\x00".join((doc["source"], doc["title"], doc["text"])).encode(), digest_size=16
        ).digest()
        if doc["doc_id"] in seen_ids:
            ledger.reject(Rejected(item.file, item.line, "duplicate id", item.data))
            continue
        if fingerprint in seen_texts:
            ledger.reject(Rejected(item.file, item.line, "duplicate", item.data))
            continue
        seen_ids.add(doc["doc_id"])
        seen_texts.add(fingerprint)
        rows.append(doc)
        ledger.kept += 1
    ledger.check()
    return frame(rows), ledger


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A corpus DataFrame with the canonical columns and dtypes."""
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["date"] = pd.to_datetime(df["date"])
    df["relevant"] = df["relevant"].astype(bool)
    for col in ("n_words", "n_us_mentions", "n_russia_mentions"):
        df[col] = df[col].astype("int64")
    return df


def write_corpus(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the corpus to Parquet atomically (temp file, then rename)."""
    return atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))


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


def map_columns(items: Iterable[Record | Rejected], mapping: Mapping[str, str]):
    """Rename user columns to the canonical fields (``mapping``: canonical -> user name)."""
    for item in items:
        if isinstance(item, Record) and mapping:
            data = dict(item.data)
            for canonical, user in mapping.items():
                if user in data:
                    data[canonical] = data.pop(user)
            item = Record(item.file, item.line, data)
        yield item


def import_file(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Turn a user's JSONL/CSV/Parquet file into the canonical corpus schema."""
    items = map_columns(iter_file(path, fmt), mapping or {})
    return to_corpus(items, defaults=defaults, progress=f"importing {Path(path).name}")


def build_corpus(
    sources: Iterable[Callable[[], Iterable[Record | Rejected]]] | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Read every shipped raw source through its importer into one corpus."""
    from usrussia.sources import IMPORTERS

    importers = sources if sources is not None else IMPORTERS.values()
    items = itertools.chain.from_iterable(importer() for importer in importers)
    return to_corpus(items, progress="building corpus")


def counts_by(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Document counts per combination of ``columns`` (missing values shown as 'unknown')."""
    return (
        df[list(columns)]
        .astype("object")
        .fillna("unknown")
        .value_counts()
        .rename("documents")
        .reset_index()
        .sort_values(list(columns))
        .reset_index(drop=True)
    )


def sample_corpus(df: pd.DataFrame, n: int, seed: int = config.SEED) -> pd.DataFrame:
    """A deterministic stratified sample of about ``n`` documents covering every source.

    Strata are (source, relevant); each gets an equal share of ``n``, and what a small
    stratum cannot use goes to the larger ones, so tiny sources are kept whole and the
    documents the analyses select are well represented. Rows keep their corpus order.
    """
    if n < 1:
        raise ValueError(f"sample size must be at least 1, got {n}")
    groups = sorted(df.groupby(["source", "relevant"]).indices.items(), key=lambda g: len(g[1]))
    picked: list[pd.Index] = []
    remaining = n
    for i, (_, positions) in enumerate(groups):
        take = min(len(positions), remaining // (len(groups) - i))
        remaining -= take
        picked.append(df.iloc[positions].sample(take, random_state=seed).index)
    index = picked[0].append(picked[1:]) if picked else df.index[:0]
    return df.loc[df.index.isin(index)].reset_index(drop=True)
