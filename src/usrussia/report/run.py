"""``run_report``: execute every notebook with papermill and publish the pages and metrics.

Each ``notebooks/NN_*.ipynb`` runs after the pages it reads, several at once
(``report.schedule``; kernel ``python3`` of the running interpreter, cwd ``notebooks/``)
with ``study_path``, ``corpus_path`` (the study's), ``output_dir``, ``seed`` and the user's
``--param`` values that it declares, all checked, with the study against its corpus,
before the first notebook starts (``preflight``). The study's text is published with the
pages as ``study.toml``. A notebook that raises stops the run with ``NotebookFailed``; its
executed notebook, traceback included, is kept as ``NN_name.failed.ipynb`` beside the
reports and nothing is published. The one home of notebook execution.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from usrussia import config
from usrussia.corpus.records import InputError
from usrussia.io import atomic_write, dump_json, progress
from usrussia.report.manifest import run_manifest
from usrussia.report.metrics import load_blocks
from usrussia.report.pages import (
    NotebookReport,
    add_alt_text,
    export_html,
    heading_and_summary,
    write_index,
)
from usrussia.report.params import check_groups, conform_params, declared_parameters, find_notebooks
from usrussia.report.publish import (
    STAGING_PREFIX,
    check_output_layout,
    publish,
    remove_stale_staging,
)
from usrussia.report.schedule import run_in_order
from usrussia.study import Study
from usrussia.study.check import check_study
from usrussia.study.defaults import study_for_corpus

KERNEL = "python3"
STUDY_FILE = "study.toml"  # the study as run, published beside the pages


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, the error, and where the run is kept."""

    def __init__(self, notebook: str, cell: str, error: str, kept: Path | None) -> None:
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"; executed notebook with the traceback: {kept}" if kept else ""
        super().__init__(f"{notebook} failed in {cell}: {error}{where}")


@dataclass(frozen=True)
class ReportRun:
    """What a run published: one entry per notebook and the merged metrics."""

    output_dir: Path
    reports: list[NotebookReport]
    metrics: dict[str, Any]


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


def preflight(
    params: Mapping[str, Any],
    declared: Mapping[Path, Mapping[str, Any]],
    output_dir: Path,
    study: Study | None,
) -> dict[Path, dict[str, Any]]:
    """Every check a run makes before the first notebook starts; each notebook's parameters.

    Raises ``InputError`` for a parameter no notebook declares or of the wrong type, a study
    that does not fit its corpus (``check_study``) or a group the corpus lacks (both skipped
    when ``study`` is None: the corpus is yet to be built or sampled) and an output folder
    holding an older-layout report.
    """
    given = conform_params(params, declared)
    if study is not None:
        check_study(study)
        check_groups(given, study.corpus)
    check_output_layout(output_dir)
    return given


def run_report(
    corpus_path: Path | None = None,
    output_dir: Path = config.REPORTS,
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    notebooks_dir: Path = config.NOTEBOOKS,
    study: Study | None = None,
    jobs: int | None = None,
) -> ReportRun:
    """Run every notebook on a study into ``output_dir``; return what was published.

    Parameters
    ----------
    corpus_path : Path, optional
        Without ``study``: run the study for this corpus (``study_for_corpus``: the shipped
        study for the shipped corpus, the default study for any other); default the
        shipped corpus.
    output_dir : Path
    params : mapping, optional
        ``--param`` values, checked against what each notebook declares.
    seed : int, optional
        The run's seed; default the study's.
    notebooks_dir : Path
    study : Study, optional
        The study to run. Notebooks get ``study_path``: its file, or (for a study without
        one, e.g. a default) the copy published with the report as ``study.toml``.
    jobs : int, optional
        Notebooks run at once, each after the pages it reads (``report.schedule``);
        default ``default_jobs()``. The pages are the same whatever the number.

    Raises ``InputError`` before any notebook starts for a study that does not fit its
    corpus, a parameter no notebook declares, a value of the wrong type or naming a group
    the corpus lacks, or an output folder holding an older-layout report; ``NotebookFailed``
    when a notebook raises (nothing is published then).
    """
    started = dt.datetime.now(dt.UTC)
    output_dir = Path(output_dir).resolve()
    params = dict(params or {})
    if study is None:
        study = study_for_corpus(Path(corpus_path or config.CORPUS_PARQUET).resolve())
    seed = study.seed if seed is None else seed
    notebooks = find_notebooks(notebooks_dir)
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    given = preflight(params, declared, output_dir, study)
    output_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=output_dir))
    try:
        run_values = {
            "study_path": str(write_study(study, staging)),
            "corpus_path": str(study.corpus),
            "output_dir": str(staging),
            "seed": seed,
        }

        def run_one(notebook: Path) -> NotebookReport:
            own = {k: v for k, v in run_values.items() if k in declared[notebook]}
            return _run_one(notebook, {**given[notebook], **own}, staging, output_dir)

        with kernel_environment():
            with progress(None, desc="report", total=len(notebooks), unit=" notebook") as bar:
                reports = run_in_order(
                    notebooks, run_one, jobs or default_jobs(), lambda _: bar.update()
                )
        manifest = run_manifest(study, notebooks, params, seed, started, STUDY_FILE)
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


def default_jobs() -> int:
    """Notebooks run at once by default: one per CPU this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def write_study(study: Study, staging: Path) -> Path:
    """Write the study's text into the run as ``STUDY_FILE`` (published with the report, the
    design as run); the file notebooks read: the study's own, else that copy."""
    copy = staging / STUDY_FILE
    atomic_write(copy, lambda tmp: tmp.write_text(study.text, encoding="utf-8", newline=""))
    return study.path if study.path is not None else copy


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
