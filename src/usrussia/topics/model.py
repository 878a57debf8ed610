"""The topic model estimator: the one home of ``TopicModel`` and of the count-matrix form it reads.

``TopicModel`` is a scikit-learn transformer wrapping NMF (Frobenius or Kullback-Leibler loss,
fitted on TF-IDF computed from the counts) or LDA (fitted on the counts), always with a fixed
``random_state`` and one BLAS thread. NMF starts from a random initialisation on purpose: the
default NNDSVD start ignores the seed, and a stability figure measured with it would mean
nothing. ``as_csr`` is the float CSR copy every topic computation reads a matrix as.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from usrussia import config

MODELS: tuple[str, ...] = ("nmf", "nmf-kl", "lda")


def as_csr(X) -> sparse.csr_matrix:
    """A CSR float copy of any sparse or dense document-term matrix, indices sorted.

    Sorted on a copy: scikit-learn's online LDA sorts a float CSR input's indices in
    place, and the changed summation order made a second fit on the same matrix differ.

    Parameters
    ----------
    X : sparse matrix or array-like of shape (n_documents, n_terms)
        Counts (or any non-negative weights).

    Returns
    -------
    scipy.sparse.csr_matrix
        A float64 copy with sorted indices.
    """
    X = sparse.csr_matrix(X, dtype=np.float64, copy=True)
    X.sort_indices()
    return X


class TopicModel(TransformerMixin, BaseEstimator):
    """NMF or LDA topics on a count document-term matrix, with a fixed seed.

    Fits and transforms run on float64 input with one BLAS thread, so they are the same
    whatever the thread count; another BLAS kernel (another CPU) moves the loadings by
    about 1e-14 of their size, which leaves the top words unchanged unless two of them
    weigh the same to that precision.

    Parameters
    ----------
    model : {"nmf", "nmf-kl", "lda"}, default="nmf"
        Frobenius-loss NMF on TF-IDF, Kullback-Leibler NMF on TF-IDF, or online
        variational Bayes LDA on counts.
    n_topics : int, default=10
        Number of topics.
    random_state : int, default=config.SEED
        Seed of the initialisation.
    max_iter : int or None, default=None
        Iteration cap (None: 300 for NMF, 10 passes for LDA).

    Attributes
    ----------
    components_ : ndarray of shape (n_topics, n_terms)
        Topic-word loadings.
    """

    def __init__(
        self,
        model: str = "nmf",
        n_topics: int = 10,
        random_state: int = config.SEED,
        max_iter: int | None = None,
    ) -> None:
        self.model = model
        self.n_topics = n_topics
        self.random_state = random_state
        self.max_iter = max_iter

    def _estimator(self):
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}, got {self.model!r}")
        if self.model == "lda":
            return LatentDirichletAllocation(
                n_components=self.n_topics,
                learning_method="online",
                max_iter=self.max_iter or 10,
                random_state=self.random_state,
            )
        kl = self.model == "nmf-kl"
        return NMF(
            n_components=self.n_topics,
            init="random",
            solver="mu" if kl else "cd",
            beta_loss="kullback-leibler" if kl else "frobenius",
            max_iter=self.max_iter or 300,
            tol=1e-4,
            random_state=self.random_state,
        )

    def _input(self, X) -> sparse.csr_matrix:
        X = as_csr(X)
        return X if self.model == "lda" else self.tfidf_.transform(X)

    def fit(self, X, y=None) -> TopicModel:
        """Learn topics from a count matrix.

        Parameters
        ----------
        X : sparse matrix of shape (n_documents, n_terms)
            Counts; at least ``n_topics`` documents and terms.
        y : None
            Ignored.

        Returns
        -------
        TopicModel
            The fitted model.
        """
        X = as_csr(X)
        if X.shape[0] < self.n_topics or X.shape[1] < self.n_topics:
            raise ValueError(
                f"{self.n_topics} topics need at least as many documents and terms; "
                f"the matrix is {X.shape[0]} x {X.shape[1]}"
            )
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(X)
        with threadpool_limits(limits=1):
            self.estimator_ = self._estimator().fit(self._input(X))
        self.components_ = self.estimator_.components_
        return self

    def transform(self, X) -> np.ndarray:
        """Topic loadings of each document (rows not normalised; see ``topic_shares``).

        Parameters
        ----------
        X : sparse matrix of shape (n_documents, n_terms)
            Counts over the fitted vocabulary.

        Returns
        -------
        ndarray of shape (n_documents, n_topics)
        """
        check_is_fitted(self, "estimator_")
        with threadpool_limits(limits=1):
            return self.estimator_.transform(self._input(X))
