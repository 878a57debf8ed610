"""One importer per raw source; each yields ``Record``/``Rejected`` in canonical fields.

``IMPORTERS`` maps a source name to a function of no arguments that reads that source
from ``data/raw``. ``usrussia corpus build`` chains them in this order.

``FETCHED`` maps a format of ``usrussia corpus import`` to the importer of what
``usrussia fetch`` saved (a folder, one page, an export); ``SERIES`` names the fetched
sources that are tables of events rather than documents (read by their own readers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from usrussia.corpus.raw import manifest_source
from usrussia.corpus.records import Ledger, Record, Rejected
from usrussia.corpus.sources import (
    fulltext,
    gdelt,
    gdelt_events,
    guardian,
    kremlin,
    mediacloud,
    news_articles,
    nyt,
    reddit,
    seed,
    sotu,
    whitehouse,
)

IMPORTERS: dict[str, Callable[[], Iterable[Record | Rejected]]] = {
    "kremlin": kremlin.iter_records,
    "sotu": sotu.iter_records,
    "news_articles": news_articles.iter_records,
    "reddit_worldnews": reddit.iter_records,
    "seed": seed.iter_records,
    "whitehouse": whitehouse.iter_records,
}

FETCHED: dict[str, Callable[[Path], Iterable[Record | Rejected]]] = {
    "guardian": guardian.iter_records,
    "nyt": nyt.iter_records,
    "gdelt": gdelt.iter_records,
    "mediacloud": mediacloud.iter_records,
    "fulltext": fulltext.iter_records,
}
SERIES: dict[str, Callable[[Path], tuple[pd.DataFrame, Ledger, int]]] = {
    "gdelt-events": gdelt_events.read_events,
    "gdelt-timeline": lambda path: (*gdelt.read_timeline(path), 0),
}
SERIES_FORMATS = ("gdelt-events",)  # the --format values that name a SERIES


def series_kind(path: Path, fmt: str | None = None) -> str | None:
    """The ``SERIES`` an input is (GDELT events, a GDELT tone timeline), or None for
    documents; ``fmt`` as given to ``corpus import``, else the folder's manifest."""
    fmt = fmt or manifest_source(path)
    if fmt == "gdelt-events":
        return fmt
    if fmt == "gdelt" and gdelt.is_timeline(path):
        return "gdelt-timeline"
    return None
