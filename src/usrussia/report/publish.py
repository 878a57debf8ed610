"""The published layout of an output folder, and the one step that switches it to a new run.

A run is built in a staging folder ``OUTPUT/.run-<pid>-…``, moved to ``OUTPUT/.runs/<run-id>/``
and made current by one ``os.replace`` of the link ``OUTPUT/current``; ``index.html``,
``metrics.json`` and ``NN_name.html`` are fixed links through ``current/``. So readers see
the previous run or the new one whole, even when a run is killed. The one home of that
layout (its names, the lock, the tidying of what a killed run left).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from usrussia.corpus.records import InputError

STAGING_PREFIX = ".run-"
RUNS = ".runs"  # OUTPUT/.runs/<run-id>/: the published runs (the current and the previous one)
CURRENT = "current"  # OUTPUT/current -> .runs/<run-id>: the run readers see
NEW_LINK = ".new-"  # .runs/.new-NAME: a link being made, renamed into place as NAME
LOCK = ".lock"
REPORT_FILE = re.compile(r"^(?:index\.html|metrics\.json|current|\d{2}_\w+(?:\.full)?\.html)$")


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
            "move or delete them (make clean does, for reports/) or choose another folder",
            parameter="output",
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
