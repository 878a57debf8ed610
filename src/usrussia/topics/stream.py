"""Topics fitted on a stream of document-term matrices: the one home of the streamed fit.

A corpus too large for memory is read in partitions (``usrussia.engine.hashed_parts``);
``streamed_tfidf`` weighs them with the document frequencies counted in a first pass, and
``fit_streamed`` updates scikit-learn's ``MiniBatchNMF`` with each partition in turn
(``partial_fit``), so that memory holds one partition and the topic matrix, never the
corpus. ``compare_fits`` puts the coherence (NPMI) and seed stability of such fits beside
those of batch fits (``TopicModel``) on the same documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import MiniBatchNMF
from sklearn.feature_extraction.text import TfidfTransformer
from threadpoolctl import threadpool_limits

from usrussia.topics.coherence import npmi_coherence, top_word_ids
from usrussia.topics.stability import stability


def document_frequencies(parts: Iterable[sparse.csr_matrix]) -> tuple[np.ndarray, int]:
    """Per column, the documents it occurs in, and the documents, over all ``parts``."""
    df: np.ndarray | None = None
    n_docs = 0
    for part in parts:
        part = sparse.csr_matrix(part)
        part.sum_duplicates()
        counts = np.bincount(part.indices, minlength=part.shape[1])
        df = counts if df is None else df + counts
        n_docs += part.shape[0]
    if df is None:
        raise ValueError("no documents to count")
    return df, n_docs


def streamed_tfidf(df: np.ndarray, n_docs: int) -> TfidfTransformer:
    """``TopicModel``'s weighting (sublinear tf, smooth idf, L2 rows) from streamed counts.

    The idf is scikit-learn's, ``ln((1 + n) / (1 + df)) + 1``, computed as it does.
    """
    tfidf = TfidfTransformer(sublinear_tf=True).fit(sparse.csr_matrix((1, len(df))))
    tfidf.idf_ = np.log((n_docs + 1) / (np.asarray(df, dtype=np.float64) + 1)) + 1
    return tfidf


def fit_streamed(
    parts: Callable[[], Iterable[sparse.csr_matrix]],
    tfidf: TfidfTransformer,
    n_topics: int,
    seeds: Sequence[int],
    passes: int = 3,
) -> list[np.ndarray]:
    """Topic-word loadings of one ``MiniBatchNMF`` per seed, updated partition by partition.

    Parameters
    ----------
    parts : callable
        Returns a fresh iterable of count matrices (one pass over the corpus) each call.
    tfidf : TfidfTransformer
        The weighting (``streamed_tfidf``).
    n_topics : int
        Topics per model.
    seeds : sequence of int
        One model per seed (random initialisation).
    passes : int
        Passes over the partitions.

    Returns
    -------
    list of ndarray of shape (n_topics, n_terms)
        One per seed; the same for the same partitions in the same order.
    """
    models = [MiniBatchNMF(n_components=n_topics, init="random", random_state=s) for s in seeds]
    with threadpool_limits(limits=1):  # like TopicModel: the same whatever the thread count
        for _ in range(passes):
            for part in parts():
                weighted = tfidf.transform(part)
                for model in models:
                    model.partial_fit(weighted)
    return [model.components_ for model in models]


def compare_fits(
    fits: Mapping[str, Sequence[np.ndarray]], reference: sparse.csr_matrix, n_words: int = 10
) -> pd.DataFrame:
    """Mean NPMI of the top words and seed stability of each named set of fits.

    Parameters
    ----------
    fits : mapping of str to sequence of ndarray
        Per model, its topic-word loadings for each seed (at least two).
    reference : sparse matrix of shape (n_documents, n_terms)
        The counts the NPMI is measured in.
    n_words : int
        Top words per topic.

    Returns
    -------
    DataFrame
        One row per model: ``npmi`` (mean over topics and seeds) and ``stability``.
    """
    rows = []
    for name, loadings in fits.items():
        npmi = [npmi_coherence(top_word_ids(c, n_words), reference).mean() for c in loadings]
        rows.append({"model": name, "npmi": float(np.mean(npmi)), "stability": stability(loadings)})
    return pd.DataFrame(rows).set_index("model")
