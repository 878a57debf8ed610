"""Running the heavy stages, in this process (``pandas``) or on a Dask cluster (``dask``).

The corpus stage does not import the text stage (data flows one way); this module joins
them, so that every caller (the CLI, tests, notebooks) builds the corpus with the same
cleaning and the same word tokeniser.

``Engine`` is where the work runs. ``Engine("pandas")`` maps in this process;
``Engine("dask")`` starts a ``distributed.LocalCluster`` on this machine (worker processes
with one thread each, no dashboard) or connects to a running scheduler (``scheduler=``,
e.g. ``tcp://10.0.0.5:8786``), and is always closed, also on an error or Ctrl-C (use it
in a ``with`` block). ``Engine.map_chunks`` sends chunks of work to the workers and yields
the results in order, with a few chunks in flight, so that the input streams through and
memory stays flat however large the corpus. Every stage gives the same results on either
engine: each chunk is computed by the same function, and whatever depends on order (the
corpus' duplicates, the streamed topic fits) runs here, in order. ``usrussia sentiment``
streams a file through in parts that the workers read themselves (``engine.parts``) and
scores and writes it part by part (``engine.tables``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from usrussia import config, corpus
from usrussia.corpus.records import InputError, Ledger, Record, Rejected
from usrussia.text.clean import clean_text
from usrussia.text.tokens import word_tokenize

ENGINES = ("pandas", "dask")
WORKERS = 2  # LocalCluster workers by default
CHUNK = 200  # records or documents per task (short tasks: a worker stops soon on Ctrl-C)
IN_FLIGHT = 2  # tasks per worker sent ahead of the results read
HASHED_FEATURES = 2**18  # columns of the hashed document-term matrix
TOPIC_FEATURES = 2**16  # columns of the hashed counts topics are fitted on
HASHED_ANALYZER: dict[str, Any] = {"stem": True}  # the TextAnalyzer of the hashed matrix
SEEDS = (config.SEED, config.SEED + 1, config.SEED + 2)  # streamed and batch topic fits
T = TypeVar("T")
R = TypeVar("R")


def _clean(text: str, source: str) -> str:
    return clean_text(text, source=source)


TEXT_STEPS = corpus.TextSteps(clean=_clean, words=word_tokenize)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block ends, then raise it: a cluster half started or
    half closed would leave worker processes behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _stamp(path: str) -> tuple[int, int] | None:
    """(size, modification time) of the file at ``path``; None if it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


class Engine:
    """Where the heavy stages run: this process, or a Dask cluster.

    Parameters
    ----------
    kind : {"pandas", "dask"}
        In this process, or on Dask.
    scheduler : str or None
        The address of a running Dask scheduler; None starts a ``LocalCluster``.
    workers : int
        The LocalCluster's worker processes (one thread each).
    chunk : int
        Records or documents per task.
    """

    def __init__(
        self,
        kind: str = "pandas",
        scheduler: str | None = None,
        workers: int = WORKERS,
        chunk: int = CHUNK,
    ) -> None:
        if kind not in ENGINES:
            raise InputError(f"unknown engine {kind!r}; use {' or '.join(ENGINES)}", "engine")
        if scheduler and kind != "dask":
            raise InputError("a scheduler address needs the dask engine", "engine")
        self.kind, self.scheduler, self.workers, self.chunk = kind, scheduler, workers, chunk
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> Engine:
        if self.kind == "dask":
            try:
                with _interrupts_deferred():
                    self._start()
            except BaseException:
                self.close()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({exc})", "scheduler"
                ) from exc
        else:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,  # no dashboard; its health page on a free local port:
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)

    def close(self) -> None:
        """Close the client and the cluster this engine started (idempotent)."""
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        with _interrupts_deferred():
            try:
                if client is not None:
                    client.close()
            finally:
                if cluster is not None:
                    cluster.close()

    def n_workers(self) -> int:
        """The worker threads that take tasks (1 for this process)."""
        if self.client is None:
            return 1
        workers = self.client.scheduler_info()["workers"].values()
        return max(1, sum(w.get("nthreads", 1) for w in workers))

    def sees(self, path: str) -> bool:
        """True when every worker sees the file at ``path`` as this process does (same size
        and modification time), so that a worker can read its own part of it."""
        if self.client is None:
            return True
        stamp = _stamp(path)
        return stamp is not None and all(
            theirs == stamp for theirs in self.client.run(_stamp, path).values()
        )

    def map_chunks(self, fn: Callable[[T], R], chunks: Iterable[T]) -> Iterator[R]:
        """``fn`` of each chunk, in order, a few chunks ahead on the workers."""
        if self.kind == "pandas":
            yield from map(fn, chunks)
            return
        if self.client is None:
            raise RuntimeError("the dask engine runs inside 'with Engine(...)'")
        window = IN_FLIGHT * self.n_workers()
        futures: deque[Any] = deque()
        try:
            for chunk in chunks:
                futures.append(self.client.submit(fn, chunk, pure=False))
                if len(futures) >= window:
                    yield futures.popleft().result()
            while futures:
                yield futures.popleft().result()
        finally:
            for future in futures:
                future.cancel()

    def mapper(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(fn, items)``, chunk by chunk on the workers (``usrussia.corpus.Mapper``)."""
        if self.kind == "pandas":
            return map(fn, items)
        parts = self.map_chunks(functools.partial(_each, fn), chunked(items, self.chunk))
        return itertools.chain.from_iterable(parts)


PANDAS = Engine()


def build_corpus(
    sources: Iterable[Callable[[], Iterable[Record | Rejected]]] | None = None,
    engine: Engine = PANDAS,
) -> tuple[pd.DataFrame, Ledger]:
    """The corpus of every shipped raw source (or ``sources``), and its ledger."""
    return corpus.build_corpus(TEXT_STEPS, sources, mapper=engine.mapper)


def import_file(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    dayfirst: bool | None = None,
    engine: Engine = PANDAS,
) -> tuple[pd.DataFrame, Ledger]:
    """Users' files or fetched folders as one corpus (``usrussia.corpus.import_file``)."""
    return corpus.import_file(
        path, TEXT_STEPS, fmt, mapping, defaults, dayfirst, mapper=engine.mapper
    )


def to_corpus(items: Iterable[Record | Rejected], **params: Any) -> tuple[pd.DataFrame, Ledger]:
    """Records as a corpus (``usrussia.corpus.to_corpus``) with the text stage's steps."""
    return corpus.to_corpus(items, TEXT_STEPS, **params)


def score_documents(
    texts: Iterable[Any],
    targets: bool = True,
    progress: str | None = None,
    engine: Engine = PANDAS,
) -> pd.DataFrame:
    """``usrussia.sentiment.score_documents`` of ``texts``, a chunk of documents per task.

    Each document's scores are its own, so chunks give the rows one call would.
    """
    from usrussia.io import progress as progress_bar
    from usrussia.sentiment import score_documents as score

    texts = list(texts)
    if engine.kind == "pandas":
        return score(texts, targets=targets, progress=progress)
    chunks = chunked(progress_bar(texts, desc=progress, unit="doc"), engine.chunk)
    parts = list(engine.map_chunks(functools.partial(score, targets=targets), chunks))
    return pd.concat([score([], targets=targets), *parts], ignore_index=True)


def corpus_parts(
    path: str | os.PathLike[str], columns: Iterable[str] = ("doc_id", "text"), rows: int = CHUNK
) -> Iterator[pd.DataFrame]:
    """The corpus Parquet at ``path`` in slices of ``rows`` rows, read one batch at a time."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(corpus.check_corpus(path))
    for batch in parquet.iter_batches(batch_size=rows, columns=list(columns)):
        yield batch.to_pandas()


def _hashed(
    part: tuple[list[str], list[str]], n_features: int, analyzer: Mapping[str, Any]
) -> tuple[list[str], Any]:
    """(doc ids, hashed counts) of one slice of (doc ids, texts)."""
    from usrussia.text.tokens import TextAnalyzer
    from usrussia.text.vectorize import hashing_vectorizer

    doc_ids, texts = part
    vectorizer = hashing_vectorizer(TextAnalyzer(**analyzer), n_features=n_features)
    return doc_ids, vectorizer.transform(texts).tocsr()


def hashed_parts(
    path: str | os.PathLike[str],
    n_features: int = HASHED_FEATURES,
    analyzer: Mapping[str, Any] | None = None,
    engine: Engine = PANDAS,
) -> Iterator[tuple[list[str], Any]]:
    """(doc ids, hashed counts) of each slice of the corpus at ``path``, in order.

    Counts of ``usrussia.text.vectorize.hashing_vectorizer`` with a ``TextAnalyzer`` of
    ``analyzer``'s parameters (default: the project's, with stems); there is no vocabulary,
    so a slice's rows are the same whoever computes them.
    """
    params = dict(analyzer if analyzer is not None else HASHED_ANALYZER)
    parts = corpus_parts(path, rows=engine.chunk)
    slices = ((part["doc_id"].astype(str).tolist(), part["text"].tolist()) for part in parts)
    step = functools.partial(_hashed, n_features=n_features, analyzer=params)
    return engine.map_chunks(step, slices)


def hashed_dtm(
    path: str | os.PathLike[str],
    n_features: int = HASHED_FEATURES,
    analyzer: Mapping[str, Any] | None = None,
    engine: Engine = PANDAS,
) -> Any:
    """The hashed document-term matrix of the corpus at ``path`` (``hashed_parts`` stacked).

    Returns a ``usrussia.text.vectorize.DocumentTermMatrix`` whose terms are the column
    numbers (a hashing vectoriser has no vocabulary) and whose rows are the documents.
    """
    from scipy import sparse

    from usrussia.text.vectorize import DocumentTermMatrix

    doc_ids: list[str] = []
    matrices = [sparse.csr_matrix((0, n_features), dtype=np.float64)]
    for ids, matrix in hashed_parts(path, n_features, analyzer, engine):
        doc_ids.extend(ids)
        matrices.append(matrix)
    matrix = sparse.vstack(matrices, format="csr")
    return DocumentTermMatrix(matrix, [str(i) for i in range(n_features)], doc_ids)


def stream_topics(
    path: str | os.PathLike[str],
    n_topics: int = 20,
    seeds: Sequence[int] = SEEDS,
    passes: int = 10,
    n_features: int = TOPIC_FEATURES,
    engine: Engine = PANDAS,
) -> pd.DataFrame:
    """Streamed topics of the corpus at ``path``, reported beside batch ones.

    The hashed counts are computed once, partition by partition (``hashed_parts``), and
    kept on disk while the document frequencies are counted; the streamed model
    (``usrussia.topics.stream.fit_streamed``: ``MiniBatchNMF``, ``passes`` passes over the
    partitions) then holds one partition in memory, the batch model (``TopicModel``, NMF)
    the whole matrix. Both are fitted once per seed on the same TF-IDF of the counts.

    Returns
    -------
    DataFrame
        Rows ``streamed`` and ``batch``: ``npmi`` (mean NPMI of the top 10 words in the
        hashed counts) and ``stability`` (across the seeds).
    """
    import tempfile
    from pathlib import Path

    from scipy import sparse

    from usrussia.topics.model import TopicModel
    from usrussia.topics.stream import (
        compare_fits,
        document_frequencies,
        fit_streamed,
        streamed_tfidf,
    )

    with tempfile.TemporaryDirectory(prefix="usrussia-topics-") as folder:
        files: list[Path] = []

        def spill() -> Iterator[Any]:
            for i, (_, matrix) in enumerate(hashed_parts(path, n_features, engine=engine)):
                files.append(Path(folder) / f"part-{i:06d}.npz")
                sparse.save_npz(files[-1], matrix, compressed=False)
                yield matrix

        def parts() -> Iterator[Any]:
            return (sparse.load_npz(f).tocsr() for f in files)

        tfidf = streamed_tfidf(*document_frequencies(spill()))
        streamed = fit_streamed(parts, tfidf, n_topics, seeds, passes)
        counts = sparse.vstack(list(parts()), format="csr")
    batch = [TopicModel("nmf", n_topics, random_state=s).fit(counts).components_ for s in seeds]
    return compare_fits({"streamed": streamed, "batch": batch}, counts)
