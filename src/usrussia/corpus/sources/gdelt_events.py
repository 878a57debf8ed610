"""GDELT event files: the US-Russia dyad's own events, tone and cooperation/conflict.

GDELT 1.0 publishes every coded event as tab-separated files without a header: one zip a
year to 2005, one a month from January 2006 to March 2013 (57 columns), one a day from
1 April 2013 on (58 columns, with ``SOURCEURL``); GDELT 2.0's 15-minute files have 61
columns. ``fetch`` downloads the 1.0 files covering a date range, as they came (a day the
server lacks is noted, not fatal); ``read_events`` reads them offline into a table of the
events between the two actor countries of the fetch (``USA`` and ``RUS`` by default, in
either order), with ``GoldsteinScale``, ``NumMentions`` and ``AvgTone``. The files hold
every event in the world: rows of other actors, or of days outside the fetched range
(a monthly or yearly file is larger than the range), are not records of this source and
are counted as skipped; a row of the dyad with a wrong number of fields, a bad date or a
bad number is quarantined. The table is not a corpus: it has no texts.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia.corpus.fetch import Api, FetchError
from usrussia.corpus.raw import Session, pages, read_manifest
from usrussia.corpus.records import Ledger, Rejected

API = Api(
    name="gdelt-events",
    url_env="USRUSSIA_GDELT_DATA_URL",
    default_url="http://data.gdeltproject.org",
    min_interval=6.0,
    coverage=dt.date(1979, 1, 1),
)
DAILY_FROM = dt.date(2013, 4, 1)
MONTHLY_FROM = dt.date(2006, 1, 1)
DYAD = "USA,RUS"
UNIT = "event files"  # what ``fetch`` counts
# Columns a row may have -> the index of SOURCEURL (None: 1.0 files before April 2013).
SOURCE_URL_AT: dict[int, int | None] = {57: None, 58: 57, 61: 60}
# Output column -> (index in the file, type); the first 35 columns are shared by all.
FIELDS: dict[str, tuple[int, type]] = {
    "event_id": (0, str),
    "actor1_code": (5, str),
    "actor1_name": (6, str),
    "actor1_country": (7, str),
    "actor2_code": (15, str),
    "actor2_name": (16, str),
    "actor2_country": (17, str),
    "is_root_event": (25, int),
    "event_code": (26, str),
    "event_root_code": (28, str),
    "quad_class": (29, int),
    "goldstein": (30, float),
    "num_mentions": (31, int),
    "num_sources": (32, int),
    "num_articles": (33, int),
    "avg_tone": (34, float),
}
COLUMNS = ("date", *FIELDS, "url")


def file_name(day: dt.date) -> str:
    """The 1.0 file holding ``day``'s events: daily, monthly or yearly by period."""
    if day >= DAILY_FROM:
        return f"{day:%Y%m%d}.export.CSV.zip"
    if day >= MONTHLY_FROM:
        return f"{day:%Y%m}.zip"
    return f"{day:%Y}.zip"


def file_names(start: dt.date, end: dt.date) -> list[str]:
    """The files covering ``start`` to ``end``, in order, each once."""
    names: dict[str, None] = {}
    day = start
    while day <= end:
        names[file_name(day)] = None
        day += dt.timedelta(days=1)
    return list(names)


def dyad(query: str) -> tuple[str, str]:
    """The two actor country codes of ``--query`` (``USA,RUS``); ``FetchError`` otherwise."""
    codes = [c for c in re.split(r"[\s,;/-]+", query.strip().upper()) if c]
    if len(codes) != 2 or not all(re.fullmatch(r"[A-Z]{3}", c) for c in codes):
        raise FetchError(
            f"--query {query!r}: gdelt-events takes two CAMEO country codes, e.g. USA,RUS"
        )
    return codes[0], codes[1]


def parse(content: bytes) -> zipfile.ZipFile:
    """The zip of an event file; ``ValueError`` for a truncated or broken one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"not a readable zip ({exc})") from None
    if not archive.namelist():
        raise ValueError("an empty zip")
    return archive


def fetch(session: Session, query: str, start: dt.date, end: dt.date) -> None:
    """Every event file covering ``start`` to ``end``."""
    names = file_names(start, end)
    for n, name in enumerate(names, start=1):
        url = f"{session.base_url}/events/{name}"
        got = session.page(name.split(".")[0], name, url, {}, parse, missing=(404,))
        if got is None:
            session.warn(f"gdelt-events: {name} is not on the server (GDELT has gaps)")
        else:
            session.results += 1
        session.log(f"gdelt-events: file {n} of {len(names)} ({name})")


def _fetched_range(path: Path) -> tuple[tuple[str, str], dt.date | None, dt.date | None]:
    """The dyad and date range of the fetch that wrote ``path`` (defaults without one)."""
    entries = read_manifest(path) if path.is_dir() else []
    query = entries[0].get("query", {}) if entries else {}
    start, end = query.get("from"), query.get("to")
    return (
        dyad(query.get("query") or DYAD),
        dt.date.fromisoformat(start) if start else None,
        dt.date.fromisoformat(end) if end else None,
    )


def read_events(path: Path) -> tuple[pd.DataFrame, Ledger, int]:
    """The dyad's events in saved event files (a fetched folder or one zip).

    Returns the table (``COLUMNS``), the ledger of the dyad's rows (kept or quarantined)
    and the number of rows skipped (other actors, other days).
    """
    (a, b), start, end = _fetched_range(path)
    ledger, rows, skipped = Ledger(), [], 0
    for file in pages(path, "*.zip"):
        try:
            archive = zipfile.ZipFile(file)
        except zipfile.BadZipFile:
            ledger.read += 1
            ledger.reject(Rejected(str(file), None, "not a readable zip", file.name))
            continue
        for member in archive.namelist():
            with archive.open(member) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
                for lineno, line in enumerate(text, start=1):
                    if a not in line or b not in line:
                        skipped += 1
                        continue
                    row = _event(line.rstrip("\r\n").split("\t"), (a, b), start, end)
                    if row is None:
                        skipped += 1
                        continue
                    ledger.read += 1
                    if isinstance(row, tuple):
                        reason, detail = row
                        ledger.reject(Rejected(f"{file}:{member}", lineno, reason, line, detail))
                    else:
                        rows.append(row)
                        ledger.kept += 1
    ledger.check()
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table["date"] = pd.to_datetime(table["date"])
    return table, ledger, skipped


def _event(
    fields: list[str], pair: tuple[str, str], start: dt.date | None, end: dt.date | None
) -> dict[str, Any] | tuple[str, str] | None:
    """One row as an event, (reason, detail) to quarantine it, or None when it is not one
    of the dyad's events in the range."""
    if len(fields) not in SOURCE_URL_AT:
        return "wrong number of fields", f"expected 57, 58 or 61, got {len(fields)}"
    if {fields[7], fields[17]} != set(pair):
        return None
    try:
        day = dt.datetime.strptime(fields[1], "%Y%m%d").date()
    except ValueError:
        return "unparseable date", repr(fields[1])
    if (start and day < start) or (end and day > end):
        return None
    event: dict[str, Any] = {"date": day}
    for column, (index, kind) in FIELDS.items():
        try:
            event[column] = kind(fields[index])
        except ValueError:
            return "unparseable number", f"{column} {fields[index]!r}"
    url_at = SOURCE_URL_AT[len(fields)]
    event["url"] = fields[url_at] if url_at is not None else ""
    return event
