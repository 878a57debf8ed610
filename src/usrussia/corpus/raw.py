"""Fetched responses on disk: saved as they came, listed in a manifest, read back offline.

A fetch writes into one folder: each response (a JSON page, a zip) under its own name,
and ``manifest.jsonl`` with one line per page: source, query (the fetch's parameters,
never the key), the page, the request's parameters, the redacted URL, the HTTP status,
the time and the file's sha256. Rerunning the same fetch into the same folder resumes:
pages already saved (and unchanged) are read from disk, not asked for again. A folder
holding another fetch is refused, so two queries never mix.

``corpus import`` reads such a folder with ``pages``: the files the manifest lists, in
its order, each checked against its sha256, with no network.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from usrussia.corpus.fetch import REDACTED, Api, Check, Client, FetchError, Parse
from usrussia.corpus.records import InputError, Record, Rejected
from usrussia.io import atomic_write, sha256_bytes, sha256_file

MANIFEST = "manifest.jsonl"


def read_manifest(folder: Path) -> list[dict[str, Any]]:
    """The manifest's entries (empty when the folder has none); ``InputError`` if unreadable."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    entries = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {lineno}: not JSON ({exc.msg})") from None
        if not isinstance(entry, dict) or "page" not in entry:
            raise InputError(f"{path}: line {lineno}: not a manifest entry")
        entries.append(entry)
    return entries


def manifest_source(folder: Path) -> str | None:
    """The source a fetched folder holds (from its manifest), or None."""
    entries = read_manifest(folder) if folder.is_dir() else []
    return entries[0].get("source") if entries else None


class RawFolder:
    """The folder one fetch writes: saved pages and their manifest.

    Parameters
    ----------
    path : the folder (created when missing).
    source : the source's name, recorded in every entry.
    query : the fetch's parameters (query, dates, options; never a key).
    secrets : strings that must never reach the disk (redacted from saved bytes).
    outputs : names of files the fetch writes beside its pages (allowed in a new folder).
    """

    def __init__(
        self,
        path: Path,
        source: str,
        query: dict[str, Any],
        secrets: tuple[str, ...] = (),
        outputs: tuple[str, ...] = (),
    ) -> None:
        self.path, self.source, self.query = Path(path), source, query
        self.secrets = tuple(s for s in secrets if s)
        if self.path.exists() and not self.path.is_dir():
            raise FetchError(f"--out {self.path}: is a file, not a folder")
        entries = read_manifest(self.path) if self.path.is_dir() else []
        if entries and (entries[0].get("source"), entries[0].get("query")) != (source, query):
            held = json.dumps({"source": entries[0].get("source"), **entries[0].get("query", {})})
            raise FetchError(
                f"--out {self.path}: holds another fetch ({held}); choose another folder"
            )
        others = (
            [p for p in self.path.iterdir() if p.name not in outputs] if self.path.is_dir() else []
        )
        if not entries and others:
            raise FetchError(f"--out {self.path}: is not empty and holds no fetch; choose another")
        self.entries: dict[str, dict[str, Any]] = {e["page"]: e for e in entries}

    def _scrub(self, text: str) -> str:
        """``text`` with each secret replaced (URLs in entries are redacted already)."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def saved(self, page: str) -> bytes | None:
        """The saved bytes of ``page`` when it was fetched before and is unchanged, else None."""
        entry = self.entries.get(page)
        if not entry or not entry.get("file"):
            return None
        path = self.path / entry["file"]
        if not path.is_file() or sha256_file(path) != entry.get("sha256"):
            return None  # lost or changed: fetched again
        return path.read_bytes()

    def save(self, page: str, name: str | None, content: bytes, meta: dict[str, Any]) -> None:
        """Write ``content`` as ``name`` (None: nothing to keep, e.g. a 404) and its entry."""
        for secret in self.secrets:
            content = content.replace(secret.encode(), REDACTED.encode())
        entry = {"source": self.source, "query": self.query, "page": page, "file": name, **meta}
        entry["retrieved"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if name is not None:
            atomic_write(self.path / name, lambda tmp: tmp.write_bytes(content))
            entry |= {"sha256": sha256_bytes(content), "bytes": len(content)}
        self.entries[page] = entry
        lines = "".join(
            self._scrub(json.dumps(e, ensure_ascii=False, sort_keys=True)) + "\n"
            for e in self.entries.values()
        )
        atomic_write(self.path / MANIFEST, lambda tmp: tmp.write_text(lines, encoding="utf-8"))


@dataclass
class Session:
    """One fetch under way: the API's base URL, the client and folder, and what was done
    so far (pages fetched now, read back from before, not on the server; results)."""

    base_url: str
    client: Client
    folder: RawFolder
    log: Callable[[str], None]
    fetched: int = 0
    resumed: int = 0
    missing: list[str] = field(default_factory=list)
    results: int = 0

    def page(
        self,
        page: str,
        name: str,
        url: str,
        params: dict[str, Any],
        parse: Parse,
        check: Check | None = None,
        missing: Collection[int] = (),
    ) -> Any:
        """The parsed payload of one page: read back when saved before, else fetched and
        saved; None for a page the server does not have (a status in ``missing``)."""
        saved = self.folder.saved(page)
        if saved is not None:
            self.resumed += 1
            try:
                return parse(saved)
            except ValueError as exc:  # pragma: no cover - saved pages were parsed once
                raise FetchError(f"{self.folder.path / name}: unreadable ({exc})") from None
        response, payload = self.client.get(url, params, check, parse, missing)
        meta = {
            "params": params,
            "url": self.client.redact(str(response.request.url)),
            "status": response.status_code,
        }
        if payload is None:
            self.missing.append(page)
            self.folder.save(page, None, b"", meta)
            return None
        self.folder.save(page, name, response.content, meta)
        self.fetched += 1
        return payload

    def warn(self, message: str) -> None:
        self.log(f"warning: {message}")

    def close(self) -> None:
        self.client.close()


def open_session(
    api: Api,
    out: Path,
    query: dict[str, Any],
    min_interval: float | None,
    max_retries: int,
    log: Callable[[str], None],
    environ: Mapping[str, str] = os.environ,
    outputs: tuple[str, ...] = (),
) -> Session:
    """A fetch of ``api`` into ``out``: key and base URL from ``environ``, the folder checked
    (``FetchError`` for a missing key or a folder holding another fetch) before any request.
    """
    key = api.key(environ)
    folder = RawFolder(out, api.name, query, (key,) if key else (), outputs)
    interval = api.min_interval if min_interval is None else min_interval
    client = Client(api, key, interval, max_retries, log)
    return Session(api.base_url(environ), client, folder, log)


def best_text(*candidates: tuple[str, Any]) -> tuple[str, str]:
    """The first (text_kind, text) whose text is not blank, as (text, text_kind);
    ("", last kind) when all are blank."""
    for kind, text in candidates:
        if isinstance(text, str) and text.strip():
            return text, kind
    return "", candidates[-1][0]


def write_table(df: Any, path: Path) -> Path:
    """Write a table (a DataFrame) to Parquet atomically."""
    return atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))


def pages(path: Path, pattern: str) -> list[Path]:
    """The page files of a fetched folder (the manifest's, in order, checked) or one file.

    A folder without a manifest gives its files matching ``pattern``, sorted by name.
    Raises ``InputError`` for a missing path, a file the manifest lists that is missing
    or has changed since it was fetched, or a folder with no page at all.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_file():
        return [path]
    entries = read_manifest(path)
    if not entries:
        found = sorted(p for p in path.glob(pattern) if p.is_file())
        if not found:
            raise InputError(f"{path}: no {pattern} pages and no {MANIFEST}")
        return found
    files = []
    for entry in entries:
        if not entry.get("file"):
            continue
        file = path / entry["file"]
        if not file.is_file():
            raise InputError(f"{file}: listed in {MANIFEST} but missing")
        if sha256_file(file) != entry.get("sha256"):
            raise InputError(f"{file}: changed since it was fetched (sha256 differs)")
        files.append(file)
    return files


def iter_json_pages(files: list[Path]) -> Iterator[tuple[Path, Any | None, str]]:
    """Each page's path, parsed JSON (None when it is not JSON) and the parser's message."""
    for file in files:
        try:
            yield file, json.loads(file.read_bytes(), strict=False), ""
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield file, None, str(exc)


def iter_results(
    files: list[Path],
    results_of: Callable[[Any], list[Any] | None],
    fields_of: Callable[[Mapping[str, Any]], dict[str, Any]],
    source: str,
) -> Iterator[Record | Rejected]:
    """One record per result of each JSON page, numbered from 1 within the page.

    ``results_of(payload)`` is the page's list of results (None when the page is not of
    this source's shape); ``fields_of(result)`` its canonical fields. A page that is not
    JSON or not of that shape is quarantined as one record, with its file named.
    """
    for file, payload, error in iter_json_pages(files):
        results = results_of(payload) if payload is not None else None
        if payload is None:
            yield Rejected(str(file), None, "invalid JSON page", file.name, error)
        elif results is None:
            yield Rejected(str(file), None, f"not a {source} results page", file.name)
        else:
            for i, item in enumerate(results, start=1):
                if isinstance(item, dict):
                    yield Record(str(file), i, fields_of(item))
                else:
                    yield Rejected(str(file), i, "not a result object", item)


def english_only(items: Iterator[Record | Rejected]) -> Iterator[Record | Rejected]:
    """Quarantine records whose ``language`` is given and is not English (GDELT says
    ``English``, Media Cloud ``en``): the tone measures read English."""
    for item in items:
        lang = str(item.data.get("language") or "") if isinstance(item, Record) else ""
        if lang and lang.lower() not in ("english", "en"):
            yield Rejected(item.file, item.line, "not in English", item.data, lang)
        else:
            yield item
