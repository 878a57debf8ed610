"""Kremlin English news pages (en.kremlin.ru, CC BY 4.0): official readouts and statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from usrussia import config
from usrussia.corpus.records import Record, Rejected, iter_jsonl

PATH = config.RAW / "kremlin" / "kremlin_en_all.jsonl.gz"
LICENCE = "CC BY 4.0 (President of Russia, en.kremlin.ru)"


def iter_records(path: Path = PATH) -> Iterator[Record | Rejected]:
    """Every page (the corpus build marks it relevant when US-related, ``selection.RULES``).

    157 pages (mostly short notices of meetings and telephone conversations) have no body
    beyond the site footer; their description or title is the readout, so it is offered as
    ``fallback_text`` and stands in for the text rather than losing the event
    (``text_kind`` abstract for a description, title for a title).
    """
    for item in iter_jsonl(path):
        if isinstance(item, Rejected):
            yield item
            continue
        page = item.data
        title = str(page.get("title") or "")
        text = page.get("text")
        description = str(page.get("description") or "").strip()
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
                "fallback_text": description or title,
                "fallback_kind": "abstract" if description else "title",
                "url": page.get("url") or "",
                "licence": LICENCE,
                "kind": "official news page",
            },
        )
