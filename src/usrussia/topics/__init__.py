"""Topic models with measured coherence and stability, and each document's topic shares.

The grammar follows quanteda: a document-term matrix (counts, from ``usrussia.text.vectorize``)
goes in, topic loadings, coherence, stability and shares come out. One module per concern:

- ``model``: ``TopicModel``, the scikit-learn transformer wrapping NMF or LDA with a fixed
  seed and one BLAS thread.
- ``coherence``: top word ids, ``npmi_coherence`` and ``umass_coherence``.
- ``stability``: ``match_topics`` (Hungarian matching), ``stability`` and ``seed_fits``.
- ``selection``: ``sweep``, ``rank_configurations`` and the CPU-stable selection rule
  (``choose_configuration``, ``select_model``, ``rounding_margin``).
- ``units``: text units and their matrices, ``fit_topics``, ``describe_fit``, labels,
  representative documents, ``topic_shares`` and ``document_topics``.
- ``baseline``: the scikit-learn topic-extraction example, scored the same way.
- ``topicmap``: the interactive topic map.

Prevalence by group, era or meeting window is a comparison: ``usrussia.compare.prevalence``.
"""

from usrussia.topics.baseline import (
    EXAMPLE_LDA,
    EXAMPLE_N_TOPICS,
    EXAMPLE_NMF,
    EXAMPLE_VECTORIZER,
    sklearn_example_baseline,
)
from usrussia.topics.coherence import npmi_coherence, top_word_ids, umass_coherence
from usrussia.topics.model import MODELS, TopicModel, as_csr
from usrussia.topics.selection import (
    SELECTION_DECIMALS,
    Choice,
    Selection,
    choose_configuration,
    rank_configurations,
    rounding_margin,
    select_model,
    sweep,
)
from usrussia.topics.stability import match_topics, seed_fits, stability
from usrussia.topics.topicmap import jensen_shannon, topic_coordinates, topic_map, topic_map_html
from usrussia.topics.units import (
    UNITS,
    TopicFit,
    UnitMatrices,
    describe_fit,
    document_topics,
    fit_topics,
    representative_documents,
    short_label,
    sum_by_document,
    text_units,
    top_terms,
    topic_shares,
    topic_vectorizer,
    unit_matrices,
)

__all__ = [
    "EXAMPLE_LDA",
    "EXAMPLE_NMF",
    "EXAMPLE_N_TOPICS",
    "EXAMPLE_VECTORIZER",
    "MODELS",
    "SELECTION_DECIMALS",
    "UNITS",
    "Choice",
    "Selection",
    "TopicFit",
    "TopicModel",
    "UnitMatrices",
    "as_csr",
    "choose_configuration",
    "describe_fit",
    "document_topics",
    "fit_topics",
    "jensen_shannon",
    "match_topics",
    "npmi_coherence",
    "rank_configurations",
    "representative_documents",
    "rounding_margin",
    "seed_fits",
    "select_model",
    "short_label",
    "sklearn_example_baseline",
    "stability",
    "sum_by_document",
    "sweep",
    "text_units",
    "top_terms",
    "top_word_ids",
    "topic_coordinates",
    "topic_map",
    "topic_map_html",
    "topic_shares",
    "topic_vectorizer",
    "umass_coherence",
    "unit_matrices",
]
