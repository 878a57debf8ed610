"""GDELT DOC 2.0 API: article lists and tone timelines of world news, from 2017 on.

``fetch`` asks ``/api/v2/doc/doc`` one day at a time in ``artlist`` mode (the API returns
at most 250 articles a request: a day that fills the cap is warned about), or once for
the whole range in ``timelinetone`` mode (GDELT's average tone of the matching coverage
over time). GDELT asks for one request every 5 seconds and answers excess with a
plain-text message, sometimes with HTTP 200: that reply is retried like a 429; any other
plain-text reply (a query it refuses) ends the fetch with its message. No key.

``iter_records`` reads saved article lists: URL, title, domain, language and source
country, the title standing for the text (``text_kind`` title); articles not in English
are quarantined (the tone measures are English). ``read_timeline`` reads saved tone
timelines into a table (date, series, value), which is not a corpus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from usrussia.corpus.fetch import Api, FetchError, Retry, one_line
from usrussia.corpus.raw import (
    Session,
    english_only,
    iter_json_pages,
    iter_results,
    pages,
    read_manifest,
)
from usrussia.corpus.records import InputError, Ledger, Record, Rejected

API = Api(
    name="gdelt",
    url_env="USRUSSIA_GDELT_URL",
    default_url="https://api.gdeltproject.org",
    min_interval=6.0,
    coverage=dt.date(2017, 1, 1),
)
PATH = "/api/v2/doc/doc"
MODES = ("artlist", "timelinetone")
MAX_RECORDS = 250
UNIT = "articles (or timeline points)"  # what ``fetch`` counts
LICENCE = (
    "Article metadata from the GDELT Project (free to use with citation); titles (c) their outlets"
)
_RATE_LIMIT = re.compile(r"limit requests|rate limit|too many requests", re.IGNORECASE)
TIMELINE_COLUMNS = ("date", "series", "value", "query")


def check(response: httpx.Response) -> None:
    """A reply that is not JSON: GDELT's rate-limit message (retried) or a refusal (final)."""
    text = response.text
    if response.status_code < 400 and not text.lstrip().startswith(("{", "[")):
        if _RATE_LIMIT.search(text):
            raise Retry(
                f"GDELT's rate-limit reply (HTTP {response.status_code}): {one_line(text, 80)}"
            )
        raise FetchError(f"gdelt: the API refused the request: {one_line(text)}")


def parse(content: bytes) -> dict[str, Any]:
    """A JSON object (``{}`` is an empty result); control characters in strings allowed."""
    payload = json.loads(content, strict=False)
    if not isinstance(payload, dict):
        raise ValueError("not a JSON object")
    return payload


def _moment(day: dt.date, end: bool = False) -> str:
    return day.strftime("%Y%m%d") + ("235959" if end else "000000")


def fetch(
    session: Session, query: str, start: dt.date, end: dt.date, mode: str = "artlist"
) -> None:
    """Article lists day by day (``artlist``) or the tone timeline (``timelinetone``)."""
    url = session.base_url + PATH
    params = {"query": query, "mode": mode, "format": "json"}
    if mode == "timelinetone":
        span = {"startdatetime": _moment(start), "enddatetime": _moment(end, True)}
        data = session.page(
            "timelinetone", "timelinetone.json", url, {**params, **span}, parse, check
        )
        points = sum(len(s.get("data") or []) for s in data.get("timeline") or [])
        session.results += points
        session.log(f"gdelt: tone timeline, {points} points")
        return
    params |= {"maxrecords": MAX_RECORDS, "sort": "dateasc"}
    day = start
    while day <= end:
        span = {"startdatetime": _moment(day), "enddatetime": _moment(day, True)}
        name = f"artlist-{day:%Y%m%d}"
        data = session.page(name, f"{name}.json", url, {**params, **span}, parse, check)
        found = len(data.get("articles") or [])
        session.results += found
        if found >= MAX_RECORDS:
            session.warn(
                f"gdelt: {day} returned the cap of {MAX_RECORDS} articles; "
                "some are missing (narrow the query)"
            )
        session.log(f"gdelt: {day}: {found} articles")
        day += dt.timedelta(days=1)


def is_timeline(path: Path) -> bool:
    """Whether ``path`` is a fetched folder of tone timelines (not article lists)."""
    entries = read_manifest(path) if path.is_dir() else []
    return bool(entries) and entries[0].get("query", {}).get("mode") == "timelinetone"


def results_of(payload: Any) -> list[Any] | None:
    """The page's articles (``{}`` is a page without any), or None for another shape."""
    if not isinstance(payload, dict) or "timeline" in payload:
        return None
    articles = payload.get("articles", [])
    return articles if isinstance(articles, list) else None


def fields(article: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical fields of one listed article."""
    url = str(article.get("url") or "")
    title = str(article.get("title") or "")
    return {
        "doc_id": "gdelt-" + hashlib.sha1(url.encode()).hexdigest()[:16] if url else None,
        "source": "gdelt",
        "outlet": str(article.get("domain") or ""),
        "date": article.get("seendate"),
        "title": title,
        "text": title,
        "text_kind": "title",
        "url": url,
        "licence": LICENCE,
        "kind": "headline",
        "language": article.get("language"),
    }


def iter_records(path: Path) -> Iterator[Record | Rejected]:
    """One record per article of the saved article lists of a fetch or of one page."""
    if is_timeline(path):
        raise InputError(f"{path}: holds a tone timeline, not articles", "format")
    return english_only(iter_results(pages(path, "*.json"), results_of, fields, "GDELT DOC"))


def read_timeline(path: Path) -> tuple[pd.DataFrame, Ledger]:
    """The saved tone timelines as a table (``TIMELINE_COLUMNS``) and its ledger.

    Each point of each series is a record; a point without a readable date or value is
    quarantined. The query is the fetch's (from the manifest).
    """
    entries = read_manifest(path) if path.is_dir() else []
    query = entries[0].get("query", {}).get("query", "") if entries else ""
    ledger, rows = Ledger(), []
    for file, payload, error in iter_json_pages(pages(path, "*.json")):
        series = payload.get("timeline", []) if isinstance(payload, dict) else None
        if not isinstance(series, list):  # ``{}`` is an empty result, anything else is not one
            ledger.read += 1
            ledger.reject(Rejected(str(file), None, "not a GDELT timeline page", file.name, error))
            continue
        for block in (b for b in series if isinstance(b, dict)):
            for i, point in enumerate(block.get("data") or [], start=1):
                ledger.read += 1
                row = _point(point, str(block.get("series") or ""), query)
                if row is None:
                    ledger.reject(Rejected(str(file), i, "unreadable timeline point", point))
                else:
                    rows.append(row)
                    ledger.kept += 1
    ledger.check()
    return pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS)), ledger


def _point(point: Any, series: str, query: str) -> dict[str, Any] | None:
    if not isinstance(point, dict):
        return None
    try:
        when = dt.datetime.fromisoformat(str(point.get("date")))
        value = float(point["value"])
    except (KeyError, TypeError, ValueError):
        return None
    return {"date": pd.Timestamp(when), "series": series, "value": value, "query": query}
