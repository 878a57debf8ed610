"""r/worldnews top-25 daily headlines 2008-2016 (Kaggle, listed as CC BY-NC-SA 4.0)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from usrussia import config
from usrussia.corpus.records import Record, Rejected, iter_csv

PATH = config.RAW / "media" / "RedditNews.csv.zip"
LICENCE = "CC BY-NC-SA 4.0 as listed on Kaggle (Jiahao Sun 2016); headlines belong to their outlets"
_BYTES_REPR = re.compile(r"""^b(['"])(.*)\1$""", re.DOTALL)


def strip_bytes_repr(headline: str) -> str:
    """Drop the stray ``b'…'``/``b"…"`` wrapper some headlines carry from a bytes repr."""
    match = _BYTES_REPR.match(headline.strip())
    return match.group(2) if match else headline


def iter_records(path: Path = PATH) -> Iterator[Record | Rejected]:
    """One record per headline; the headline is both title and text."""
    for item in iter_csv(path):
        if isinstance(item, Rejected):
            yield item
            continue
        headline = strip_bytes_repr(item.data.get("News") or "")
        yield Record(
            item.file,
            item.line,
            {
                "doc_id": f"reddit-{item.line}",
                "source": "reddit_worldnews",
                "outlet": "",
                "date": item.data.get("Date"),
                "title": headline,
                "text": headline,
                "text_kind": "title",
                "url": "",
                "licence": LICENCE,
                "kind": "headline",
            },
        )
