"""The report harness: parameters, determinism, offline HTML, escaping, failure, interruption
and publishing as one step."""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import types
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import HOSTILE_TITLES
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import read_corpus
from usrussia.corpus.records import InputError
from usrussia.report import (
    MANIFEST_TIMES,
    NotebookReport,
    add_alt_text,
    conform,
    find_notebooks,
    heading_and_summary,
    literal_type,
    parse_params,
    parse_type,
    parse_value,
    publish,
    remove_stale_staging,
    run_report,
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


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **CAPTURE)
    return int(done.stdout)


def test_stale_staging_of_a_dead_run_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".run-{dead_pid()}-abc"
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
    # Every block the notebooks saved says how far it reproduces on another machine.
    assert set(manifest["reproducibility"]) == set(metrics) - {"manifest"}
    assert_published(run.output_dir, n_runs=1)
    assert shown(run.output_dir) == expected_view((run.output_dir / "current").resolve())


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


def make_notebook(folder: Path, name: str, code: str, params: str = "") -> Path:
    """A minimal report notebook: heading, parameters cell (plus ``params``), then ``code``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(
        f'corpus_path = "x"\noutput_dir = "."\nseed = 0\n{params}',
        metadata={"tags": ["parameters"]},
    )
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {name}\n\nA test notebook."),
        cell,
        nbformat.v4.new_code_cell(code),
    ]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``, hidden ones too: a file's sha256, a link's target, 'dir'."""
    snapshot = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            kind = "dir" if path.is_dir() else digest(path) if path.is_file() else "?"
            kind = f"-> {os.readlink(path)}" if path.is_symlink() else kind
            snapshot[path.relative_to(folder).as_posix()] = kind
    return snapshot


def shown(out: Path) -> dict[str, str]:
    """What a reader of ``out`` sees: each visible name (links followed) and the files in it."""
    view = {}
    for path in sorted(p for p in out.iterdir() if not p.name.startswith(".")):
        if path.is_dir():
            inside = (p for p in path.rglob("*") if p.is_file())
            view.update(
                {f"{path.name}/{p.relative_to(path).as_posix()}": digest(p) for p in inside}
            )
        else:
            view[path.name] = digest(path) if path.exists() else "dangling link"
    return view


def expected_view(run: Path) -> dict[str, str]:
    """What ``shown`` must give when ``run`` is current: its files by name and under current/."""
    view = {p.name: digest(p) for p in run.iterdir() if p.is_file()}
    inside = (p for p in run.rglob("*") if p.is_file())
    view.update({f"current/{p.relative_to(run).as_posix()}": digest(p) for p in inside})
    return view


def assert_published(out: Path, n_runs: int) -> None:
    """``out`` is tidy: only ``.runs`` is hidden, it holds ``n_runs`` runs and its lock."""
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".runs"]
    runs = sorted(p.name for p in (out / ".runs").iterdir())
    assert runs[0] == ".lock" and len(runs) == n_runs + 1, runs
    assert os.readlink(out / "current") == f".runs/{runs[-1]}"


LABEL_CODE = """from usrussia.report.metrics import save_block
print(label, sizes)
save_block("ok", {"label": label, "sizes": sizes}, output_dir)"""


@pytest.fixture(scope="module")
def published(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """A one-notebook report folder after two runs ("older", then "previous"), and a third
    run ("new", sizes given as ``3,7``) built elsewhere: its run folder, ready to publish."""
    root = tmp_path_factory.mktemp("published")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    make_notebook(notebooks, "01_ok", LABEL_CODE, 'label = "default"\nsizes = [1]')
    out, scratch = root / "reports", root / "scratch"
    for label, folder in (("older", out), ("previous", out), ("new", scratch)):
        run_report(small_corpus, folder, {"label": label, "sizes": "3,7"}, notebooks_dir=notebooks)
    return types.SimpleNamespace(notebooks=notebooks, out=out, new=(scratch / "current").resolve())


def copy_of(folder: Path, to: Path) -> Path:
    shutil.copytree(folder, to, symlinks=True)
    return to


def test_list_parameters_take_comma_separated_items(published) -> None:
    metrics = json.loads((published.new / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["ok"] == {"label": "new", "sizes": [3, 7]}
    assert metrics["manifest"]["parameters"] == {"label": "new", "sizes": "3,7"}


def test_failing_notebook_exits_1_names_cell_and_keeps_it(
    published, small_corpus: Path, tmp_path: Path
) -> None:
    notebooks, out = tmp_path / "notebooks", copy_of(published.out, tmp_path / "reports")
    notebooks.mkdir()
    make_notebook(
        notebooks,
        "01_ok",
        "from usrussia.report.metrics import save_block\nsave_block('ok', {'n': 1}, output_dir)",
    )
    make_notebook(notebooks, "02_broken", "x = 1\nraise ValueError('boom in the data')")
    before = tree(out)
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
    # Nothing from the failed run is published; the previous reports stay as they were.
    assert tree(out) == {**before, "02_broken.failed.ipynb": digest(kept)}
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, "the CLI restores SIGTERM"


def test_interrupted_run_leaves_nothing_half_written(
    published, small_corpus: Path, tmp_path: Path
) -> None:
    notebooks, out = tmp_path / "notebooks", copy_of(published.out, tmp_path / "reports")
    notebooks.mkdir()
    make_notebook(notebooks, "01_slow", "import time\ntime.sleep(120)")
    before = tree(out)
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
    assert tree(out) == before


FS_CHANGES = ("mkdir", "remove", "rename", "replace", "rmdir", "symlink", "unlink")


def publish_killed_at(step: int, staging: Path, out: Path) -> None:
    """Publish ``staging`` into ``out``; SIGKILL this process at its ``step``-th change on disk."""
    count = itertools.count(1)

    def killing(real):
        def change(*args, **kwargs):
            if next(count) == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return change

    for name in FS_CHANGES:
        setattr(os, name, killing(getattr(os, name)))
    publish(staging, out, ["01_ok"])


def new_run(published, folder: Path, pages_change: bool) -> Path:
    """A copy of the new run at ``folder``; with ``pages_change``, one page more and one less."""
    copy_of(published.new, folder)
    if pages_change:
        (folder / "02_more.html").write_text("a page only the new run has", encoding="utf-8")
        (folder / "01_ok.full.html").unlink()
    return folder


@pytest.mark.parametrize("pages_change", [False, True], ids=["same pages", "pages change"])
def test_a_kill_at_any_step_of_publishing_shows_one_whole_run(
    published, tmp_path: Path, pages_change: bool
) -> None:
    before = shown(published.out)
    after = expected_view(new_run(published, tmp_path / "expected", pages_change))
    assert before == expected_view((published.out / "current").resolve()) != after
    changed = set(before) ^ set(after)
    fork, dead = multiprocessing.get_context("fork"), dead_pid()
    sides = []
    for step in itertools.count(1):
        out = copy_of(published.out, tmp_path / f"step{step}")
        staging = new_run(published, out / f".run-{dead}-new", pages_change)
        child = fork.Process(target=publish_killed_at, args=(step, staging, out))
        child.start()
        child.join(60)
        if child.exitcode == 0:
            break
        assert child.exitcode == -signal.SIGKILL, f"step {step}: exit code {child.exitcode}"
        view = shown(out)
        live = {name: seen for name, seen in view.items() if seen != "dangling link"}
        assert live in (before, after), f"killed at step {step}: a mix of two runs"
        # Only the link of a page one run lacks may lead nowhere (until the switch or tidy-up).
        assert set(view) - set(live) <= changed, f"killed at step {step}: {view}"
        sides.append(live == after)
        # The next run (its start and its publish) tidies whatever the kill left behind.
        remove_stale_staging(out)
        publish(new_run(published, out / ".run-again", pages_change), out)
        assert shown(out) == after
        assert_published(out, n_runs=2)
    assert shown(out) == after
    assert_published(out, n_runs=2)
    # Kills before the switch show the previous run, after it the new one, and both happened.
    assert sides == sorted(sides) and not sides[0] and sides[-1], sides


KILL_WHEN_PUBLISHING = """
import os, signal, sys
out = os.path.realpath(sys.argv[sys.argv.index("--output") + 1])
replace = os.replace

def replace_or_die(src, dst, *args, **kwargs):
    if os.path.realpath(os.path.dirname(dst)) == out:  # the first rename into the output folder
        os.kill(os.getpid(), signal.SIGKILL)
    return replace(src, dst, *args, **kwargs)

os.replace = replace_or_die
from usrussia.cli import app
app(args=sys.argv[1:], prog_name="usrussia")
"""


def test_report_killed_while_publishing_keeps_the_previous_reports(
    published, small_corpus: Path, tmp_path: Path
) -> None:
    out = copy_of(published.out, tmp_path / "reports")
    before = shown(out)
    args = ["report", "--corpus", str(small_corpus), "--output", str(out), "--param", "label=x"]
    cmd = [
        sys.executable,
        "-c",
        KILL_WHEN_PUBLISHING,
        *args,
        "--notebooks",
        str(published.notebooks),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    assert shown(out) == before
    run_report(small_corpus, out, {"label": "again"}, notebooks_dir=published.notebooks)
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["ok"]["label"] == "again"
    assert_published(out, n_runs=2)


def test_publishing_links_new_files_and_drops_links_to_gone_ones(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    for run, names in enumerate([("01_a.html", "02_b.html"), ("01_a.html", "03_c.html")]):
        staging = out / ".run-x"
        staging.mkdir()
        for name in ("index.html", *names):
            (staging / name).write_text(f"{name} of run {run}")
        publish(staging, out)
        assert sorted(p.name for p in out.iterdir()) == sorted(
            [".runs", "current", "index.html", *names]
        )
        for name in ("index.html", *names):
            assert os.readlink(out / name) == f"current/{name}"
            assert (out / name).read_text() == f"{name} of run {run}"
    assert_published(out, n_runs=2)


def test_an_older_layout_report_is_refused_untouched(
    published, small_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    for name in ("index.html", "metrics.json", "01_ok.html", "01_ok.full.html", "README.md"):
        (out / name).write_text(f"old {name}")
    before = tree(out)
    args = ["report", "--corpus", str(small_corpus), "--output", str(out)]
    result = CliRunner().invoke(app, [*args, "--notebooks", str(published.notebooks)])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {out} holds a report in an older layout (01_ok.full.html")
    assert "make clean" in line
    assert tree(out) == before


@pytest.mark.parametrize(
    "value, written, expected",
    [
        (3, "int", 3),
        (3, "float", 3.0),
        (0.5, "float", 0.5),
        ("a", "str", "a"),
        (False, "bool", False),
        (None, "int|None", None),
        (5, "int | None", 5),
        ("3,7,14", "list[int]", [3, 7, 14]),
        (10, "list[int]", [10]),
        ([1, 2.5], "list[float]", [1.0, 2.5]),
        ("bush, obama", "list[str]", ["bush", "obama"]),
        (["nmf"], "list[str]", ["nmf"]),
    ],
)
def test_values_conform_to_the_declared_type(value: object, written: str, expected: object) -> None:
    got = conform(value, parse_type(written))
    assert got == expected and type(got) is type(expected)
    if isinstance(got, list):
        assert [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.parametrize(
    "value, written",
    [
        (2.5, "int"),
        (True, "int"),
        (True, "float"),
        (1, "str"),
        (1, "bool"),
        ("x", "int|None"),
        ("3,x", "list[int]"),
        ([1], "list[str]"),
        ({"a": 1}, "list[str]"),
    ],
)
def test_values_of_another_type_are_refused(value: object, written: str) -> None:
    with pytest.raises(TypeError):
        conform(value, parse_type(written))


@pytest.mark.parametrize(
    "default, kind",
    [
        ('"kremlin"', str),
        ("5", int),
        ("0.5", float),
        ("True", bool),
        ("[10, 15]", list[int]),
        ("[1, 0.5]", list[float]),
        ('["nmf"]', list[str]),
        ("None", object),
        ("Path('x')", object),
    ],
)
def test_a_default_declares_its_type(default: str, kind: object) -> None:
    assert literal_type(default) == kind


# The parameters of the analysis notebooks and their types, declared as they declare them.
TYPED_PARAMETERS = """n_seeds = 5
ks = [10, 15]
sample = None  # type: int|None
cv_folds = 10
eras = ["obama", "trump1"]
source = 'kremlin'"""


@pytest.fixture(scope="module")
def typed_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("typed")
    make_notebook(folder, "01_typed", "print(n_seeds)", TYPED_PARAMETERS)
    return folder


@pytest.mark.parametrize(
    "param, words",
    [
        ("n_seeds=2.5", ["n_seeds: 01_typed.ipynb expects int, got 2.5"]),
        ('ks=[10, "x"]', ["ks: 01_typed.ipynb expects list[int], got [10, 'x']"]),
        ("sample=many", ["sample: 01_typed.ipynb expects int | None, got 'many'"]),
        ("cv_folds=true", ["cv_folds: 01_typed.ipynb expects int, got True"]),
        ("eras=[1, 2]", ["eras: 01_typed.ipynb expects list[str], got [1, 2]"]),
        ("eras=obama,nosuch", ["eras: the corpus has no era 'nosuch'; valid: ", "obama, trump1"]),
        (
            "source=cnn",
            ["source: the corpus has no source 'cnn'; valid: ", "kremlin, news_articles"],
        ),
    ],
)
def test_a_bad_param_stops_the_run_before_the_first_notebook(
    param: str,
    words: list[str],
    published,
    typed_notebooks: Path,
    small_corpus: Path,
    tmp_path: Path,
) -> None:
    out = copy_of(published.out, tmp_path / "reports")
    before = tree(out)
    args = ["report", "--corpus", str(small_corpus), "--output", str(out), "--param", param]
    result = CliRunner().invoke(app, [*args, "--notebooks", str(typed_notebooks)])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: --param ")
    for word in words:
        assert word in line
    assert tree(out) == before, "a notebook started or the output folder changed"


def test_a_misspelled_era_is_refused_by_the_command(
    small_corpus: Path, typed_notebooks: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    cmd = [sys.executable, "-m", "usrussia.cli", "report", "--corpus", str(small_corpus)]
    cmd += ["--output", str(out), "--param", "eras=obama,nosuch"]
    proc = subprocess.run(
        [*cmd, "--notebooks", str(typed_notebooks)], capture_output=True, text=True, timeout=120
    )
    eras = ", ".join(sorted(read_corpus(small_corpus)["era"].dropna().unique()))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: --param eras: the corpus has no era 'nosuch'; valid: {eras}"
    ]
    assert not out.exists()
