"""Topic coherence: the one home of top word ids, document co-occurrence counts, NPMI and UMass.

Coherence of each topic's top words is counted from sparse document co-occurrence in a
reference matrix (by default the corpus the model was fitted on).
"""

from __future__ import annotations

import itertools

import numpy as np

from usrussia.topics.model import as_csr


def top_word_ids(components: np.ndarray, n: int = 10) -> np.ndarray:
    """Indices of each topic's ``n`` heaviest terms, heaviest first (ties by term index).

    Parameters
    ----------
    components : array-like of shape (n_topics, n_terms)
        Topic-word loadings.
    n : int, default=10
        Words per topic.

    Returns
    -------
    ndarray of shape (n_topics, n)
    """
    order = np.argsort(-np.asarray(components), axis=1, kind="stable")
    return order[:, :n]


def _document_counts(top_ids: np.ndarray, reference) -> tuple[np.ndarray, np.ndarray, int]:
    """Document frequency of each top word and co-occurrence of every pair, in ``reference``.

    Returns ``(cols, co, n_docs)``: the sorted distinct word ids, the matrix of documents
    containing both words (its diagonal is the document frequency) and the document count.
    """
    cols = np.unique(top_ids)
    present = (as_csr(reference)[:, cols] > 0).astype(np.float64)
    co = np.asarray((present.T @ present).todense())
    return cols, co, reference.shape[0]


def npmi_coherence(top_ids: np.ndarray, reference) -> np.ndarray:
    """Mean NPMI over the pairs of each topic's top words.

    ``NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b)`` with probabilities from
    document occurrence in ``reference``. A pair that never co-occurs scores -1 (the
    limit); a pair present in every document scores 1.

    Parameters
    ----------
    top_ids : array-like of shape (n_topics, n_words)
        Term indices of each topic's top words (``top_word_ids``).
    reference : sparse matrix of shape (n_documents, n_terms)
        The matrix co-occurrence is counted in.

    Returns
    -------
    ndarray of shape (n_topics,)
    """
    top_ids = np.atleast_2d(top_ids)
    cols, co, n_docs = _document_counts(top_ids, reference)
    if n_docs == 0:
        raise ValueError("the reference matrix has no documents")
    scores = []
    for topic in top_ids:
        pos = np.searchsorted(cols, topic)
        values = []
        for i, j in itertools.combinations(pos, 2):
            joint = co[i, j] / n_docs
            if joint == 0:
                values.append(-1.0)
            elif joint == 1:
                values.append(1.0)
            else:
                pmi = np.log(joint / ((co[i, i] / n_docs) * (co[j, j] / n_docs)))
                values.append(pmi / -np.log(joint))
        scores.append(np.mean(values) if values else np.nan)
    return np.asarray(scores)


def umass_coherence(top_ids: np.ndarray, reference) -> np.ndarray:
    """Mean UMass coherence of each topic (Mimno et al. 2011).

    For top words in rank order, the mean over pairs ``j < i`` of
    ``log((D(w_i, w_j) + 1) / D(w_j))``, with ``D`` document counts in ``reference``.

    Parameters
    ----------
    top_ids : array-like of shape (n_topics, n_words)
        Term indices of each topic's top words, heaviest first.
    reference : sparse matrix of shape (n_documents, n_terms)
        The matrix document counts come from.

    Returns
    -------
    ndarray of shape (n_topics,)
        NaN for a topic whose higher-ranked word never occurs in ``reference``.
    """
    top_ids = np.atleast_2d(top_ids)
    cols, co, _ = _document_counts(top_ids, reference)
    scores = []
    for topic in top_ids:
        pos = np.searchsorted(cols, topic)
        values = [
            np.log((co[pos[i], pos[j]] + 1) / co[pos[j], pos[j]])
            if co[pos[j], pos[j]] > 0
            else np.nan
            for i in range(1, len(pos))
            for j in range(i)
        ]
        scores.append(np.mean(values) if values else np.nan)
    return np.asarray(scores)
