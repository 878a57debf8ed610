"""Running the heavy stages: the corpus build and import with the text stage handed in.

The corpus stage does not import the text stage (data flows one way); this module joins
them, so that every caller (the CLI, tests, notebooks) builds the corpus with the same
cleaning and the same word tokeniser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from usrussia import corpus
from usrussia.corpus.records import Ledger, Record, Rejected
from usrussia.text.clean import clean_text
from usrussia.text.tokens import word_tokenize

TEXT_STEPS = corpus.TextSteps(
    clean=lambda text, source: clean_text(text, source=source), words=word_tokenize
)


def build_corpus(
    sources: Iterable[Callable[[], Iterable[Record | Rejected]]] | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """The corpus of every shipped raw source (or ``sources``), and its ledger."""
    return corpus.build_corpus(TEXT_STEPS, sources)


def import_file(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """A user's JSONL/CSV/Parquet file as a corpus (``usrussia.corpus.import_file``)."""
    return corpus.import_file(path, TEXT_STEPS, fmt, mapping, defaults, dayfirst)


def to_corpus(items: Iterable[Record | Rejected], **params: Any) -> tuple[pd.DataFrame, Ledger]:
    """Records as a corpus (``usrussia.corpus.to_corpus``) with the text stage's steps."""
    return corpus.to_corpus(items, TEXT_STEPS, **params)
