"""Kremlin English news pages (en.kremlin.ru, CC BY 4.0): official readouts and statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from usrussia import config
from usrussia.clean import clean_text
from usrussia.records import Record, Rejected, iter_jsonl
from usrussia.selection import us_related

PATH = config.RAW / "kremlin" / "kremlin_en_all.jsonl.gz"
LICENCE = "CC BY 4.0 (President of Russia, en.kremlin.ru)"


def body_or_summary(page: dict) -> object:
    """The page text, or its description or title when the text is only page furniture.

    168 pages (mostly short notices of telephone conversations) have no body beyond the
    site footer; their title is the readout, so it stands in for the text rather than
    losing the event.
    """
    text = page.get("text")
    if not isinstance(text, str) or clean_text(text, source="kremlin"):
        return text
    return str(page.get("description") or "").strip() or str(page.get("title") or "")


def iter_records(path: Path = PATH) -> Iterator[Record | Rejected]:
    """Every page, marked ``relevant`` when it is US-related (``selection.us_related``)."""
    for item in iter_jsonl(path):
        if isinstance(item, Rejected):
            yield item
            continue
        page = item.data
        title = str(page.get("title") or "")
        text = body_or_summary(page)
        yield Record(
            item.file,
            item.line,
            {
                "doc_id": f"kremlin-{page.get('id', item.line)}",
                "source": "kremlin",
                "outlet": "kremlin.ru",
                "date": page.get("date"),
                "title": title,
                "text": text,
                "url": page.get("url") or "",
                "licence": LICENCE,
                "kind": "official news page",
                "relevant": isinstance(text, str) and us_related(title, text),
            },
        )
