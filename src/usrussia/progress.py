"""One progress bar for everything a user waits for, in notebooks and on the terminal.

The plain text bar is used in notebooks too: the widget bar of ``tqdm.auto`` needs
ipywidgets and a widget renderer, which offline reports do not load.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(
    iterable: Iterable[T], desc: str | None = None, total: int | None = None, unit: str = "it"
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
