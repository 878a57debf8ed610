"""The order a report's notebooks run in (``usrussia.report.schedule``)."""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
import pytest

from usrussia import config
from usrussia.report.params import find_notebooks
from usrussia.report.schedule import needs, run_in_order, waits_for


def notebook(folder: Path, name: str, needed: tuple[str, ...] = ()) -> Path:
    nb = nbformat.v4.new_notebook()
    if needed:
        nb.metadata["usrussia"] = {"needs": list(needed)}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_comparison_page_waits_for_the_scores_and_the_topics() -> None:
    """The shipped pages: 04 reads 02's document scores and 03's topic shares; the .py
    header carries the same (jupytext keeps the ``usrussia`` metadata)."""
    pages = find_notebooks()
    assert {nb.stem: sorted(w) for nb, w in waits_for(pages).items()} == {
        "01_corpus": [],
        "02_sentiment": [],
        "03_topics": [],
        "04_tone_comparison": ["02_sentiment", "03_topics"],
        "05_validation": [],
    }
    header = (config.NOTEBOOKS / "04_tone_comparison.py").read_text().split("# ---")[1]
    assert "#   usrussia:\n#     needs:\n#     - 02_sentiment\n#     - 03_topics\n" in header


def test_pages_run_side_by_side_and_after_what_they_read(tmp_path: Path) -> None:
    """With two jobs, 01 and 02 run at once (each waits to see the other started), 03
    starts only after 01 finished, and the results come back in the pages' order."""
    a, b = notebook(tmp_path, "01_a"), notebook(tmp_path, "02_b")
    c = notebook(tmp_path, "03_c", ("01_a",))
    started = {p.stem: threading.Event() for p in (a, b, c)}
    ended: list[str] = []

    def run(page: Path) -> str:
        started[page.stem].set()
        other = {"01_a": "02_b", "02_b": "01_a"}.get(page.stem)
        if other:
            assert started[other].wait(timeout=60), f"{other} did not run beside {page.stem}"
        else:
            assert "01_a" in ended, "03_c started before the page it reads finished"
        ended.append(page.stem)
        return page.stem.upper()

    finished: list[str] = []
    got = run_in_order([a, b, c], run, jobs=2, finished=lambda p: finished.append(p.stem))
    assert got == ["01_A", "02_B", "03_C"]
    assert sorted(finished) == ["01_a", "02_b", "03_c"] and finished[-1] == "03_c"


def test_one_job_runs_the_pages_one_after_another(tmp_path: Path) -> None:
    pages = [notebook(tmp_path, f"0{i}_p") for i in range(1, 5)]
    running, seen = [0], []

    def run(page: Path) -> None:
        running[0] += 1
        seen.append((page.stem, running[0]))
        running[0] -= 1

    run_in_order(pages, run, jobs=1)
    assert seen == [(p.stem, 1) for p in pages]


def test_a_failing_page_stops_the_run_once_the_running_ones_end(tmp_path: Path) -> None:
    """02 fails while 01 runs: 01 ends, nothing else starts, 02's error is raised."""
    a, b = notebook(tmp_path, "01_a"), notebook(tmp_path, "02_b")
    c, d = notebook(tmp_path, "03_c"), notebook(tmp_path, "04_d", ("02_b",))
    failed, ran = threading.Event(), []

    def run(page: Path) -> None:
        ran.append(page.stem)
        if page.stem == "02_b":
            failed.set()
            raise RuntimeError("cell 3 raised")
        if page.stem == "01_a":
            assert failed.wait(timeout=60)

    with pytest.raises(RuntimeError, match="cell 3 raised"):
        run_in_order([a, b, c, d], run, jobs=2)
    assert sorted(ran) == ["01_a", "02_b"]


def test_a_page_may_read_only_earlier_pages(tmp_path: Path) -> None:
    a = notebook(tmp_path, "01_a", ("02_b",))
    b = notebook(tmp_path, "02_b")
    assert needs(a) == ("02_b",)
    with pytest.raises(ValueError, match="01_a.ipynb needs 02_b, which does not come before"):
        run_in_order([a, b], lambda p: None, jobs=2)
    alone = notebook(tmp_path, "04_alone", ("03_missing",))
    assert run_in_order([alone], lambda p: p.stem) == ["04_alone"]  # absent: not waited for
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        run_in_order([b], lambda p: None, jobs=0)
