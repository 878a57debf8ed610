"""The report harness: parameters, determinism, offline HTML, escaping, failure and interruption."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import HOSTILE_TITLES
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.records import InputError
from usrussia.report import (
    MANIFEST_TIMES,
    NotebookReport,
    add_alt_text,
    find_notebooks,
    heading_and_summary,
    parse_params,
    parse_value,
    remove_stale_staging,
    write_index,
)

CAPTURE = {"capture_output": True, "text": True, "check": True}
PNG_URI = "data:image/png;base64,"


class ImageTags(HTMLParser):
    """The attributes of every ``<img>`` in a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def images(path: Path) -> list[dict[str, str | None]]:
    parser = ImageTags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.images


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("14", 14),
        ("-3", -3),
        ("0.05", 0.05),
        ("1e-3", 0.001),
        ("[7, 14, 30]", [7, 14, 30]),
        ('["tass.com", "cnn.com"]', ["tass.com", "cnn.com"]),
        ("['bbc.co.uk']", ["bbc.co.uk"]),
        ("(1, 2)", "(1, 2)"),
        ("3,7,14,30", "3,7,14,30"),
        ("bush,obama", "bush,obama"),
        ("true", True),
        ("False", False),
        ("null", None),
        ('{"a": 1}', {"a": 1}),
        ("obama", "obama"),
        ("2017-07-07", "2017-07-07"),
        ("007", "007"),
        ("  spaced words ", "spaced words"),
        ("", ""),
        ("{1, 2}", "{1, 2}"),
    ],
)
def test_param_values_are_literals_or_strings(raw: str, expected: object) -> None:
    assert parse_value(raw) == expected
    assert type(parse_value(raw)) is type(expected)


def test_parse_params_splits_on_first_equals_and_last_wins() -> None:
    params = parse_params(["window_days=14", "query=a=b", "window_days=30", "eras=[1,2]"])
    assert params == {"window_days": 30, "query": "a=b", "eras": [1, 2]}


@pytest.mark.parametrize(
    "bad", ["window_days", "=3", "2x=1", "a-b=1", "corpus_path=x.parquet", "seed=1"]
)
def test_parse_params_rejects_bad_items(bad: str) -> None:
    with pytest.raises(InputError):
        parse_params([bad])


def test_unknown_param_is_one_line_and_exit_2(small_corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["report", "--corpus", str(small_corpus), "--output", str(tmp_path), "--param", "nope=1"],
    )
    assert result.exit_code == 2
    assert "no notebook declares the parameter(s): nope" in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_corpus_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "--corpus", str(tmp_path / "no.parquet"), "--output", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "corpus not found" in result.output


def test_heading_summary_and_alt_text_from_the_notebook() -> None:
    nb = nbformat.v4.new_notebook()
    png = {"image/png": base64.b64encode(b"fake").decode(), "text/plain": "<Figure>"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 09 · A <b>title</b>\n\nFirst `sentence`. Second one."),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("## Per year"),
        nbformat.v4.new_code_cell('ax.set_title("Documents per year")\nplt.show()'),
        nbformat.v4.new_code_cell("plt.show()"),
    ]
    nb.cells[3].outputs = [nbformat.v4.new_output("display_data", data=png)]
    nb.cells[4].outputs = [nbformat.v4.new_output("display_data", data=png)]
    assert heading_and_summary(nb) == ("09 · A <b>title</b>", "First sentence.")
    nb.cells[0].source = "# T\n\nThe **coherence** of `n_words` " + "word " * 60 + "end. Next."
    heading, summary = heading_and_summary(nb)
    assert summary.startswith("The coherence of n_words word") and summary.endswith("word …")
    assert len(summary) <= 202
    assert add_alt_text(nb, "09_x") == 2
    alts = [c.outputs[0].metadata["image/png"]["alt"] for c in nb.cells[3:]]
    assert alts == ["Figure 1 of 09_x: Documents per year", "Figure 2 of 09_x: Per year"]


def test_index_escapes_what_it_shows(tmp_path: Path) -> None:
    report = NotebookReport("09_x", "<script>alert(1)</script>", "a & <b>", "09_x.html", "f", 1.0)
    manifest = {
        "git": {"commit": "abc", "dirty": True},
        "corpus": {"path": "<i>c</i>.parquet", "sha256": "0" * 64},
        "seed": 1,
        "parameters": {"eras": "<img src=x onerror=alert(1)>"},
        "finished": "2026-01-01T00:00:00+00:00",
    }
    page = write_index([report], manifest, tmp_path).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a &amp; &lt;b&gt;" in page
    assert "<script" not in page and "<img" not in page and "<i>" not in page


def test_stale_staging_of_a_dead_run_is_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **CAPTURE)
    stale = tmp_path / f".run-{dead.stdout.strip()}-abc"
    alive = tmp_path / f".run-{os.getpid()}-abc"
    for folder in (stale, alive):
        (folder / "metrics").mkdir(parents=True)
    remove_stale_staging(tmp_path)
    assert not stale.exists() and alive.exists()


def test_finds_numbered_notebooks_in_order(tmp_path: Path) -> None:
    for name in ("02_b.ipynb", "01_a.ipynb", "scratch.ipynb", "1_bad.ipynb", "03_c.py"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in find_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
    with pytest.raises(InputError):
        find_notebooks(tmp_path / "empty")


def figures(folder: Path, page: str) -> list[str]:
    """The image sources (base64 PNG data URIs) of one report page, in order."""
    return [img.get("src") or "" for img in images(folder / page)]


def without_times(metrics: dict) -> dict:
    manifest = {k: v for k, v in metrics["manifest"].items() if k not in MANIFEST_TIMES}
    return {**metrics, "manifest": manifest}


def test_report_writes_every_page_index_and_manifest(report_runs) -> None:
    run = report_runs[0]
    names = [p.stem for p in find_notebooks(config.NOTEBOOKS)]
    assert [r.name for r in run.reports] == names
    index = (run.output_dir / "index.html").read_text(encoding="utf-8")
    for name in names:
        for page in (f"{name}.html", f"{name}.full.html"):
            assert (run.output_dir / page).is_file()
            assert f'href="{page}"' in index
    metrics = json.loads((run.output_dir / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == json.loads(json.dumps(run.metrics))
    assert "corpus" in metrics and metrics["corpus"]["documents"] > 0
    manifest = metrics["manifest"]
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["git"]["commit"])
    assert isinstance(manifest["git"]["dirty"], bool)
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["corpus"]["sha256"])
    assert manifest["seed"] == config.SEED and manifest["parameters"] == {}
    assert manifest["packages"]["pandas"] and manifest["packages"]["papermill"]
    assert manifest["started"] <= manifest["finished"]
    assert sorted(manifest["notebooks"]) == [f"{n}.ipynb" for n in names]
    leftovers = [p.name for p in run.output_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_two_runs_give_identical_metrics_and_figures(report_runs) -> None:
    a, b = report_runs
    metrics = [json.loads((r.output_dir / "metrics.json").read_text()) for r in (a, b)]
    assert without_times(metrics[0]) == without_times(metrics[1])
    for report in a.reports:
        first = figures(a.output_dir, report.html)
        assert first == figures(b.output_dir, report.html), f"{report.html} figures differ"
        assert first == figures(a.output_dir, report.full_html)


def test_reports_are_offline_and_figures_have_alt_text(report_runs) -> None:
    run = report_runs[0]
    pages = sorted(run.output_dir.glob("*.html"))
    n_figures = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", text), f"{page.name} loads a script"
        assert not re.search(r"<link[^>]*\bhref=", text), f"{page.name} links a stylesheet"
        assert not re.search(r"@import|url\((?!data:)", text), f"{page.name} loads CSS/fonts"
        assert not re.search(r"\b(?:src|href)=[\"']?(?:https?:)?//", text), page.name
        found = images(page)
        for img in found:
            src, alt = img.get("src") or "", img.get("alt") or ""
            assert src.startswith(PNG_URI), f"{page.name}: every image is an embedded PNG"
            assert base64.b64decode(src[len(PNG_URI) :]).startswith(b"\x89PNG\r\n\x1a\n")
            assert alt.startswith("Figure ") and " of " in alt, alt
        n_figures += len(found)
    assert n_figures > 0, "the notebooks draw figures; none reached the reports"


def test_untrusted_titles_appear_only_as_text(report_runs) -> None:
    shown = 0
    for page in sorted(report_runs[0].output_dir.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for payload in HOSTILE_TITLES:
            assert payload not in text, f"{page.name} shows {payload!r} unescaped"
            shown += html.escape(payload) in text or html.escape(payload, quote=False) in text
    # Guard against a vacuous pass: some report does show titles from the data.
    assert shown > 0, "no report shows a hostile title: point hostile_corpus at a shown field"


def make_notebook(folder: Path, name: str, code: str) -> Path:
    """A minimal report notebook: heading, parameters cell, then ``code``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(
        'corpus_path = "x"\noutput_dir = "."\nseed = 0', metadata={"tags": ["parameters"]}
    )
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {name}\n\nA test notebook."),
        params,
        nbformat.v4.new_code_cell(code),
    ]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_failing_notebook_exits_1_names_cell_and_keeps_it(
    small_corpus: Path, tmp_path: Path
) -> None:
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    make_notebook(
        notebooks,
        "01_ok",
        "from usrussia.metrics import save_block\nsave_block('ok', {'n': 1}, output_dir)",
    )
    make_notebook(notebooks, "02_broken", "x = 1\nraise ValueError('boom in the data')")
    out.mkdir()
    (out / "metrics.json").write_text('{"old": true}\n')
    args = ["report", "--corpus", str(small_corpus), "--output", str(out)]
    result = CliRunner().invoke(app, [*args, "--notebooks", str(notebooks)])
    assert result.exit_code == 1, result.output
    message = result.output.strip().splitlines()[-1]
    assert "02_broken.ipynb failed in cell 3 (In [3]: x = 1)" in message
    assert "ValueError: boom in the data" in message
    kept = out / "02_broken.failed.ipynb"
    assert str(kept) in message
    traceback = "".join(
        "".join(o.get("traceback", []))
        for c in nbformat.read(kept, 4).cells
        for o in c.get("outputs", [])
    )
    assert "boom in the data" in traceback
    # Nothing from the failed run is published; the previous metrics stay as they were.
    assert sorted(p.name for p in out.iterdir()) == ["02_broken.failed.ipynb", "metrics.json"]
    assert (out / "metrics.json").read_text() == '{"old": true}\n'
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, "the CLI restores SIGTERM"


def test_interrupted_run_leaves_nothing_half_written(small_corpus: Path, tmp_path: Path) -> None:
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    make_notebook(notebooks, "01_slow", "import time\ntime.sleep(120)")
    out.mkdir()
    (out / "metrics.json").write_text('{"old": true}\n')
    cmd = [sys.executable, "-m", "usrussia.cli", "report", "--corpus", str(small_corpus)]
    cmd += ["--output", str(out), "--notebooks", str(notebooks)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not list(out.glob(".run-*/executed/01_slow.ipynb")):
            assert proc.poll() is None and time.monotonic() < deadline, "run did not start"
            time.sleep(0.5)
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert sorted(p.name for p in out.iterdir()) == ["metrics.json"]
    assert (out / "metrics.json").read_text() == '{"old": true}\n'
