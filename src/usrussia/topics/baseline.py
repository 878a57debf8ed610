"""The comparison point for coherence: the one home of the scikit-learn example baseline.

``sklearn_example_baseline`` runs the scikit-learn topic-extraction example's LDA and NMF,
with the example's defaults, and scores them with the project's NPMI.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from threadpoolctl import threadpool_limits

from usrussia.topics.coherence import npmi_coherence, top_word_ids

# The example's settings (its vectorizers share them; its LDA and NMF take ``n_components``).
EXAMPLE_VECTORIZER = {"max_df": 0.95, "min_df": 2, "max_features": 1000, "stop_words": "english"}
EXAMPLE_LDA = {
    "max_iter": 5,
    "learning_method": "online",
    "learning_offset": 50.0,
    "random_state": 0,
}
EXAMPLE_NMF = {
    "init": "nndsvda",
    "beta_loss": "frobenius",
    "alpha_W": 0.00005,
    "alpha_H": 0.00005,
    "l1_ratio": 1,
    "random_state": 1,
}
EXAMPLE_N_TOPICS = 10


def sklearn_example_baseline(
    texts: Sequence[str], n_topics: int = EXAMPLE_N_TOPICS, n_top: int = 10
) -> dict:
    """Mean NPMI of the scikit-learn topic-extraction example's LDA and NMF on ``texts``.

    The example's settings (``EXAMPLE_VECTORIZER`` for its ``CountVectorizer`` and
    ``TfidfVectorizer``, ``EXAMPLE_LDA`` for its online LDA on counts, ``EXAMPLE_NMF`` for
    its lightly L1-regularised Frobenius NMF on TF-IDF). NPMI is counted over the example's
    own count matrix, the same way as for the project's models.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    n_topics : int, default=EXAMPLE_N_TOPICS
        Components of both models.
    n_top : int, default=10
        Top words per topic scored.

    Returns
    -------
    dict
        ``{"lda": mean NPMI, "nmf": mean NPMI}``.
    """
    counts = CountVectorizer(**EXAMPLE_VECTORIZER).fit_transform(texts)
    tfidf = TfidfVectorizer(**EXAMPLE_VECTORIZER).fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=n_topics, **EXAMPLE_LDA)
    nmf = NMF(n_components=n_topics, **EXAMPLE_NMF)
    with threadpool_limits(limits=1):
        lda.fit(counts)
        nmf.fit(tfidf)
    return {
        name: float(npmi_coherence(top_word_ids(est.components_, n_top), counts).mean())
        for name, est in (("lda", lda), ("nmf", nmf))
    }
