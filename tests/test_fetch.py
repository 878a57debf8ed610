"""``usrussia fetch``: real HTTP against a local server playing each API (``fetch_server``).

The fetch layer sleeps on a fake clock here (``clock``), which the server's request log
reads too: pacing, backoff and ``Retry-After`` are measured exactly on the log, and the
tests never wait. Every command runs as a user runs it (the CLI, the key and base URLs in
the environment); none touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import httpx
import pytest
from fetch_server import KEY, FakeApis, Reply, fixture
from typer.testing import CliRunner, Result

from usrussia.cli import app
from usrussia.corpus import fetch as fetch_layer
from usrussia.corpus.raw import MANIFEST, read_manifest
from usrussia.corpus.sources import gdelt_events
from usrussia.io import sha256_file

LOUGH_ERNE = ("--from", "2013-06-10", "--to", "2013-06-24")
HELSINKI = ("--from", "2018-07-09", "--to", "2018-07-23")


class FakeTime:
    """A clock that only moves when slept on (the fetch layer's ``time``)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(fetch_layer, "time", fake)
    return fake


@pytest.fixture
def apis(clock: FakeTime):
    with FakeApis(clock.monotonic) as server:
        yield server


def fetch(apis: FakeApis, *args: str | Path, env: dict[str, str] | None = None) -> Result:
    """``usrussia fetch ARGS`` with the environment pointing every API at ``apis``."""
    return CliRunner().invoke(app, ["fetch", *map(str, args)], env={**apis.env, **(env or {})})


def gaps(hits) -> list[float]:
    times = [h.time for h in hits]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_help_lists_every_source() -> None:
    result = CliRunner().invoke(app, ["fetch", "--help"])
    assert result.exit_code == 0
    for source in ("guardian", "nyt", "gdelt", "gdelt-events", "mediacloud", "fulltext"):
        assert f" {source} " in result.stdout
    assert "news-articles" in result.stdout


def test_guardian_pages_to_the_end_and_keeps_every_page_with_its_manifest(
    apis: FakeApis, tmp_path: Path
) -> None:
    out = tmp_path / "lough-erne"
    result = fetch(apis, "guardian", "--query", "Putin", *LOUGH_ERNE, "--out", out)
    assert result.exit_code == 0, result.output
    assert "2 responses" in result.stdout and "5 results" in result.stdout
    hits = apis.hits("/search")
    assert [h.query["page"] for h in hits] == ["1", "2"]
    assert {h.query["from-date"] for h in hits} == {"2013-06-10"}
    assert all(h.headers["user-agent"].startswith("usrussia/") for h in hits)
    assert (out / "page-0001.json").read_bytes() == fixture("guardian", "lough-erne-1.json")
    assert (out / "page-0002.json").read_bytes() == fixture("guardian", "lough-erne-2.json")
    entries = read_manifest(out)
    assert [e["file"] for e in entries] == ["page-0001.json", "page-0002.json"]
    for entry in entries:
        assert entry["source"] == "guardian" and entry["status"] == 200
        assert entry["query"] == {"query": "Putin", "from": "2013-06-10", "to": "2013-06-24"}
        assert "api-key" not in entry["params"] and "api-key=[redacted]" in entry["url"]
        assert entry["sha256"] == sha256_file(out / entry["file"])
        assert dt.datetime.fromisoformat(entry["retrieved"]).tzinfo is not None


def test_nyt_reads_the_hits_in_current_and_older_responses(apis: FakeApis, tmp_path: Path) -> None:
    """``response.metadata.hits`` (2018 fixture, 12 hits: two pages) and ``response.meta.hits``
    (2013 fixture, 3 hits: one page)."""
    for window, pages in ((HELSINKI, ["0", "1"]), (LOUGH_ERNE, ["0"])):
        out = tmp_path / window[1]
        result = fetch(
            apis, "nyt", "--query", "Putin", *window, "--out", out, "--min-interval", "0"
        )
        assert result.exit_code == 0, result.output
        hits = [
            h
            for h in apis.hits("/svc/search/v2/articlesearch.json")
            if h.query["begin_date"] == window[1].replace("-", "")
        ]
        assert [h.query["page"] for h in hits] == pages
        assert hits[0].query["sort"] == "oldest" and hits[0].query["api-key"] == KEY


def test_gdelt_asks_day_by_day_and_keeps_an_empty_day(apis: FakeApis, tmp_path: Path) -> None:
    out = tmp_path / "gdelt"
    args = ("--query", "(trump OR putin) helsinki", "--from", "2018-07-15", "--to", "2018-07-17")
    result = fetch(apis, "gdelt", *args, "--out", out)
    assert result.exit_code == 0, result.output
    hits = apis.hits("/api/v2/doc/doc")
    assert [(h.query["startdatetime"], h.query["enddatetime"]) for h in hits] == [
        (f"201807{d}000000", f"201807{d}235959") for d in ("15", "16", "17")
    ]
    assert {h.query["mode"] for h in hits} == {"artlist"} and hits[0].query["maxrecords"] == "250"
    assert (out / "artlist-20180717.json").read_bytes() == b"{}"
    assert "6 articles" in result.stdout
    assert gaps(hits) == [6.0, 6.0]  # GDELT's default pacing, on the server's log


def test_gdelt_tone_timeline_is_one_request(apis: FakeApis, tmp_path: Path) -> None:
    out = tmp_path / "tone"
    args = (
        "--query",
        "putin",
        "--from",
        "2018-07-15",
        "--to",
        "2018-07-17",
        "--mode",
        "timelinetone",
    )
    result = fetch(apis, "gdelt", *args, "--out", out)
    assert result.exit_code == 0, result.output
    (hit,) = apis.hits("/api/v2/doc/doc")
    assert hit.query["mode"] == "timelinetone" and hit.query["enddatetime"] == "20180717235959"
    assert read_manifest(out)[0]["query"]["mode"] == "timelinetone"


def test_mediacloud_follows_the_pagination_token_with_the_key_in_a_header(
    apis: FakeApis, tmp_path: Path
) -> None:
    args = ("--query", "putin", "--from", "2021-06-10", "--to", "2021-06-20")
    result = fetch(
        apis,
        "mediacloud",
        *args,
        "--out",
        tmp_path / "mc",
        "--collection",
        "1",
        "--collection",
        "2",
    )
    assert result.exit_code == 0, result.output
    first, second = apis.hits("/api/search/story-list")
    assert "pagination_token" not in first.query
    assert second.query["pagination_token"] == "eyJzb3J0IjpbMTYyMzg4NTIwMDAwMF19"
    assert first.query["cs"] == "1,2" and first.query["platform"] == "onlinenews-mediacloud"
    assert first.headers["authorization"] == f"Token {KEY}" and KEY not in json.dumps(first.query)
    assert gaps([first, second]) == [30.0] and "5 stories" in result.stdout


def test_gdelt_event_files_by_period_and_a_day_the_server_lacks(
    apis: FakeApis, tmp_path: Path
) -> None:
    assert gdelt_events.file_names(dt.date(2005, 12, 30), dt.date(2006, 1, 2)) == [
        "2005.zip",
        "200601.zip",
    ]
    assert gdelt_events.file_names(dt.date(2013, 3, 31), dt.date(2013, 4, 1)) == [
        "201303.zip",
        "20130401.export.CSV.zip",
    ]
    out = tmp_path / "events"
    result = fetch(apis, "gdelt-events", "--from", "2018-07-15", "--to", "2018-07-16", "--out", out)
    assert result.exit_code == 0, result.output
    assert [h.path for h in apis.hits()] == [
        "/events/20180715.export.CSV.zip",
        "/events/20180716.export.CSV.zip",
    ]
    assert "warning: gdelt-events: 20180715.export.CSV.zip is not on the server" in result.stderr
    assert "1 not on the server" in result.stdout
    assert set(files(out)) == {MANIFEST, "20180716.export.CSV.zip"}


@pytest.mark.parametrize(
    "source, path, window, fault",
    [
        ("guardian", "/search", LOUGH_ERNE, Reply(429, b'{"message":"API rate limit exceeded"}')),
        (
            "guardian",
            "/search",
            LOUGH_ERNE,
            Reply(500, b"<html>Internal Server Error</html>", "text/html"),
        ),
        ("guardian", "/search", LOUGH_ERNE, Reply(200, b'{"response": {"status": "ok", "resul')),
        (
            "nyt",
            "/svc/search/v2/articlesearch.json",
            HELSINKI,
            Reply(429, fixture("nyt", "fault-429.json")),
        ),
        (
            "gdelt",
            "/api/v2/doc/doc",
            ("--from", "2018-07-16", "--to", "2018-07-16"),
            Reply(200, fixture("gdelt", "rate-limit.txt"), "text/html; charset=utf-8"),
        ),
        (
            "mediacloud",
            "/api/search/story-list",
            ("--from", "2021-06-10", "--to", "2021-06-20"),
            Reply(403, fixture("mediacloud", "forbidden.json")),
        ),
    ],
    ids=["429", "500", "malformed-json", "nyt-429-fault", "gdelt-plain-text-200", "mediacloud-403"],
)
def test_a_passing_fault_is_retried_and_the_fetch_completes(
    apis: FakeApis, tmp_path: Path, source: str, path: str, window: tuple[str, ...], fault: Reply
) -> None:
    apis.fail(path, fault)
    out = tmp_path / "out"
    result = fetch(apis, source, "--query", "putin", *window, "--out", out, "--min-interval", "0")
    assert result.exit_code == 0, result.output
    assert "retry 1 of 5" in result.stderr
    hits = apis.hits(path)
    assert hits[0].query == hits[1].query  # the same page asked again
    saved = [p for p in out.iterdir() if p.name != MANIFEST]
    assert all(b"rate limit" not in p.read_bytes().lower() for p in saved)
    assert KEY not in result.output


def test_backoff_doubles_from_the_interval_and_retry_after_is_honoured(
    apis: FakeApis, tmp_path: Path
) -> None:
    apis.fail("/search", *[Reply(500, b"{}")] * 3, when={"page": "1"})
    apis.fail("/search", Reply(429, b"{}", headers={"Retry-After": "7"}), when={"page": "2"})
    out = tmp_path / "out"
    result = fetch(
        apis, "guardian", "--query", "putin", *LOUGH_ERNE, "--out", out, "--min-interval", "1"
    )
    assert result.exit_code == 0, result.output
    steps = gaps(apis.hits("/search"))
    assert len(steps) == 5
    # 1 s, 2 s, 4 s (the interval doubled) plus jitter below the interval ...
    assert 1 <= steps[0] < 2 and 2 <= steps[1] < 3 and 4 <= steps[2] < 5
    # ... the pacing interval between pages, and at least what Retry-After asks for.
    assert steps[3] == 1.0 and steps[4] >= 7


def test_a_timeout_is_retried_and_a_refused_connection_ends_the_fetch(
    apis: FakeApis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_layer, "TIMEOUT", httpx.Timeout(0.3))
    apis.fail("/search", Reply(body=fixture("guardian", "lough-erne-1.json"), delay=1.5))
    args = ("guardian", "--query", "putin", *LOUGH_ERNE, "--min-interval", "0")
    result = fetch(apis, *args, "--out", tmp_path / "slow")
    assert result.exit_code == 0, result.output
    assert "guardian: timed out; retry 1 of 5" in result.stderr
    closed = {"USRUSSIA_GUARDIAN_URL": "http://127.0.0.1:9"}  # nothing listens on port 9
    result = fetch(apis, *args, "--out", tmp_path / "down", "--max-retries", "1", env=closed)
    assert result.exit_code == 2 and "gave up after 2 attempts (connection failed" in result.stderr
    assert not (tmp_path / "down").exists()


def test_retries_are_bounded_and_a_rerun_resumes(apis: FakeApis, tmp_path: Path) -> None:
    apis.fail("/search", *[Reply(503, b"busy")] * 3, when={"page": "2"})
    out = tmp_path / "out"
    args = ("guardian", "--query", "putin", *LOUGH_ERNE, "--out", out, "--min-interval", "0")
    failed = fetch(apis, *args, "--max-retries", "2")
    assert failed.exit_code == 2
    error = failed.stderr.splitlines()[-1]
    assert error.startswith("error: guardian: gave up after 3 attempts (HTTP 503)")
    assert "api-key=[redacted]" in error and "rerun the same command later" in error
    assert [h.query["page"] for h in apis.hits()] == ["1", "2", "2", "2"]
    assert set(files(out)) == {MANIFEST, "page-0001.json"}
    resumed = fetch(apis, *args)
    assert resumed.exit_code == 0, resumed.output
    assert "(1 fetched now, 1 saved before)" in resumed.stdout
    assert [h.query["page"] for h in apis.hits()][4:] == ["2"]


def test_a_quota_wait_is_not_sat_out(apis: FakeApis, clock: FakeTime, tmp_path: Path) -> None:
    apis.fail(
        "/svc/search/v2/articlesearch.json", Reply(429, b"{}", headers={"Retry-After": "86400"})
    )
    result = fetch(apis, "nyt", "--query", "putin", *HELSINKI, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "the server asks to wait 86400 s" in result.stderr
    assert max(clock.slept, default=0) < 86400


def test_default_pacing_is_the_source_s_and_min_interval_overrides_it(
    apis: FakeApis, tmp_path: Path
) -> None:
    assert fetch(apis, "nyt", "--query", "p", *HELSINKI, "--out", tmp_path / "a").exit_code == 0
    assert gaps(apis.hits()) == [12.0]
    assert (
        fetch(apis, "guardian", "--query", "p", *HELSINKI, "--out", tmp_path / "b").exit_code == 0
    )
    assert gaps(apis.hits("/search")) == [1.0]
    args = (
        "guardian",
        "--query",
        "p",
        *LOUGH_ERNE,
        "--out",
        tmp_path / "c",
        "--min-interval",
        "2.5",
    )
    assert fetch(apis, *args).exit_code == 0
    assert gaps(apis.hits("/search"))[-1] == 2.5


def test_the_date_guard_warns_and_fetches_only_the_covered_days(
    apis: FakeApis, tmp_path: Path
) -> None:
    args = ("--query", "putin", "--from", "2016-12-30", "--to", "2017-01-01", "--min-interval", "0")
    result = fetch(apis, "gdelt", *args, "--out", tmp_path / "gdelt")
    assert result.exit_code == 0, result.output
    assert (
        "warning: gdelt covers 2017-01-01 on: 2016-12-30 to 2016-12-31 cannot be fetched; "
        "fetching 2017-01-01 to 2017-01-01"
    ) in result.stderr
    assert [h.query["startdatetime"] for h in apis.hits()] == ["20170101000000"]
    args = ("--query", "putin", "--from", "2019-12-01", "--to", "2020-01-05", "--min-interval", "0")
    result = fetch(apis, "mediacloud", *args, "--out", tmp_path / "mc")
    assert result.exit_code == 0 and "warning: mediacloud covers 2020-01-01 on" in result.stderr
    assert apis.hits("/api/search/story-list")[0].query["start"] == "2020-01-01"


def refused(result: Result, fragment: str) -> None:
    """Exit 2, nothing on stdout, one stderr line ``error: ...`` holding ``fragment``."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert fragment in result.stderr and KEY not in result.stderr


@pytest.mark.parametrize(
    "args, env, fragment",
    [
        (
            ["guardian", "--query", "p", *LOUGH_ERNE],
            {"GUARDIAN_API_KEY": ""},
            "GUARDIAN_API_KEY is not set",
        ),
        (["nyt", "--query", "p", *HELSINKI], {"NYT_API_KEY": ""}, "NYT_API_KEY is not set"),
        (
            ["mediacloud", "--query", "p", *HELSINKI],
            {"MEDIACLOUD_API_KEY": ""},
            "MEDIACLOUD_API_KEY",
        ),
        (
            ["guardian", "--query", "p", "--from", "17 June 2013", "--to", "2013-06-24"],
            {},
            "--from '17 June 2013': not a date",
        ),
        (
            ["guardian", "--query", "p", "--from", "2013-06-24", "--to", "2013-06-10"],
            {},
            "--from 2013-06-24 is after --to 2013-06-10",
        ),
        (["guardian", "--query", " ", *LOUGH_ERNE], {}, "--query is empty"),
        (
            ["gdelt", "--query", "p", *LOUGH_ERNE],
            {},
            "gdelt covers 2017-01-01 on; 2013-06-10 to 2013-06-24 ends before it",
        ),
        (["gdelt", "--query", "p", *HELSINKI, "--mode", "tonechart"], {}, "--mode 'tonechart'"),
        (["gdelt-events", *HELSINKI, "--query", "USA"], {}, "two CAMEO country codes"),
        (["guardian", *LOUGH_ERNE], {}, "Missing option '--query'"),
    ],
    ids=[
        "no-guardian-key",
        "no-nyt-key",
        "no-mediacloud-key",
        "bad-date",
        "reversed",
        "empty-query",
        "before-coverage",
        "bad-mode",
        "bad-dyad",
        "no-query",
    ],
)
def test_bad_input_is_one_line_before_any_request_or_file(
    apis: FakeApis, tmp_path: Path, args: list[str], env: dict[str, str], fragment: str
) -> None:
    out = tmp_path / "out"
    refused(fetch(apis, *args, "--out", out, env=env), fragment)
    assert apis.hits() == [] and not out.exists()


def test_a_folder_that_holds_another_fetch_or_other_files_is_refused(
    apis: FakeApis, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert fetch(apis, "guardian", "--query", "Putin", *LOUGH_ERNE, "--out", out).exit_code == 0
    before, requests = files(out), len(apis.hits())
    refused(
        fetch(apis, "guardian", "--query", "Obama", *LOUGH_ERNE, "--out", out),
        "holds another fetch",
    )
    refused(
        fetch(apis, "nyt", "--query", "Putin", *LOUGH_ERNE, "--out", out), "holds another fetch"
    )
    other = tmp_path / "notes"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n")
    refused(
        fetch(apis, "guardian", "--query", "Putin", *LOUGH_ERNE, "--out", other), "is not empty"
    )
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    refused(fetch(apis, "guardian", "--query", "Putin", *LOUGH_ERNE, "--out", a_file), "is a file")
    assert files(out) == before and len(apis.hits()) == requests


def test_no_key_reaches_a_file_an_output_or_a_log_line(
    apis: FakeApis, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """NYT's 429 body and a 400 body echo the key; a page that carries it is saved redacted;
    httpx logs request URLs (with the key in the query) when logging is on."""
    caplog.set_level(logging.DEBUG)
    nyt = "/svc/search/v2/articlesearch.json"
    apis.fail(nyt, Reply(429, fixture("nyt", "fault-429.json")))
    page = fixture("guardian", "lough-erne-1.json").replace(b"Fixture Correspondent", b"{key}")
    apis.fail("/search", Reply(200, page), when={"page": "1"})
    outputs = [
        fetch(
            apis,
            "nyt",
            "--query",
            "putin",
            *HELSINKI,
            "--out",
            tmp_path / "nyt",
            "--min-interval",
            "0",
        ),
        fetch(
            apis,
            "guardian",
            "--query",
            "putin",
            *LOUGH_ERNE,
            "--out",
            tmp_path / "g",
            "--min-interval",
            "0",
        ),
        fetch(
            apis,
            "mediacloud",
            "--query",
            "putin",
            "--from",
            "2021-06-10",
            "--to",
            "2021-06-20",
            "--out",
            tmp_path / "mc",
            "--min-interval",
            "0",
        ),
    ]
    assert [r.exit_code for r in outputs] == [0, 0, 0]
    apis.fail(nyt, Reply(400, fixture("nyt", "fault-429.json")))
    bad = fetch(apis, "nyt", "--query", "putin", *LOUGH_ERNE, "--out", tmp_path / "nyt2")
    assert bad.exit_code == 2 and "Identifier : [redacted]" in bad.stderr
    assert b"[redacted]" in (tmp_path / "g" / "page-0001.json").read_bytes()
    assert any(KEY in h.query.get("api-key", "") for h in apis.hits())  # the key was sent ...
    assert "api-key=[redacted]" in caplog.text  # ... and logged redacted by httpx
    texts = [r.output for r in [*outputs, bad]] + [caplog.text]
    texts += [p.read_bytes().decode("utf-8", "replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert not [t for t in texts if KEY in t]


def test_fulltext_honours_robots_paces_per_host_and_writes_documents(
    apis: FakeApis, tmp_path: Path
) -> None:
    site, other = apis.url, f"http://localhost:{apis.port}"
    article = "/2018/07/16/helsinki-summit.html"
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# summit coverage\n"
        f"{site}{article}\n{site}/private/memo.html\n\n{site}/gone.html\n"
        f"{other}{article}\n{site}{article}\nftp://example.org/file\n",
        encoding="utf-8",
    )
    out = tmp_path / "fulltext"
    result = fetch(apis, "fulltext", urls, "--out", out, "--min-interval", "0.5")
    assert result.exit_code == 0, result.output
    assert "read 5 URLs: 2 texts, 3 without one" in result.stdout
    paths = [(h.host.split(":")[0], h.path) for h in apis.hits()]
    assert paths == [
        ("127.0.0.1", "/robots.txt"),
        ("127.0.0.1", article),
        ("127.0.0.1", "/gone.html"),
        ("localhost", "/robots.txt"),
        ("localhost", article),
    ]  # /private/ is disallowed by robots.txt and never asked for
    hits = apis.hits()
    # Per host: robots.txt's Crawl-delay (1 s) outranks --min-interval 0.5; another host
    # need not wait.
    assert gaps(hits[:3]) == [1.0, 1.0] and gaps(hits[2:4]) == [0.0]
    assert all(h.headers["user-agent"].startswith("usrussia/") for h in hits)
    docs = [json.loads(line) for line in (out / "fulltext.jsonl").read_text().splitlines()]
    assert [d["url"] for d in docs] == [f"{site}{article}", f"{other}{article}"]
    assert docs[0]["text_kind"] == "full" and docs[0]["date"] == "2018-07-16"
    assert docs[0]["title"] == "Trump and Putin hold first summit in Helsinki"
    assert (
        "Putin had been extremely strong" in docs[0]["text"] and "All rights" not in docs[0]["text"]
    )
    failed = {
        f["url"]: f["reason"]
        for f in map(json.loads, (out / "failed.jsonl").read_text().splitlines())
    }
    assert failed == {
        f"{site}/private/memo.html": "disallowed by robots.txt",
        f"{site}/gone.html": "not found (404/410)",
        "ftp://example.org/file": "not an http(s) URL",
    }
    again = fetch(apis, "fulltext", urls, "--out", out, "--min-interval", "0.5")
    assert again.exit_code == 0 and len(apis.hits()) == len(hits) + 1  # only the 404 again


def test_fulltext_of_an_imported_corpus_keeps_its_fields_and_skips_unreadable_robots(
    apis: FakeApis, tmp_path: Path
) -> None:
    import pandas as pd

    rows = pd.DataFrame(
        {
            "doc_id": ["gdelt-1", "gdelt-2"],
            "source": ["gdelt", "gdelt"],
            "title": ["Trump and Putin meet", "Elsewhere"],
            "date": pd.to_datetime(["2018-07-16", "2018-07-16"]),
            "url": [
                f"{apis.url}/2018/07/16/helsinki-summit.html",
                f"http://localhost:{apis.port}/x.html",
            ],
        }
    )
    rows.to_parquet(tmp_path / "corpus.parquet")
    apis.fail("/robots.txt", Reply(404, b"none"))  # the first host has no robots.txt ...
    apis.fail("/robots.txt", Reply(500, b"down"), Reply(500, b"down"))  # ... the second fails
    out = tmp_path / "ft"
    result = fetch(
        apis,
        "fulltext",
        tmp_path / "corpus.parquet",
        "--out",
        out,
        "--max-retries",
        "1",
        "--min-interval",
        "0",
    )
    assert result.exit_code == 0, result.output
    (doc,) = [json.loads(line) for line in (out / "fulltext.jsonl").read_text().splitlines()]
    assert (doc["doc_id"], doc["source"], doc["title"]) == (
        "gdelt-1",
        "gdelt",
        "Trump and Putin meet",
    )
    assert doc["date"].startswith("2018-07-16") and doc["text_kind"] == "full"
    assert "no text 1: robots.txt could not be read" in result.stdout
