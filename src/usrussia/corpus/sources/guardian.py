"""The Guardian Open Platform (content API): full article text from 1999 on.

``fetch`` pages through ``/search`` for a query and a date range (oldest first, 50 results
a page, the fields headline, trailText, bodyText, byline, wordcount) until the response's
``pages``; ``iter_records`` reads the saved pages back: the body text where there is one,
else the trail text (``text_kind`` abstract), else the headline (title). A free developer
key (``GUARDIAN_API_KEY``) allows about 500 calls a day, one a second.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from usrussia.corpus.fetch import Api
from usrussia.corpus.raw import Session, best_text, iter_results, pages
from usrussia.corpus.records import Record, Rejected

API = Api(
    name="guardian",
    url_env="USRUSSIA_GUARDIAN_URL",
    default_url="https://content.guardianapis.com",
    min_interval=1.0,
    coverage=dt.date(1999, 1, 1),
    key_env="GUARDIAN_API_KEY",
    key_help="register for a free developer key at "
    "https://open-platform.theguardian.com/access/ and export GUARDIAN_API_KEY",
    key_param="api-key",
)
PATH = "/search"
PAGE_SIZE = 50
FIELDS = "headline,trailText,bodyText,byline,wordcount"
UNIT = "results"  # what ``fetch`` counts
LICENCE = (
    "(c) Guardian News & Media; via the Guardian Open Platform, for research, not redistributed"
)


def parse(content: bytes) -> dict[str, Any]:
    """A search page; ``ValueError`` when it is not JSON of that shape."""
    payload = json.loads(content)
    if results_of(payload) is None:
        raise ValueError("not a Guardian search page (no response.results)")
    return payload


def results_of(payload: Any) -> list[Any] | None:
    """The page's results, or None when the payload is not a search page."""
    response = payload.get("response") if isinstance(payload, dict) else None
    results = response.get("results") if isinstance(response, dict) else None
    return results if isinstance(results, list) else None


def fetch(session: Session, query: str, start: dt.date, end: dt.date) -> None:
    """Every page of the search for ``query`` published from ``start`` to ``end``."""
    params = {
        "q": query,
        "from-date": start.isoformat(),
        "to-date": end.isoformat(),
        "use-date": "published",
        "order-by": "oldest",
        "page-size": PAGE_SIZE,
        "show-fields": FIELDS,
    }
    page, last = 1, 1
    while page <= last:
        name = f"page-{page:04d}"
        data = session.page(
            name, f"{name}.json", session.base_url + PATH, {**params, "page": page}, parse
        )
        response = data["response"]
        last = int(response.get("pages") or 0)
        session.results += len(response["results"])
        session.log(f"guardian: page {page} of {max(last, 1)} ({response.get('total', 0)} results)")
        page += 1


def fields(result: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical fields of one search result."""
    extra = result.get("fields") if isinstance(result.get("fields"), dict) else {}
    title = str(result.get("webTitle") or extra.get("headline") or "")
    text, kind = best_text(
        ("full", extra.get("bodyText")), ("abstract", extra.get("trailText")), ("title", title)
    )
    return {
        "doc_id": f"guardian-{result['id']}" if result.get("id") else None,
        "source": "guardian",
        "outlet": "theguardian.com",
        "date": result.get("webPublicationDate"),
        "title": title,
        "text": text,
        "text_kind": kind,
        "fallback_text": title,
        "fallback_kind": "title",
        "url": result.get("webUrl") or "",
        "licence": LICENCE,
        "kind": "live blog" if result.get("type") == "liveblog" else "news article",
    }


def iter_records(path: Path) -> Iterator[Record | Rejected]:
    """One record per result of the saved pages of a fetch (a folder) or of one page."""
    return iter_results(pages(path, "*.json"), results_of, fields, "Guardian")
