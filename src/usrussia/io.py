"""Ground helpers every stage may use: atomic writes, output checks, checksums, JSON, progress.

Every file the package writes goes through ``atomic_write``: the content is written to a
temporary file beside the target and renamed into place, so an interrupted or failed write
never leaves a half-written file under the final name. ``check_output`` refuses, before any
work starts, an output that could not be written or would destroy something: a folder where
a file belongs, a path that is also an input, an unsupported suffix, a folder that cannot be
created or written. ``sha256_file``/``sha256_bytes`` are the one checksum, ``dump_json``
the one way JSON is written (sorted, indented, stable bytes), ``progress`` the one progress
bar (the plain text bar in notebooks too: the widget bar needs ipywidgets and a renderer that
offline reports do not load).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


class OutputError(Exception):
    """An output that cannot or must not be written (a folder, an input, no permission)."""


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    An interrupted run never leaves a half-written file under the final name, nor the
    temporary file (its name is chosen before it is created, so an interrupt at any point
    after that is cleaned up), and a write that fails (disk full, no permission) leaves the
    previous file untouched and raises ``OutputError`` naming ``path``.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    tmp_path = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # umask applies
        write(tmp_path)
        os.replace(tmp_path, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        tmp_path.unlink(missing_ok=True)
    return path


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when ``a`` and ``b`` name one file (after resolving links; hard links too)."""
    a, b = Path(a), Path(b)
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def _one_of(items: Iterable[str]) -> str:
    """``a, b or c`` for an error message."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _check_folder(folder: Path, label: str) -> None:
    """Raise ``OutputError`` unless ``folder`` exists and is writable or can be created.

    The nearest existing ancestor must be a folder that this process may write into
    (``os.access``; a read-only file system counts as not writable).
    """
    ancestor = folder
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{label}: cannot create the folder {folder}: {ancestor} is a file")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{label}: the folder {ancestor} is not writable")


def check_output(
    path: str | os.PathLike[str],
    label: str,
    suffixes: Iterable[str] = (),
    distinct_from: Mapping[str, str | os.PathLike[str] | None] | None = None,
    folder: bool = False,
) -> Path:
    """Refuse an output path before any work starts; return it as a ``Path``.

    Parameters
    ----------
    path
        The file (or, with ``folder``, the folder) to be written.
    label
        How the user named it, e.g. ``--out``; every message starts with it.
    suffixes
        The suffixes allowed for a file (lower case, with the dot); empty allows any.
    distinct_from
        Other paths by label (inputs, other outputs) that ``path`` must not be; ``None``
        values are skipped.
    folder
        ``path`` is a folder to write into rather than a file to replace.

    Raises
    ------
    OutputError
        When ``path`` is a folder where a file belongs (or a file where a folder belongs),
        is not a regular file, is the same file as one of ``distinct_from``, has a suffix
        not in ``suffixes``, or its folder cannot be created or written.
    """
    path = Path(path)
    label = f"{label} {path}"
    suffixes = tuple(suffixes)
    if folder:
        if os.path.lexists(path) and not path.is_dir():
            raise OutputError(f"{label}: is a file, not a folder")
        _check_folder(path.absolute(), label)
        return path
    if path.is_dir():
        raise OutputError(f"{label}: is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise OutputError(f"{label}: is not a regular file")
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(f"{label}: the output must end in {_one_of(suffixes)}")
    for other_label, other in (distinct_from or {}).items():
        if other is not None and same_file(path, other):
            raise OutputError(f"{label}: is the same file as {other_label}; choose another path")
    _check_folder(path.absolute().parent, label)
    return path


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from numpy/pandas scalars, containers and dates; NaN becomes None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return to_jsonable(value.tolist())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dump_json(data: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as sorted, indented JSON, atomically (stable bytes for stable data)."""
    text = json.dumps(to_jsonable(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def progress(
    iterable: Iterable[T] | None,
    desc: str | None = None,
    total: int | None = None,
    unit: str = "it",
) -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm bar; redraws rarely when stderr is a log, not a terminal."""
    interactive = sys.stderr.isatty() or "ipykernel" in sys.modules
    return tqdm(
        iterable,
        desc=desc,
        total=total,
        unit=unit,
        mininterval=0.2 if interactive else 10.0,
        disable=desc is None,
    )
