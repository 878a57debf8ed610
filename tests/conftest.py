"""Shared fixtures: the shipped corpus and a small stratified sample of it.

``corpus`` reads ``config.CORPUS_PARQUET`` (building it from ``data/raw`` when it is
missing, so the suite never skips for want of data); ``small_corpus`` is the path of a
~600-document sample covering every source, the input of the report tests.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from usrussia import config
from usrussia.corpus import build_corpus, read_corpus, sample_corpus, write_corpus

SMALL_N = 600


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    """The full shipped corpus, built from data/raw when the Parquet file is missing."""
    if not config.CORPUS_PARQUET.exists():
        df, _ = build_corpus()
        write_corpus(df, config.CORPUS_PARQUET)
    return read_corpus(config.CORPUS_PARQUET)


@pytest.fixture(scope="session")
def small_corpus(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a deterministic stratified sample (~600 documents, every source)."""
    path = tmp_path_factory.mktemp("small_corpus") / "corpus.parquet"
    write_corpus(sample_corpus(corpus, SMALL_N, config.SEED), path)
    return path
