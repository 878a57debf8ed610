"""The fetch layer every news API shares: polite, robust HTTP that keeps no secret.

- ``Api``: one API's name, base URL (its ``USRUSSIA_*_URL`` variable or the public one),
  key (from its environment variable only), default pacing and first day of coverage.
- ``Client``: one ``httpx`` client with timeouts and a user agent naming the project.
  Requests are paced per host (``Pacer``: at least ``min_interval`` seconds between the
  starts of two requests to one host) and retried by ``tenacity`` on 429, 5xx, timeouts,
  broken connections, malformed bodies and the rate-limit replies a source recognises
  (``Retry``): exponential backoff from ``min_interval`` with jitter, never sooner than a
  ``Retry-After`` asks, at most ``max_retries`` times. A wait longer than
  ``MAX_RETRY_AFTER`` is not sat out: the fetch stops and a rerun resumes it.
- ``redact``: every key out of URLs, messages, log records and saved bytes.

Saved pages, the manifest and resuming are ``usrussia.corpus.raw``'s.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
import random
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import tenacity

from usrussia import __version__
from usrussia.corpus.records import InputError

USER_AGENT = (
    f"usrussia/{__version__} (open research software on news coverage of US-Russia "
    "relations; polite fetching: paced, robots.txt honoured)"
)
TIMEOUT = httpx.Timeout(60.0, connect=15.0)
MAX_RETRY_AFTER = 600.0  # seconds; a longer wait (a daily quota) ends the fetch instead
REDACTED = "[redacted]"
# Query parameters that carry credentials in the APIs used here and in general.
_SECRET_PARAM = re.compile(r"(?i)([?&](?:api[-_]?key|apikey|key|token|access_token)=)[^&#\s\"'<>]+")
_Log = Callable[[str], None]


class FetchError(InputError):
    """A fetch that cannot go on: a final HTTP answer, retries spent, a missing key.

    The message is one line and holds no secret (it is built from redacted text).
    """


class Retry(Exception):
    """A reply worth asking again for: why, and how long the server asked us to wait."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret and every credential-looking query value replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _SECRET_PARAM.sub(lambda m: m.group(1) + REDACTED, text)


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line (runs of whitespace made one space), cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Api:
    """What the fetch layer needs to know of one API.

    Attributes
    ----------
    name : the source's name (``guardian``), used in messages and manifests.
    url_env, default_url : the variable naming the base URL, and the public base URL.
    min_interval : default seconds between two requests (the API's published pacing).
    coverage : the first day the API has data for (the date guard warns before it).
    key_env : the variable holding the key, or None for an API without one.
    key_help : where a user gets a key (said when the variable is not set).
    key_param : the query parameter the key travels in, or None.
    key_header : the header the key travels in, with ``{key}`` in its value, or None.
    """

    name: str
    url_env: str
    default_url: str
    min_interval: float
    coverage: dt.date
    key_env: str | None = None
    key_help: str = ""
    key_param: str | None = None
    key_header: tuple[str, str] | None = None

    def base_url(self, environ: Mapping[str, str] = os.environ) -> str:
        """The base URL: ``url_env`` when set, else ``default_url`` (no trailing slash)."""
        return (environ.get(self.url_env, "").strip() or self.default_url).rstrip("/")

    def key(self, environ: Mapping[str, str] = os.environ) -> str | None:
        """The key from ``key_env``; ``FetchError`` when the API needs one and it is unset."""
        if self.key_env is None:
            return None
        value = environ.get(self.key_env, "").strip()
        if not value:
            raise FetchError(f"{self.key_env} is not set; {self.key_help}")
        return value


class Pacer:
    """At least ``interval`` seconds between the starts of two requests to the same host
    (more for a host that asks for more: ``slow_down``)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.interval = interval
        self._clock, self._sleep = clock or time.monotonic, sleep or time.sleep
        self._last: dict[str, float] = {}
        self._slower: dict[str, float] = {}

    def slow_down(self, host: str, interval: float) -> None:
        """Keep at least ``interval`` seconds between requests to ``host`` (a Crawl-delay)."""
        self._slower[host] = max(interval, self._slower.get(host, 0.0))

    def wait(self, host: str) -> None:
        """Sleep until ``host`` may be asked again, then note the request's start."""
        last = self._last.get(host)
        if last is not None:
            interval = max(self.interval, self._slower.get(host, 0.0))
            delay = last + interval - self._clock()
            if delay > 0:
                self._sleep(delay)
        self._last[host] = self._clock()


def retry_after(response: httpx.Response) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class _RedactRecords(logging.Filter):
    """Redacts secrets from the records of httpx's loggers (which log request URLs)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        return True


_HTTP_LOGGERS = ("httpx", "httpcore")
Check = Callable[[httpx.Response], None]
Parse = Callable[[bytes], Any]


class Client:
    """Paced, retried GET requests for one API (``close`` it when done).

    Parameters
    ----------
    api : the API (its name, key parameter or header).
    key : its key (never written anywhere; redacted from every message).
    min_interval : seconds between requests to one host; also the backoff's first step.
    max_retries : how many times one request is asked again before the fetch stops.
    log : where progress and retry lines go (one line each, redacted).
    """

    def __init__(
        self,
        api: Api,
        key: str | None,
        min_interval: float,
        max_retries: int,
        log: _Log,
    ) -> None:
        self.api, self.max_retries, self.log = api, max_retries, log
        self.backoff = min_interval
        self.secrets = (key,) if key else ()
        self._key = key
        self.pacer = Pacer(min_interval)
        headers = {"User-Agent": USER_AGENT}
        if key and api.key_header:
            headers[api.key_header[0]] = api.key_header[1].format(key=key)
        self._http = httpx.Client(timeout=TIMEOUT, headers=headers, follow_redirects=True)
        self._filter = _RedactRecords(self.secrets)
        for name in _HTTP_LOGGERS:
            logging.getLogger(name).addFilter(self._filter)
        self._random = random.Random()

    def close(self) -> None:
        self._http.close()
        for name in _HTTP_LOGGERS:
            logging.getLogger(name).removeFilter(self._filter)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        check: Check | None = None,
        parse: Parse | None = None,
        missing: Collection[int] = (),
    ) -> tuple[httpx.Response, Any]:
        """GET ``url`` with pacing and retries; the response and its parsed payload.

        ``check(response)`` raises ``Retry`` for a reply to ask again for (a rate-limit
        message) or ``FetchError`` for a final one; ``parse(content)`` raising
        ``ValueError`` counts as a malformed reply and is retried. A status in ``missing``
        (e.g. 404) returns ``(response, None)``; other 4xx replies raise ``FetchError``.
        """
        query = dict(params or {})
        if self._key and self.api.key_param:
            query[self.api.key_param] = self._key
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_retries + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(Retry),
            before_sleep=self._note_retry,
            sleep=lambda seconds: time.sleep(seconds),
            reraise=True,
        )
        try:
            return retrying(self._once, url, query, check, parse, missing)
        except Retry as exc:
            where = self.redact(str(httpx.URL(url, params=query)))
            raise FetchError(
                f"{self.api.name}: gave up after {self.max_retries + 1} attempts "
                f"({exc.reason}) at {where}; rerun the same command later to resume"
            ) from None

    def _once(
        self,
        url: str,
        query: dict[str, Any],
        check: Check | None,
        parse: Parse | None,
        missing: Collection[int],
    ) -> tuple[httpx.Response, Any]:
        self.pacer.wait(urlsplit(url).netloc)
        try:
            response = self._http.get(url, params=query)
        except httpx.TimeoutException:
            raise Retry("timed out") from None
        except httpx.TransportError as exc:
            detail = self.redact(one_line(str(exc) or type(exc).__name__))
            raise Retry(f"connection failed: {detail}") from None
        status = response.status_code
        if status == 429 or status >= 500:
            wait = retry_after(response)
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise FetchError(
                    f"{self.api.name}: HTTP {status}, the server asks to wait {wait:.0f} s "
                    "(a quota is spent); rerun the same command later to resume"
                )
            raise Retry(f"HTTP {status}", wait)
        if status in missing:
            return response, None
        if check is not None:
            check(response)
        if status >= 400:
            body = self.redact(one_line(response.text))
            where = self.redact(str(response.request.url))
            raise FetchError(f"{self.api.name}: HTTP {status} from {where}: {body}")
        if parse is None:
            return response, response.content
        try:
            return response, parse(response.content)
        except ValueError as exc:
            raise Retry(f"malformed reply: {self.redact(one_line(str(exc), 80))}") from None

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Exponential backoff with jitter, at least what ``Retry-After`` asked for."""
        step = self.backoff * 2 ** (state.attempt_number - 1)
        wait = step + self._random.uniform(0, self.backoff)
        exc = state.outcome.exception() if state.outcome else None
        asked = getattr(exc, "retry_after", None)
        return max(wait, asked) if asked is not None else wait

    def _note_retry(self, state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        seconds = state.next_action.sleep if state.next_action else 0.0
        self.log(
            f"{self.api.name}: {getattr(exc, 'reason', exc)}; retry {state.attempt_number} "
            f"of {self.max_retries} in {seconds:.1f} s"
        )


def guard_dates(api: Api, start: dt.date, end: dt.date, warn: _Log) -> tuple[dt.date, dt.date]:
    """The range to fetch: refused when reversed or wholly before the API's coverage, and
    clipped (with a warning) when it starts before it."""
    if start > end:
        raise FetchError(f"--from {start} is after --to {end}")
    if end < api.coverage:
        raise FetchError(
            f"{api.name} covers {api.coverage} on; {start} to {end} ends before it, "
            "so there is nothing to fetch"
        )
    if start < api.coverage:
        warn(
            f"{api.name} covers {api.coverage} on: {start} to "
            f"{api.coverage - dt.timedelta(days=1)} cannot be fetched; "
            f"fetching {api.coverage} to {end}"
        )
        start = api.coverage
    return start, end
