"""The canonical corpus: one schema for every source, with era labels and accounting.

``build_corpus`` reads every raw source through its importer (``usrussia.corpus.sources``),
``import_file`` turns a user's JSONL/CSV/Parquet file into the same schema. Both pass
records through ``to_corpus``, which keeps or quarantines each one with a reason, so
that ``read == kept + quarantined`` always holds.

The corpus stage comes before the text stage, so it does not import it: the cleaning and
the word tokeniser are handed in as ``TextSteps`` (``usrussia.engine`` hands in
``usrussia.text``'s). Relevance is decided here, once, on the cleaned title and text, by
the rule of each source (``usrussia.corpus.selection.relevant``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia import config
from usrussia.corpus.dates import DateError, era_of, parse_date
from usrussia.corpus.records import (
    FORMATS,
    InputError,
    Ledger,
    Record,
    Rejected,
    is_missing,
    iter_file,
)
from usrussia.corpus.selection import count_mentions, relevant
from usrussia.io import progress as progress_bar

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
    "text_kind",
    "category",
    "relevant",
    "n_words",
    "n_us_mentions",
    "n_russia_mentions",
)
USER_FIELDS: tuple[str, ...] = ("doc_id", "source", "outlet", "date", "title", "text", "url")
# What ``text`` holds: the full text, or what stands in where a source has none.
TEXT_KINDS: tuple[str, ...] = ("full", "lead", "abstract", "title")
# How a build applies the per-record step to the records, in order: ``map`` in this
# process, or a cluster's ordered map (``usrussia.engine``).
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True)
class TextSteps:
    """The text stage's functions a corpus build is handed.

    ``clean(text, source)`` returns the cleaned text; ``words(text)`` its word tokens (the
    project's one word tokeniser, ``usrussia.text.tokens.word_tokenize``), counted as
    ``n_words``.
    """

    clean: Callable[[str, str], str]
    words: Callable[[str], Sequence[str]]


def _text_field(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if is_missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


def _document(
    record: Record, steps: TextSteps, defaults: Mapping[str, Any], dayfirst: bool | None = None
) -> dict[str, Any] | Rejected:
    """The canonical row for one record, or the record quarantined with its reason.

    ``date`` is the calendar day (in US Eastern time for a moment); ``dayfirst`` is the
    stated order of numeric day-month-year dates (``parse_date``).
    """
    data = {**defaults, **{k: v for k, v in record.data.items() if v is not None}}
    raw_text = data.get("text")
    fallback = _text_field(data, "fallback_text")
    if not isinstance(raw_text, str) or not (raw_text.strip() or fallback.strip()):
        return Rejected(record.file, record.line, "missing text", record.data)
    source = _text_field(data, "source") or "user"
    text_kind = _text_field(data, "text_kind") or "full"
    if text_kind not in TEXT_KINDS:
        detail = f"{text_kind!r}: not one of {', '.join(TEXT_KINDS)}"
        return Rejected(record.file, record.line, "unknown text_kind", record.data, detail)
    # An importer may offer a ``fallback_text`` (e.g. a title) for a text that cleaning
    # empties, and say what it is (``fallback_kind``).
    text = steps.clean(raw_text, source)
    if not text:
        text = steps.clean(fallback, source)
        text_kind = _text_field(data, "fallback_kind") or text_kind
    if not text:
        return Rejected(record.file, record.line, "empty after cleaning", record.data)
    try:
        when = parse_date(data.get("date"), dayfirst)
    except DateError as exc:
        return Rejected(record.file, record.line, exc.reason, record.data, exc.detail)
    era, president = era_of(when)
    date = when.date() if isinstance(when, dt.datetime) else when
    title = steps.clean(_text_field(data, "title"), source)
    doc_id = _text_field(data, "doc_id").strip()
    if not doc_id:
        doc_id = f"{Path(record.file).stem.split('.')[0]}-{record.line}"
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
        "text_kind": text_kind,
        "category": _text_field(data, "category"),
        "relevant": relevant(source, title, text),
        "n_words": len(steps.words(text)),
        "n_us_mentions": count_mentions(title + "\n" + text, "united_states"),
        "n_russia_mentions": count_mentions(title + "\n" + text, "russia"),
    }


def document(
    item: Record | Rejected,
    steps: TextSteps,
    defaults: Mapping[str, Any],
    dayfirst: bool | None = None,
) -> dict[str, Any] | Rejected:
    """The canonical row of one record, or why it is quarantined (a reader's reject as is).

    A function of the record alone, so that records can be turned into rows anywhere (on
    a cluster's workers); what is kept of the rows is decided in order by ``to_corpus``.
    """
    return item if isinstance(item, Rejected) else _document(item, steps, defaults, dayfirst)


def to_corpus(
    items: Iterable[Record | Rejected],
    steps: TextSteps,
    ledger: Ledger | None = None,
    defaults: Mapping[str, Any] | None = None,
    progress: str | None = None,
    dayfirst: bool | None = None,
    mapper: Mapper = map,
) -> tuple[pd.DataFrame, Ledger]:
    """Keep or quarantine each record and return the corpus frame and the ledger.

    Reasons: those of the reader (invalid JSON, undecodable bytes, …), ``missing text``,
    ``unparseable date``, ``ambiguous date`` (numeric day and month, ``dayfirst`` not
    given), ``date in the future``, ``empty after cleaning``, ``duplicate id`` (a doc_id
    seen before) and ``duplicate`` (same source, title and text as a kept document).
    ``mapper`` applies ``document`` to the records (in order); the duplicates are found
    here, in order, whatever it is.
    """
    ledger = ledger if ledger is not None else Ledger()
    rows: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    seen_texts: set[bytes] = set()
    items, pending = itertools.tee(items)  # holds the records the mapper has read ahead
    step = functools.partial(document, steps=steps, defaults=defaults or {}, dayfirst=dayfirst)
    documents = mapper(step, pending)
    bar = progress_bar(items, desc=progress, unit=" docs")
    for item, doc in zip(bar, documents, strict=True):
        ledger.read += 1
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


def iter_input(
    path: str | os.PathLike[str], fmt: str | None = None, mapping: Mapping[str, str] | None = None
) -> Iterator[Record | Rejected]:
    """The records of one input of ``corpus import``, read (or refused) at once.

    A user's JSONL/CSV/Parquet file (its columns renamed by ``mapping``), or what a fetch
    saved: a folder of pages, one page, a Media Cloud export (``sources.FETCHED``). The
    format is ``fmt``, else a fetched folder's manifest, else the file's suffix.
    """
    from usrussia.corpus.raw import manifest_source
    from usrussia.corpus.sources import FETCHED, SERIES_FORMATS, series_kind

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if series_kind(path, fmt):
        raise InputError(f"{path}: a table of GDELT events or tone, not documents; import it alone")
    fmt = fmt or manifest_source(path)
    if fmt in FETCHED:
        return FETCHED[fmt](path)
    if fmt is not None and fmt not in FORMATS:
        formats = ", ".join((*FORMATS, *FETCHED, *SERIES_FORMATS))
        raise InputError(f"unknown format {fmt!r}; use one of {formats}")
    if path.is_dir():
        raise InputError(f"{path}: a folder that no fetch wrote; name its source", "format")
    records = list(iter_file(path, fmt))  # whole: refused before to_corpus draws its bar
    return map_columns(records, mapping or {})


def import_file(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    steps: TextSteps,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    dayfirst: bool | None = None,
    mapper: Mapper = map,
) -> tuple[pd.DataFrame, Ledger]:
    """Turn inputs (``iter_input``: users' files, fetched folders) into one corpus.

    Every input is read (or refused with ``InputError``) before the first record is
    kept; ``dayfirst`` states the order of numeric dates such as 07/08/2017 (``parse_date``);
    ``mapper`` is ``to_corpus``'s.
    """
    paths = [path] if isinstance(path, str | os.PathLike) else list(path)
    inputs = [iter_input(p, fmt, mapping) for p in paths]
    name = ", ".join(Path(p).name for p in paths)
    return to_corpus(
        itertools.chain.from_iterable(inputs),
        steps,
        defaults=defaults,
        progress=f"importing {name}",
        dayfirst=dayfirst,
        mapper=mapper,
    )


def build_corpus(
    steps: TextSteps,
    sources: Iterable[Callable[[], Iterable[Record | Rejected]]] | None = None,
    mapper: Mapper = map,
) -> tuple[pd.DataFrame, Ledger]:
    """Read every shipped raw source (or ``sources``) through its importer into one corpus
    (``mapper``: ``to_corpus``'s)."""
    from usrussia.corpus.sources import IMPORTERS

    importers = sources if sources is not None else IMPORTERS.values()
    items = itertools.chain.from_iterable(importer() for importer in importers)
    return to_corpus(items, steps, progress="building corpus", mapper=mapper)


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
