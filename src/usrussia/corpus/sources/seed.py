"""The article the project started from: FPRI / The National Interest, 2017-07-07 (excerpt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from usrussia import config
from usrussia.corpus.records import InputError, Record, Rejected

PATH = config.RAW / "seed" / "fpri_trump_putin_baby_steps_2017-07-07.txt"
LICENCE = "Excerpt quoted for research (FPRI / The National Interest)"
TITLE = "The Trump-Putin Meeting: No More than Baby Steps"


def iter_records(path: Path = PATH) -> Iterator[Record | Rejected]:
    """The excerpt as one document (the page header lines before the title are dropped)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    text = path.read_text(encoding="utf-8")
    body = text.split(TITLE)[-1]
    yield Record(
        str(path),
        None,
        {
            "doc_id": "seed-fpri-2017-07-07",
            "source": "seed",
            "outlet": "nationalinterest.org",
            "date": "2017-07-07",
            "title": TITLE,
            "text": body.replace("The National Interest", "", 1).replace("Continue reading…", ""),
            "url": "",
            "licence": LICENCE,
            "kind": "commentary",
        },
    )
