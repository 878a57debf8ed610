"""One importer per raw source; each yields ``Record``/``Rejected`` in canonical fields.

``IMPORTERS`` maps a source name to a function of no arguments that reads that source
from ``data/raw``. ``usrussia corpus build`` chains them in this order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from usrussia.corpus.records import Record, Rejected
from usrussia.corpus.sources import kremlin, news_articles, reddit, seed, sotu, whitehouse

IMPORTERS: dict[str, Callable[[], Iterable[Record | Rejected]]] = {
    "kremlin": kremlin.iter_records,
    "sotu": sotu.iter_records,
    "news_articles": news_articles.iter_records,
    "reddit_worldnews": reddit.iter_records,
    "seed": seed.iter_records,
    "whitehouse": whitehouse.iter_records,
}
