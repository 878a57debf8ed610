"""Full texts for a list of URLs, extracted with trafilatura; robots.txt honoured.

The URLs come from a text file (one a line; blank lines and ``#`` comments skipped) or a
Parquet file with a ``url`` column (an imported corpus, a GDELT event table), whose rows
keep their ``doc_id``, ``source``, ``outlet``, ``date``, ``title`` and ``kind``. Each
host's ``robots.txt`` is read first (and kept): a URL it disallows for the project's user
agent is not fetched, and its ``Crawl-delay`` slows the pacing of that host; a robots.txt
answered with 4xx allows everything, one that cannot be had (5xx, timeouts) nothing
(RFC 9309). Requests are paced per host.

The folder gets every page as it came (``page-<hash>.html``) with the manifest of
``usrussia.corpus.raw`` (a rerun resumes), ``fulltext.jsonl`` (one document per page with
a text, ``text_kind`` full: ``usrussia corpus import DIR/fulltext.jsonl``) and
``failed.jsonl`` (each URL without a text, and why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pandas as pd

from usrussia.corpus.fetch import Api, FetchError, one_line
from usrussia.corpus.raw import Session
from usrussia.corpus.records import InputError, Record, Rejected, iter_jsonl
from usrussia.io import atomic_write, to_jsonable

API = Api(name="fulltext", url_env="", default_url="", min_interval=5.0, coverage=dt.date.min)
ROBOTS_AGENT = "usrussia"
OUTPUT, FAILED = "fulltext.jsonl", "failed.jsonl"
OUTPUTS = (OUTPUT, FAILED)  # written beside the pages
CARRIED = ("doc_id", "source", "outlet", "date", "title", "kind")
LICENCE = "Text (c) its publisher; fetched for research, not redistributed"


def read_targets(path: Path) -> list[dict[str, Any]]:
    """The URLs to fetch, each once, with the fields a Parquet row carries for it."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() == ".parquet":
        try:
            table = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise InputError(
                f"{path}: not a readable Parquet file ({one_line(str(exc), 80)})"
            ) from None
        if "url" not in table.columns:
            raise InputError(f"{path}: has no url column")
        keep = [c for c in CARRIED if c in table.columns]
        rows = [{"url": str(r["url"]), **{c: r[c] for c in keep}} for _, r in table.iterrows()]
    else:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        rows = [{"url": s} for line in lines if (s := line.strip()) and not s.startswith("#")]
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["url"].strip():
            unique.setdefault(row["url"].strip(), {**row, "url": row["url"].strip()})
    return list(unique.values())


def page_id(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


def _text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")


@dataclass
class Outcome:
    """What a full-text fetch gave: the documents and each failure's reason."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def reasons(self) -> Counter[str]:
        return Counter(f["reason"] for f in self.failed)


class Robots:
    """Each host's robots.txt, read once through the session (and kept in its folder)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._hosts: dict[str, RobotFileParser | None] = {}

    def allows(self, url: str) -> bool | None:
        """True or False as robots.txt says; None when it could not be had."""
        parts = urlsplit(url)
        if parts.netloc not in self._hosts:
            self._hosts[parts.netloc] = self._read(f"{parts.scheme}://{parts.netloc}", parts.netloc)
        rules = self._hosts[parts.netloc]
        return None if rules is None else rules.can_fetch(ROBOTS_AGENT, url)

    def _read(self, base: str, host: str) -> RobotFileParser | None:
        name = "robots-" + host.replace(":", "_")
        try:
            text = self.session.page(
                name, f"{name}.txt", f"{base}/robots.txt", {}, _text, missing=range(400, 500)
            )
        except FetchError:
            return None
        rules = RobotFileParser()
        rules.parse((text or "").splitlines())
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self.session.client.pacer.slow_down(host, float(delay))
        return rules


def extract(html: str, url: str) -> dict[str, Any] | None:
    """The main text and metadata of a page (trafilatura), or None when it has no text."""
    import trafilatura

    found = trafilatura.extract(
        html,
        url=url,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    return json.loads(found) if found else None


def _document(target: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """The corpus row of a page: the target's fields first, the page's where it has none."""
    url = target["url"]
    carried = {k: v for k, v in target.items() if k in CARRIED and not pd.isna(v) and v != ""}
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return to_jsonable(
        {
            "doc_id": f"fulltext-{page_id(url)}",
            "source": "fulltext",
            "outlet": found.get("hostname") or host,
            "date": found.get("date"),
            "title": found.get("title") or "",
            "kind": "news article",
            **carried,
            "text": found["text"],
            "text_kind": "full",
            "url": url,
            "licence": LICENCE,
        }
    )


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def fetch_fulltext(session: Session, targets: list[dict[str, Any]]) -> Outcome:
    """Fetch, extract and write ``fulltext.jsonl`` and ``failed.jsonl`` into the folder."""
    robots, outcome = Robots(session), Outcome()
    for n, target in enumerate(targets, start=1):
        url = target["url"]
        reason, detail = None, ""
        if not _is_web(url):
            reason = "not an http(s) URL"
        elif (allowed := robots.allows(url)) is None:
            reason = "robots.txt could not be read"
        elif not allowed:
            reason = "disallowed by robots.txt"
        else:
            try:
                html = session.page(
                    f"page-{page_id(url)}",
                    f"page-{page_id(url)}.html",
                    url,
                    {},
                    _text,
                    missing=(404, 410),
                )
            except FetchError as exc:
                reason, detail = "fetch failed", str(exc)
            else:
                found = extract(html, url) if html is not None else None
                if html is None:
                    reason = "not found (404/410)"
                elif not found or not str(found.get("text") or "").strip():
                    reason = "no main text found"
                else:
                    outcome.documents.append(_document(target, found))
        if reason:
            outcome.failed.append({"url": url, "reason": reason, "detail": detail})
        session.log(f"fulltext: {n} of {len(targets)}: {reason or 'ok'} {url}")
    _write_jsonl(session.folder.path / OUTPUT, outcome.documents)
    _write_jsonl(session.folder.path / FAILED, outcome.failed)
    return outcome


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def iter_records(path: Path) -> Iterator[Record | Rejected]:
    """The documents of a full-text folder (its ``fulltext.jsonl``) or of such a file."""
    return iter_jsonl(path / OUTPUT if path.is_dir() else path)
