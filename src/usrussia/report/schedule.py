"""The order a report's notebooks run in: each after the pages it reads, several at once.

A notebook names the pages whose files it reads in its metadata, ``usrussia.needs`` (in the
``.py`` header: ``usrussia: needs: [02_sentiment, 03_topics]``); it starts when those have
finished, and up to ``jobs`` notebooks run at once, each in its own kernel, earlier pages
first. A needed page that is not in the run is not waited for (the page then does without
its files, as when it runs alone). Results come back in the notebooks' order, so what is
published does not depend on which finished first.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import nbformat

T = TypeVar("T")


def needs(notebook: Path) -> tuple[str, ...]:
    """The pages (notebook stems) whose outputs ``notebook`` reads."""
    metadata = nbformat.read(notebook, as_version=4).metadata.get("usrussia", {})
    return tuple(str(name) for name in metadata.get("needs", ()))


def waits_for(notebooks: Sequence[Path]) -> dict[Path, set[str]]:
    """For each notebook, the pages of this run it must wait for.

    Raises ``ValueError`` when a notebook needs one that comes later (or itself): the
    numbering is the order a reader reads the pages in, and a page reads only earlier ones.
    """
    position = {nb.stem: i for i, nb in enumerate(notebooks)}
    found = {}
    for i, nb in enumerate(notebooks):
        wanted = {name for name in needs(nb) if name in position}
        later = sorted(name for name in wanted if position[name] >= i)
        if later:
            raise ValueError(f"{nb.name} needs {', '.join(later)}, which does not come before it")
        found[nb] = wanted
    return found


def run_in_order(
    notebooks: Sequence[Path],
    run_one: Callable[[Path], T],
    jobs: int = 1,
    finished: Callable[[Path], None] | None = None,
) -> list[T]:
    """``run_one`` on every notebook, each after the pages it needs, ``jobs`` at a time.

    Parameters
    ----------
    notebooks : sequence of Path
        In the report's order.
    run_one : callable
        Runs one notebook (in a thread of its own: the work is in the notebook's kernel).
    jobs : int
        At most this many notebooks at once.
    finished : callable, optional
        Called with each notebook as it finishes (a progress bar).

    Returns
    -------
    results : list
        ``run_one``'s results, in the order of ``notebooks``. When a notebook raises, no
        other starts; those running are waited for and the first error is raised. An
        interrupt (Ctrl-C) is raised at once: the threads are daemons, and a kernel ends
        with the process that started it.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    wait = waits_for(notebooks)
    pending, running, done = list(notebooks), 0, queue.SimpleQueue()
    results: dict[Path, T] = {}
    error: BaseException | None = None

    def work(notebook: Path) -> None:
        try:
            done.put((notebook, run_one(notebook), None))
        except BaseException as exc:  # handed to the scheduling thread
            done.put((notebook, None, exc))

    while running or (pending and error is None):
        ready = [nb for nb in pending if wait[nb] <= {r.stem for r in results}]
        for notebook in ready[: jobs - running] if error is None else []:
            pending.remove(notebook)
            running += 1
            threading.Thread(target=work, args=(notebook,), daemon=True).start()
        notebook, result, exc = done.get()
        running -= 1
        if exc is not None:
            error = error or exc
            continue
        results[notebook] = result
        if finished is not None:
            finished(notebook)
    if error is not None:
        raise error
    return [results[nb] for nb in notebooks]
