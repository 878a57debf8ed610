"""Every HTML report opened in headless Chromium: images decode, nothing fails, nothing runs.

Chromium is the Debian package (``/usr/bin/chromium``), driven by the ``playwright`` Python
package; no browser is ever downloaded. Without chromium the tests are skipped locally and
fail under CI (``CI`` set), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import HOSTILE_TITLES

CHROMIUM = os.environ.get("USRUSSIA_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@dataclass
class PageVisit:
    """What happened while a page loaded: errors, requests blocked or failed, dialogs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    xss: object = None
    links: list[str] = field(default_factory=list)


def require_chromium() -> str:
    """The Chromium to drive; skips the test locally when it is not installed, fails under CI."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but chromium is missing at {CHROMIUM}: install it (apt)")
        pytest.skip(f"chromium not found at {CHROMIUM}; install the Debian package 'chromium'")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (skipped locally when it is not installed)."""
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def visit(browser, page_path: Path) -> PageVisit:
    """Open ``page_path`` offline: anything not file: or data: is blocked and recorded."""
    seen = PageVisit()
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            seen.blocked.append(url)
            r.abort()

    def on_dialog(dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen.console_errors.append(m.text))
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed.append(f"{r.url} {r.failure}"))
    page.on("dialog", on_dialog)
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    seen.images = page.evaluate(
        """() => Array.from(document.images).map(i => ({
            alt: i.alt, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight}))"""
    )
    seen.xss = page.evaluate("() => window.__xss === undefined ? null : window.__xss")
    seen.links = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    )
    context.close()
    return seen


def assert_clean(seen: PageVisit, name: str) -> None:
    assert seen.console_errors == [], f"{name}: console errors {seen.console_errors}"
    assert seen.page_errors == [], f"{name}: script errors {seen.page_errors}"
    assert seen.blocked == [], f"{name}: requests outside the file {seen.blocked}"
    assert seen.failed == [], f"{name}: failed requests {seen.failed}"
    assert seen.dialogs == [], f"{name}: a script from the data ran (dialog {seen.dialogs})"
    assert seen.xss is None, f"{name}: a script from the data ran (window.__xss)"
    for image in seen.images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, (name, image)
        assert image["alt"].startswith("Figure "), (name, image["alt"])


def test_every_report_opens_offline_and_runs_nothing_from_the_data(browser, report_runs) -> None:
    folder = report_runs[0].output_dir
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == 2 * len(report_runs[0].reports) + 1
    n_images = 0
    for page in pages:
        seen = visit(browser, page)
        assert_clean(seen, page.name)
        n_images += len(seen.images)
    assert n_images > 0, "no figure reached the browser"


def test_index_links_resolve(browser, report_runs) -> None:
    folder = report_runs[0].output_dir
    seen = visit(browser, folder / "index.html")
    assert_clean(seen, "index.html")
    targets = {link for link in seen.links if not link.startswith("#")}
    assert targets, "index.html links nothing"
    assert all((folder / t).is_file() for t in targets), targets
    expected = {r.html for r in report_runs[0].reports} | {"metrics.json"}
    assert expected <= targets


def test_the_check_catches_a_page_that_runs_data(browser, tmp_path: Path) -> None:
    """The same visit on a page that embeds the payloads raw must report them."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        "<!DOCTYPE html><html><body>"
        + "".join(f"<p>{t}</p>" for t in HOSTILE_TITLES)
        + '<img src="https://example.invalid/x.png" alt="Figure 1 of x: y">'
        + "</body></html>",
        encoding="utf-8",
    )
    seen = visit(browser, page)
    assert seen.dialogs == ["1", "1"]
    assert seen.xss == 1
    assert "https://example.invalid/x.png" in seen.blocked
    assert any(Path(f.split()[0]).name == "x" or "/x " in f for f in seen.failed)
