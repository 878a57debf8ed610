"""From a corpus to labelled topics: the one home of text units, unit matrices, labels and shares.

``text_units`` gives the texts a model is fitted on (whole documents or paragraphs),
``unit_matrices`` vectorises them with ``topic_vectorizer`` (the project's tokens and
matrices from ``usrussia.text``), ``fit_topics`` fits one model and ``describe_fit`` labels
it: ``top_terms`` (stems mapped back to surface forms), ``short_label``, per-topic NPMI and
``topic_shares`` per document. ``representative_documents`` gives each topic's evidence.
Prevalence by group, era or meeting window is a comparison: ``usrussia.compare.prevalence``.

For other notebooks, ``document_topics(corpus, ...)`` fits one model on a corpus and returns
the per-document topic shares as a DataFrame indexed like the corpus, one column per topic
(named by its short label); documents with no term in the vocabulary get NaN shares::

    from usrussia.topics import document_topics
    shares = document_topics(corpus[corpus["source"] == "kremlin"], n_topics=20)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from usrussia import config
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import build_dtm, count_vectorizer, term_labels
from usrussia.topics.coherence import npmi_coherence, top_word_ids
from usrussia.topics.model import TopicModel, as_csr

UNITS: tuple[str, ...] = ("document", "paragraph")


def top_terms(
    components: np.ndarray,
    vocabulary: Sequence[str],
    n: int = 10,
    surface: Mapping[str, str] | None = None,
) -> list[list[str]]:
    """Each topic's ``n`` heaviest terms.

    Parameters
    ----------
    components : array-like of shape (n_topics, n_terms)
        Topic-word loadings.
    vocabulary : sequence of str
        The term of each column.
    n : int, default=10
        Terms per topic.
    surface : mapping or None
        Term to surface form (terms not in it are shown as they are).

    Returns
    -------
    list of list of str
    """
    vocabulary = np.asarray(vocabulary, dtype=object)
    surface = surface or {}
    return [[surface.get(t, t) for t in vocabulary[ids]] for ids in top_word_ids(components, n)]


def short_label(words: Sequence[str], n: int = 3) -> str:
    """An automatic label: the first ``n`` distinct top words (case-blind), joined by ' / '.

    Parameters
    ----------
    words : sequence of str
        A topic's top words, heaviest first.
    n : int, default=3
        Words in the label.

    Returns
    -------
    str
    """
    seen: list[str] = []
    for word in words:
        if word.lower() not in (s.lower() for s in seen):
            seen.append(word)
        if len(seen) == n:
            break
    return " / ".join(seen)


def representative_documents(
    shares: pd.DataFrame,
    corpus: pd.DataFrame,
    n: int = 3,
    columns: Sequence[str] = ("title", "date", "source"),
) -> pd.DataFrame:
    """The ``n`` documents with the highest share of each topic, with their metadata.

    Parameters
    ----------
    shares : DataFrame
        Topic shares indexed like ``corpus``, one column per topic.
    corpus : DataFrame
        The documents' metadata.
    n : int, default=3
        Documents per topic.
    columns : sequence of str
        Metadata columns of ``corpus`` to show.

    Returns
    -------
    DataFrame
        One row per (topic, rank) with ``share`` and ``columns``.
    """
    rows = []
    for topic in shares.columns:
        best = shares[topic].dropna().sort_values(ascending=False, kind="stable").head(n)
        for rank, (idx, share) in enumerate(best.items(), start=1):
            meta = corpus.loc[idx, list(columns)].to_dict()
            rows.append({"topic": topic, "rank": rank, "share": float(share), **meta})
    return pd.DataFrame(rows, columns=["topic", "rank", "share", *columns])


def topic_shares(loadings: np.ndarray, index=None, columns=None) -> pd.DataFrame:
    """Loadings normalised to shares summing to 1 per document.

    Parameters
    ----------
    loadings : array-like of shape (n_documents, n_topics)
        Non-negative topic loadings.
    index, columns : optional
        Row and column labels (default columns ``topic 0``, ``topic 1``, …).

    Returns
    -------
    DataFrame
        Shares; NaN rows for documents with all-zero loadings.
    """
    loadings = np.asarray(loadings, dtype=np.float64)
    totals = loadings.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, loadings / totals, np.nan)
    columns = (
        list(columns) if columns is not None else [f"topic {i}" for i in range(shares.shape[1])]
    )
    return pd.DataFrame(shares, index=index, columns=columns)


def topic_vectorizer(
    min_df: float | int = 5, max_df: float | int = 0.5, max_features: int | None = 3000
) -> CountVectorizer:
    """The project's count vectorizer for topics: stems, English+domain stopwords, aliases.

    Parameters
    ----------
    min_df, max_df, max_features
        As in scikit-learn's ``CountVectorizer``.

    Returns
    -------
    CountVectorizer
    """
    return count_vectorizer(
        TextAnalyzer(stem=True), min_df=min_df, max_df=max_df, max_features=max_features
    )


def text_units(corpus: pd.DataFrame, unit: str = "document", min_words: int = 10) -> pd.Series:
    """The texts a model is fitted on, indexed by their document's corpus index.

    Parameters
    ----------
    corpus : DataFrame
        Documents with a ``text`` column.
    unit : {"document", "paragraph"}, default="document"
        One text per document, or each line of a document's text with at least
        ``min_words`` words (the index repeats for a document's paragraphs).
    min_words : int, default=10
        Shortest paragraph kept.

    Returns
    -------
    Series of str
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    if unit == "document":
        return corpus["text"]
    lines = corpus["text"].str.split("\n").explode()
    return lines[lines.fillna("").str.split().str.len() >= min_words].astype(str)


def sum_by_document(loadings: np.ndarray, unit_index: pd.Index, index: pd.Index) -> np.ndarray:
    """Unit loadings summed per document, in the order of ``index`` (zeros when no unit).

    Parameters
    ----------
    loadings : array-like of shape (n_units, n_topics)
        Topic loadings of each unit.
    unit_index : Index
        The document of each unit.
    index : Index
        The documents, in the order wanted.

    Returns
    -------
    ndarray of shape (len(index), n_topics)
    """
    summed = pd.DataFrame(loadings, index=unit_index).groupby(level=0, sort=False).sum()
    return summed.reindex(index, fill_value=0.0).to_numpy()


@dataclass
class TopicFit:
    """One fitted topic model on a corpus, with everything a report shows about it."""

    model: TopicModel
    terms: list[str]
    top_words: list[list[str]]
    labels: list[str]
    npmi: np.ndarray
    shares: pd.DataFrame


class UnitMatrices(NamedTuple):
    """Count matrices of one corpus: ``X`` over the fitting units, ``reference`` over whole
    documents (for coherence), ``unit_index`` (the corpus index of each unit's document)
    and ``terms`` (readable surface forms of the columns; alias tokens such as
    ``united_states`` read "united states")."""

    X: sparse.csr_matrix
    reference: sparse.csr_matrix
    unit_index: pd.Index
    terms: list[str]


def unit_matrices(
    corpus: pd.DataFrame, unit: str = "document", vectorizer: CountVectorizer | None = None
) -> UnitMatrices:
    """Vectorise ``corpus`` by ``unit`` with the project's vectorizer.

    Parameters
    ----------
    corpus : DataFrame
        Documents with a ``text`` column.
    unit : {"document", "paragraph"}, default="document"
        The fitting units (``text_units``).
    vectorizer : CountVectorizer or None
        Default ``topic_vectorizer()``.

    Returns
    -------
    UnitMatrices
    """
    vectorizer = vectorizer if vectorizer is not None else topic_vectorizer()
    units = text_units(corpus, unit)
    if units.empty:
        raise ValueError(f"no {unit} long enough to fit topics on")
    try:
        dtm = build_dtm(units, vectorizer, desc="vectorising")
    except ValueError as exc:  # scikit-learn: no term left after min_df/max_df pruning
        raise ValueError(
            f"no vocabulary from {len(units)} {unit}s with min_df={vectorizer.min_df}, "
            f"max_df={vectorizer.max_df}: {exc}"
        ) from None
    reference = dtm.matrix if unit == "document" else vectorizer.transform(corpus["text"])
    surface = vectorizer.analyzer.surface_forms(corpus["text"])
    terms = [t.replace("_", " ") for t in term_labels(dtm.terms, surface)]  # united_states
    return UnitMatrices(dtm.matrix, as_csr(reference), units.index, terms)


def describe_fit(
    fitted: TopicModel, matrices: UnitMatrices, index: pd.Index, n_top: int = 10
) -> TopicFit:
    """Labels, top words, per-topic NPMI and per-document shares of a fitted model.

    Parameters
    ----------
    fitted : TopicModel
        Fitted on ``matrices.X``.
    matrices : UnitMatrices
        The matrices of the corpus.
    index : Index
        The corpus index (rows of the shares).
    n_top : int, default=10
        Top words per topic.

    Returns
    -------
    TopicFit
    """
    words = top_terms(fitted.components_, matrices.terms, n_top)
    labels = [f"{i + 1:02d} {short_label(w)}" for i, w in enumerate(words)]
    loadings = sum_by_document(fitted.transform(matrices.X), matrices.unit_index, index)
    return TopicFit(
        model=fitted,
        terms=matrices.terms,
        top_words=words,
        labels=labels,
        npmi=npmi_coherence(top_word_ids(fitted.components_, n_top), matrices.reference),
        shares=topic_shares(loadings, index=index, columns=labels),
    )


def fit_topics(
    corpus: pd.DataFrame,
    model: str = "nmf",
    n_topics: int = 20,
    unit: str = "document",
    random_state: int = config.SEED,
    vectorizer: CountVectorizer | None = None,
    n_top: int = 10,
) -> TopicFit:
    """Vectorise ``corpus``, fit one topic model and label its topics.

    Coherence (NPMI) is always counted over whole documents, whatever the ``unit``.

    Parameters
    ----------
    corpus : DataFrame
        Documents with a ``text`` column.
    model, n_topics, random_state
        As in ``TopicModel``.
    unit, vectorizer
        As in ``unit_matrices``.
    n_top : int, default=10
        Top words per topic.

    Returns
    -------
    TopicFit
        Its ``shares`` are indexed like ``corpus``, one column per topic named by its label.
    """
    matrices = unit_matrices(corpus, unit, vectorizer)
    fitted = TopicModel(model=model, n_topics=n_topics, random_state=random_state)
    return describe_fit(fitted.fit(matrices.X), matrices, corpus.index, n_top)


def document_topics(corpus: pd.DataFrame, **params) -> pd.DataFrame:
    """Per-document topic shares of ``corpus``.

    Parameters
    ----------
    corpus : DataFrame
        Documents with a ``text`` column.
    **params
        Passed to ``fit_topics``.

    Returns
    -------
    DataFrame
        Indexed like ``corpus``; NaN rows for documents without a vocabulary term.
    """
    return fit_topics(corpus, **params).shares
