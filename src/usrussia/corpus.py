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
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from dateutil import parser as date_parser

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

_WORD = re.compile(r"\w+")

EASTERN = ZoneInfo(config.ERA_TIMEZONE)
# A numeric date at the start of a string, year first (2017/3/5) or last (07/08/2017).
_YEAR_FIRST = re.compile(
    r"(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?=$|[T\s])"
)
_YEAR_LAST = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?=$|[T\s])"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T\s])")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]+")
_MONTHS = date_parser.parserinfo()  # dateutil's table of month names (``.month(word)``)
# dateutil fills what a string lacks from a default: parsed with both, a string that names
# its day, month and year gives the same date, one that lacks any of them does not.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))


class DateError(ValueError):
    """A date that is present but unusable: ``reason`` is the quarantine category and
    ``detail`` says what is wrong with this value."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def parse_date(value: Any, dayfirst: bool | None = None) -> dt.date | dt.datetime | None:
    """The day or the moment of a string, date or timestamp; ``None`` when it is empty.

    Parameters
    ----------
    value
        A ``date``, a ``datetime`` or a string: ISO 8601 with or without a time and an
        offset, a year-first numeric date (``2017/3/5``), a date with a month name
        (``July 7, 2017``, ``7 July 2017``, ``Jul 7 2017``), or a day-month-year numeric
        date (``07/08/2017``, ``7.8.2017``), which needs ``dayfirst``.
    dayfirst
        The order of a numeric date with the year last: True for day/month/year, False for
        month/day/year, None when not stated (such a date is then refused, never guessed).

    Returns
    -------
    date, datetime or None
        A ``date`` for a whole day; a ``datetime`` in US Eastern time for a moment (an
        offset converted, a time without offset read as Eastern). A timestamp at midnight
        without an offset is a whole day, as pandas and Parquet store dates.

    Raises
    ------
    DateError
        For a value that is present but unreadable (including a string that lacks its day,
        month or four-digit year), a day-month-year date with no stated order, or a date
        later than now.
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        when = _day_or_moment(value)
    elif isinstance(value, dt.date):
        when = value
    else:
        text = str(value).strip()
        if not text:
            return None
        when = _day_or_moment(_parse_text(text, dayfirst))
    _refuse_future(when, value)
    return when


def _day_or_moment(value: dt.datetime) -> dt.date | dt.datetime:
    """A naive midnight as a whole day; any other timestamp as a moment in Eastern time."""
    if value.tzinfo is None:
        return value.date() if value.time() == dt.time(0) else value.replace(tzinfo=EASTERN)
    return value.astimezone(EASTERN)


def _parse_text(text: str, dayfirst: bool | None) -> dt.datetime:
    """A string as a (naive or aware) datetime; see ``parse_date`` for the forms read."""
    iso = _numeric_to_iso(text, dayfirst)
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    incomplete = DateError("unparseable date", f"{text!r}: needs a day, a month and a year")
    if not _ISO_DAY.match(iso):
        if not any(_MONTHS.month(w) is not None for w in _LETTERS.findall(iso)):
            raise DateError("unparseable date", repr(text))
        if not _FOUR_DIGIT_YEAR.search(iso):
            raise incomplete
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", date_parser.UnknownTimezoneWarning)
            first, second = (date_parser.parse(iso, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, date_parser.UnknownTimezoneWarning):
        raise DateError("unparseable date", repr(text)) from None
    if first.date() != second.date():
        raise incomplete
    return first


def _numeric_to_iso(text: str, dayfirst: bool | None) -> str:
    """``text`` with a leading numeric date rewritten as YYYY-MM-DD (the rest kept).

    Year-first dates are year-month-day everywhere; with the year last, the day/month
    order must be stated, and a date impossible in the stated order is refused.
    """
    if match := _YEAR_FIRST.match(text):
        year, month, day = match["y"], match["m"], match["d"]
        order = "year-month-day"
    elif match := _YEAR_LAST.match(text):
        if dayfirst is None:
            detail = f"{text!r}: numeric day and month; pass --dayfirst or --monthfirst"
            raise DateError("ambiguous date", detail)
        year = match["y"]
        day, month = (match["a"], match["b"]) if dayfirst else (match["b"], match["a"])
        order = "day first (--dayfirst)" if dayfirst else "month first (--monthfirst)"
    else:
        return text
    try:
        day_iso = dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise DateError("unparseable date", f"{text!r}: not a valid date {order}") from None
    return day_iso + text[match.end() :]


def _refuse_future(when: dt.date | dt.datetime, value: Any) -> None:
    """Raise ``DateError`` for a moment after now, or a day no time zone has reached yet."""
    now = dt.datetime.now(dt.UTC)
    if isinstance(when, dt.datetime):
        late = when > now
    else:
        late = when > (now + dt.timedelta(hours=14)).date()  # UTC+14 is the earliest zone
    if late:
        raise DateError("date in the future", f"{value!r} is after now ({now:%Y-%m-%d %H:%M} UTC)")


def era_of(when: dt.date | dt.datetime | None) -> tuple[str | None, str | None]:
    """The (era, US president) in office at ``when``; ``(None, None)`` when unknown.

    A term begins at noon US Eastern time on inauguration day (``config.ERAS``): a moment
    belongs to the administration in office then (a naive time is read as Eastern, a naive
    midnight as the whole day), a whole day to the one in office at the end of that day.
    Before the first era and from ``config.ERAS_END`` on there is no known era.
    """
    if when is None:
        return None, None
    if isinstance(when, dt.datetime):
        when = _day_or_moment(when)
    current: tuple[str | None, str | None] = (None, None)
    # ERAS_END begins a term not listed yet: from then on the era is unknown again.
    for name, president, start in (*config.ERAS, (None, None, config.ERAS_END)):
        if _began(start, when):
            current = (name, president)
    return current


def _began(day: dt.date, when: dt.date | dt.datetime) -> bool:
    """Whether a term beginning on ``day`` had begun at the moment, or by the end of the day."""
    if isinstance(when, dt.datetime):
        return when >= dt.datetime.combine(day, config.INAUGURATION_TIME, EASTERN)
    return when >= day


def _text_field(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _document(
    record: Record, defaults: Mapping[str, Any], dayfirst: bool | None = None
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
    # An importer may offer a ``fallback_text`` (e.g. a title) for a text that cleaning empties.
    text = clean_text(raw_text, source=source) or clean_text(fallback, source=source)
    if not text:
        return Rejected(record.file, record.line, "empty after cleaning", record.data)
    try:
        when = parse_date(data.get("date"), dayfirst)
    except DateError as exc:
        return Rejected(record.file, record.line, exc.reason, record.data, exc.detail)
    era, president = era_of(when)
    date = when.date() if isinstance(when, dt.datetime) else when
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
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Keep or quarantine each record and return the corpus frame and the ledger.

    Reasons: those of the reader (invalid JSON, undecodable bytes, …), ``missing text``,
    ``unparseable date``, ``ambiguous date`` (numeric day and month, ``dayfirst`` not
    given), ``date in the future``, ``empty after cleaning``, ``duplicate id`` (a doc_id
    seen before) and ``duplicate`` (same source, title and text as a kept document).
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
        doc = _document(item, defaults, dayfirst)
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
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Turn a user's JSONL/CSV/Parquet file into the canonical corpus schema.

    ``dayfirst`` states the order of numeric dates such as 07/08/2017 (``parse_date``).
    """
    items = map_columns(iter_file(path, fmt), mapping or {})
    name = Path(path).name
    return to_corpus(items, defaults=defaults, progress=f"importing {name}", dayfirst=dayfirst)


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
