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


def sklearn_example_baseline(texts: Sequence[str], n_topics: int = 10, n_top: int = 10) -> dict:
    """Mean NPMI of the scikit-learn topic-extraction example's LDA and NMF on ``texts``.

    The example's defaults: 1,000 features from ``CountVectorizer``/``TfidfVectorizer``
    (``max_df=0.95, min_df=2, stop_words='english'``), 10 components, online LDA with
    ``max_iter=5, learning_offset=50, random_state=0``, Frobenius NMF with
    ``init='nndsvda', random_state=1`` and light L1 regularisation. NPMI is counted over the
    example's own count matrix, the same way as for the project's models.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    n_topics : int, default=10
        Components of both models.
    n_top : int, default=10
        Top words per topic scored.

    Returns
    -------
    dict
        ``{"lda": mean NPMI, "nmf": mean NPMI}``.
    """
    options = {"max_df": 0.95, "min_df": 2, "max_features": 1000, "stop_words": "english"}
    counts = CountVectorizer(**options).fit_transform(texts)
    tfidf = TfidfVectorizer(**options).fit_transform(texts)
    lda = LatentDirichletAllocation(
        n_components=n_topics,
        max_iter=5,
        learning_method="online",
        learning_offset=50.0,
        random_state=0,
    )
    nmf = NMF(
        n_components=n_topics,
        init="nndsvda",
        beta_loss="frobenius",
        alpha_W=0.00005,
        alpha_H=0.00005,
        l1_ratio=1,
        random_state=1,
    )
    with threadpool_limits(limits=1):
        lda.fit(counts)
        nmf.fit(tfidf)
    return {
        name: float(npmi_coherence(top_word_ids(est.components_, n_top), counts).mean())
        for name, est in (("lda", lda), ("nmf", nmf))
    }
