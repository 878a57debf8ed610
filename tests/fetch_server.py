"""A local HTTP server on 127.0.0.1 that plays every API the fetchers use, from fixtures.

``FakeApis`` answers the Guardian's ``/search``, NYT's Article Search, GDELT's DOC API and
event files, Media Cloud's story list and a small news site (for ``fetch fulltext``) from
``tests/fixtures/fetch``, checking keys as the real APIs do. Every request is logged (time,
host, path, query, headers); ``fail(path, reply, ...)`` queues replies (a 429, a 500, a
plain-text rate-limit message, a reply that comes too late) that the next requests to that
path get instead. The log's
clock is ``clock`` (the tests pass the fake clock the fetch layer sleeps on, so pacing and
backoff are measured exactly, without waiting).
"""

from __future__ import annotations

import http.server
import io
import json
import threading
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
KEY = "k3y-7f3a9c21e5d84b6f"  # distinctive, so that a leak anywhere is found
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds (real time) before the reply is sent


@dataclass(frozen=True)
class Hit:
    time: float
    host: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def fixture(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _json(payload: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload).encode())


class FakeApis:
    """The server; use as a context manager. ``url`` is its base, ``env`` the variables
    that point every fetcher at it (with the test key)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.log: list[Hit] = []
        self.faults: dict[str, list[tuple[dict[str, str], Reply]]] = defaultdict(list)
        self._lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                owner._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeApis:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def env(self) -> dict[str, str]:
        return {
            "USRUSSIA_GUARDIAN_URL": self.url,
            "USRUSSIA_NYT_URL": self.url,
            "USRUSSIA_GDELT_URL": self.url,
            "USRUSSIA_MEDIACLOUD_URL": self.url + "/api",
            "USRUSSIA_GDELT_DATA_URL": self.url,
            "GUARDIAN_API_KEY": KEY,
            "NYT_API_KEY": KEY,
            "MEDIACLOUD_API_KEY": KEY,
        }

    def fail(self, path: str, *replies: Reply, when: dict[str, str] | None = None) -> None:
        """The next ``len(replies)`` requests to ``path`` (whose query holds ``when``) get
        these replies, in order."""
        with self._lock:
            self.faults[path].extend((when or {}, reply) for reply in replies)

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if path is None or h.path == path]

    def _serve(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.log.append(Hit(self.clock(), headers.get("host", ""), parts.path, query, headers))
            queued = self.faults.get(parts.path, [])
            match = next((f for f in queued if f[0].items() <= query.items()), None)
            if match is not None:
                queued.remove(match)
            reply = match[1] if match is not None else None
        if reply is None:
            reply = self.route(parts.path, query, headers)
        body = reply.body.replace(b"{key}", query.get("api-key", "").encode())
        if reply.delay:
            time.sleep(reply.delay)
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)

    def route(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        """The API's own answer to a request (no fault queued)."""
        routes = {
            "/search": self._guardian,
            "/svc/search/v2/articlesearch.json": self._nyt,
            "/api/v2/doc/doc": self._gdelt,
            "/api/search/story-list": self._mediacloud,
        }
        if path in routes:
            return routes[path](query, headers)
        if path.startswith("/events/"):
            return self._events(path.removeprefix("/events/"))
        return self._site(path)

    def _guardian(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if query.get("api-key") != KEY:
            return _json({"message": "Invalid authentication credentials"}, 401)
        name = {"2013": "lough-erne", "2018": "helsinki"}.get(query.get("from-date", "")[:4])
        page = int(query.get("page", "1"))
        if name is None:
            empty = {"status": "ok", "total": 0, "pages": 0, "currentPage": 1, "results": []}
            return _json({"response": empty})
        path = FIXTURES / "guardian" / f"{name}-{page}.json"
        if not path.is_file():
            message = "requested page is beyond the number of available pages"
            return _json({"response": {"status": "error", "message": message}}, 400)
        return Reply(body=path.read_bytes())

    def _nyt(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if query.get("api-key") != KEY:
            detail = {"errorcode": "oauth.v2.InvalidApiKey"}
            fault = {"faultstring": "Invalid ApiKey", "detail": detail}
            return _json({"fault": fault}, 401)
        name = {"2013": "lough-erne", "2018": "helsinki"}[query["begin_date"][:4]]
        return Reply(body=fixture("nyt", f"{name}-{query.get('page', '0')}.json"))

    def _gdelt(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if query.get("mode") == "timelinetone":
            return Reply(body=fixture("gdelt", "timelinetone.json"))
        day = FIXTURES / "gdelt" / f"artlist-{query['startdatetime'][:8]}.json"
        return Reply(body=day.read_bytes() if day.is_file() else b"{}")

    def _mediacloud(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if headers.get("authorization") != f"Token {KEY}":
            return _json({"detail": "Invalid token."}, 401)
        token = query.get("pagination_token")
        return Reply(body=fixture("mediacloud", "geneva-2.json" if token else "geneva-1.json"))

    def _events(self, name: str) -> Reply:
        member = name.removesuffix(".zip")
        path = FIXTURES / "gdelt_events" / member
        if not path.is_file():
            return Reply(404, b"<html><body>Not Found</body></html>", "text/html")
        return Reply(body=zipped(member, path.read_bytes()), content_type="application/zip")

    def _site(self, path: str) -> Reply:
        pages = {
            "/robots.txt": ("robots.txt", "text/plain"),
            "/2018/07/16/helsinki-summit.html": ("article.html", "text/html; charset=utf-8"),
        }
        if path in pages:
            name, kind = pages[path]
            return Reply(body=fixture("fulltext", name), content_type=kind)
        return Reply(404, b"<html><body>Not Found</body></html>", "text/html")
