"""Media Cloud online news search: story lists (title, URL, outlet, date) from 2020 on.

``fetch`` pages through ``/search/story-list`` with the pagination token of each reply
until there is none, in the collections given (default: Media Cloud's "United States -
National" collection, 34412234). The token (``MEDIACLOUD_API_KEY``) travels in the
``Authorization`` header. The story list allows about 2 calls a minute and answers excess
with HTTP 403 (the reply it gives a token without access too): a 403 is retried.

``iter_records`` reads saved pages, or a CSV exported from Media Cloud's web search
(``id,indexed_date,language,media_name,media_url,publish_date,title,url``), row by row:
the title stands for the text (``text_kind`` title), stories not in English are
quarantined, as is every malformed row, with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from usrussia.corpus.fetch import Api, Retry, retry_after
from usrussia.corpus.raw import Session, english_only, iter_results, pages
from usrussia.corpus.records import InputError, Record, Rejected, iter_csv

API = Api(
    name="mediacloud",
    url_env="USRUSSIA_MEDIACLOUD_URL",
    default_url="https://search.mediacloud.org/api",
    min_interval=30.0,
    coverage=dt.date(2020, 1, 1),
    key_env="MEDIACLOUD_API_KEY",
    key_help="copy your API token from your profile at https://search.mediacloud.org "
    "and export MEDIACLOUD_API_KEY",
    key_header=("Authorization", "Token {key}"),
)
PATH = "/search/story-list"
PLATFORM = "onlinenews-mediacloud"
US_NATIONAL = 34412234
UNIT = "stories"  # what ``fetch`` counts
LICENCE = "Story metadata via Media Cloud (mediacloud.org); titles (c) their outlets"
EXPORT_COLUMNS = (
    "id",
    "indexed_date",
    "language",
    "media_name",
    "media_url",
    "publish_date",
    "title",
    "url",
)


def check(response: httpx.Response) -> None:
    """A 403 is how the story list says its rate limit is spent: asked again."""
    if response.status_code == 403:
        raise Retry(
            "HTTP 403 (Media Cloud's reply to more than about 2 story-list calls a minute, "
            "and to a token without access)",
            retry_after(response),
        )


def results_of(payload: Any) -> list[Any] | None:
    """The page's stories, or None when the payload is not a story-list page."""
    stories = payload.get("stories") if isinstance(payload, dict) else None
    return stories if isinstance(stories, list) else None


def parse(content: bytes) -> dict[str, Any]:
    """A story-list page; ``ValueError`` when it is not JSON of that shape."""
    payload = json.loads(content)
    if results_of(payload) is None:
        raise ValueError("not a story-list page (no stories)")
    return payload


def fetch(
    session: Session,
    query: str,
    start: dt.date,
    end: dt.date,
    collections: Sequence[int] = (US_NATIONAL,),
) -> None:
    """Every page of the story list for ``query`` from ``start`` to ``end``."""
    params: dict[str, Any] = {
        "q": query,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "platform": PLATFORM,
        "cs": ",".join(str(c) for c in collections),
    }
    page, token = 1, None
    while page == 1 or token:
        name = f"page-{page:04d}"
        request = {**params, "pagination_token": token} if token else params
        data = session.page(name, f"{name}.json", session.base_url + PATH, request, parse, check)
        session.results += len(data["stories"])
        token = data.get("pagination_token")
        session.log(f"mediacloud: page {page} ({len(data['stories'])} stories)")
        page += 1


def outlet_of(story: Mapping[str, Any]) -> str:
    """The outlet: the media name, else the domain of the media URL (no ``www.``)."""
    name = str(story.get("media_name") or "").strip()
    if name:
        return name
    return urlsplit(str(story.get("media_url") or "")).netloc.lower().removeprefix("www.")


def fields(story: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical fields of one story (a page's object or an export's row)."""
    title = str(story.get("title") or "")
    text = story.get("text")
    full = isinstance(text, str) and bool(text.strip())
    return {
        "doc_id": f"mediacloud-{story['id']}" if story.get("id") else None,
        "source": "mediacloud",
        "outlet": outlet_of(story),
        "date": story.get("publish_date") or None,
        "title": title,
        "text": text if full else title,
        "text_kind": "full" if full else "title",
        "url": story.get("url") or "",
        "licence": LICENCE,
        "kind": "news article" if full else "headline",
        "language": story.get("language"),
    }


def _export_records(path: Path) -> Iterator[Record | Rejected]:
    """The rows of an export (read at once: ``InputError`` for an unreadable file or one
    without the export's ``title`` and ``url`` columns, before any record)."""
    items = list(iter_csv(path))
    first = next((item for item in items if isinstance(item, Record)), None)
    missing = [c for c in ("title", "url") if first is not None and c not in first.data]
    if missing:
        raise InputError(
            f"{path}: not a Media Cloud export (no column {', '.join(missing)}; "
            f"expected {','.join(EXPORT_COLUMNS)})",
            "format",
        )
    return (Record(i.file, i.line, fields(i.data)) if isinstance(i, Record) else i for i in items)


def iter_records(path: Path) -> Iterator[Record | Rejected]:
    """Stories of a fetched folder, a saved page, or a CSV export of the web search."""
    if path.is_file() and path.suffix.lower() == ".csv":
        return english_only(_export_records(path))
    return english_only(iter_results(pages(path, "*.json"), results_of, fields, "Media Cloud"))
