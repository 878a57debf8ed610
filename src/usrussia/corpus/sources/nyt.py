"""New York Times Article Search v2: headline, abstract and lead paragraph from 1851 on.

``fetch`` pages through ``/svc/search/v2/articlesearch.json`` (10 results a page, oldest
first) to the last page of the hits (``response.metadata.hits`` in current responses,
``response.meta.hits`` in older ones), at most 100 pages (1,000 results) a query: a
larger result is fetched to that cap with a warning to narrow the range. The API gives no
full text: the lead paragraph stands in (``text_kind`` lead), else the abstract or
snippet, else the headline. A key (``NYT_API_KEY``) allows about 500 calls a day, five a
minute; its 429 reply echoes the key, which is therefore never shown or saved.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from usrussia.corpus.fetch import Api
from usrussia.corpus.raw import Session, best_text, iter_results, pages
from usrussia.corpus.records import Record, Rejected

API = Api(
    name="nyt",
    url_env="USRUSSIA_NYT_URL",
    default_url="https://api.nytimes.com",
    min_interval=12.0,
    coverage=dt.date(1851, 9, 18),
    key_env="NYT_API_KEY",
    key_help="create an app with the Article Search API at https://developer.nytimes.com "
    "and export NYT_API_KEY",
    key_param="api-key",
)
PATH = "/svc/search/v2/articlesearch.json"
PAGE_SIZE = 10
MAX_PAGES = 100
UNIT = "results"  # what ``fetch`` counts
LICENCE = "(c) The New York Times; metadata via the Article Search API, for research"
COMMENTARY = {"op-ed", "editorial", "letter", "opinion"}


def _response(payload: Any) -> dict[str, Any] | None:
    response = payload.get("response") if isinstance(payload, dict) else None
    return response if isinstance(response, dict) else None


def results_of(payload: Any) -> list[Any] | None:
    """The page's documents, or None when the payload is not a search page."""
    docs = (_response(payload) or {}).get("docs")
    return docs if isinstance(docs, list) else None


def hits_of(payload: Any) -> int:
    """The number of hits: ``response.metadata.hits`` (current) or ``response.meta.hits``."""
    response = _response(payload) or {}
    for key in ("metadata", "meta"):
        block = response.get(key)
        if isinstance(block, dict) and isinstance(block.get("hits"), int):
            return block["hits"]
    raise ValueError("not an Article Search page (no response.metadata.hits)")


def parse(content: bytes) -> dict[str, Any]:
    """A search page; ``ValueError`` when it is not JSON of that shape."""
    payload = json.loads(content)
    if results_of(payload) is None:
        raise ValueError("not an Article Search page (no response.docs)")
    hits_of(payload)
    return payload


def fetch(session: Session, query: str, start: dt.date, end: dt.date) -> None:
    """Every page of the search for ``query`` from ``start`` to ``end`` (at most 100)."""
    params = {
        "q": query,
        "begin_date": start.strftime("%Y%m%d"),
        "end_date": end.strftime("%Y%m%d"),
        "sort": "oldest",
    }
    page, last = 0, 0
    while page <= last:
        name = f"page-{page:03d}"
        data = session.page(
            name, f"{name}.json", session.base_url + PATH, {**params, "page": page}, parse
        )
        hits = hits_of(data)
        last = min(math.ceil(hits / PAGE_SIZE), MAX_PAGES) - 1
        if page == 0 and hits > PAGE_SIZE * MAX_PAGES:
            session.warn(
                f"nyt: {hits} hits, but the API serves at most {MAX_PAGES} pages "
                f"({PAGE_SIZE * MAX_PAGES} results) a query; fetch shorter date ranges"
            )
        session.results += len(results_of(data) or [])
        session.log(f"nyt: page {page + 1} of {max(last + 1, 1)} ({hits} hits)")
        page += 1


def day_or_moment(pub_date: Any) -> Any:
    """``pub_date`` as given, except that midnight UTC is the day itself: the API stamps
    print-edition articles so, and converted to US Eastern time it would be the day before."""
    try:
        when = dt.datetime.fromisoformat(str(pub_date))
    except ValueError:
        return pub_date  # left to the corpus's date rule (quarantined when unreadable)
    if when.utcoffset() == dt.timedelta(0) and when.time() == dt.time(0):
        return when.date().isoformat()
    return pub_date


def fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical fields of one document."""
    headline = doc.get("headline") if isinstance(doc.get("headline"), dict) else {}
    title = str(headline.get("main") or headline.get("print_headline") or "")
    text, kind = best_text(
        ("lead", doc.get("lead_paragraph")),
        ("abstract", doc.get("abstract")),
        ("abstract", doc.get("snippet")),
        ("title", title),
    )
    doc_id = str(doc.get("_id") or doc.get("uri") or "").removeprefix("nyt://")
    material = str(doc.get("type_of_material") or "").lower()
    return {
        "doc_id": f"nyt-{doc_id}" if doc_id else None,
        "source": "nyt",
        "outlet": "nytimes.com",
        "date": day_or_moment(doc.get("pub_date")),
        "title": title,
        "text": text,
        "text_kind": kind,
        "fallback_text": title,
        "fallback_kind": "title",
        "url": doc.get("web_url") or "",
        "licence": LICENCE,
        "kind": "commentary" if material in COMMENTARY else "news article",
    }


def iter_records(path: Path) -> Iterator[Record | Rejected]:
    """One record per document of the saved pages of a fetch (a folder) or of one page."""
    return iter_results(pages(path, "*.json"), results_of, fields, "NYT Article Search")
