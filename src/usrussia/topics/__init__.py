"""Topic models with measured coherence and stability, and each document's topic shares.

The grammar follows quanteda: a document-term matrix (counts, from ``usrussia.text.vectorize``)
goes in, topic loadings, coherence, stability and prevalence tables come out.

- ``TopicModel``: a scikit-learn transformer wrapping NMF (Frobenius or Kullback-Leibler loss,
  fitted on TF-IDF computed from the counts) or LDA (fitted on the counts), always with a
  fixed ``random_state``. NMF starts from a random initialisation on purpose: the default
  NNDSVD start ignores the seed, and a stability figure measured with it would mean nothing.
- ``npmi_coherence`` and ``umass_coherence``: coherence of each topic's top words from sparse
  document co-occurrence in a reference matrix (by default the corpus itself).
- ``match_topics`` and ``stability``: Hungarian matching of topics between two fits on the
  cosine of their word loadings, and the mean matched similarity across seeds.
- ``sweep`` and ``select_model``: fit every (model, k), score coherence, then accept the most
  coherent configuration (near-ties within a tolerance go to fewer topics) whose stability
  across seeds reaches the threshold (the rule, ``choose_configuration``, compares figures
  rounded to ``SELECTION_DECIMALS`` decimals, so the last digits, which move with the CPU
  and the BLAS library, cannot change the choice unless a figure sits on a rounding
  boundary; ``Selection.margin`` says how far the nearest one is).
- Labels and evidence: ``top_terms`` (stems mapped back to surface forms), ``short_label``,
  ``representative_documents``.
- Shares: ``topic_shares`` (prevalence by group, era or meeting window is a comparison:
  ``usrussia.compare.prevalence``).

For other notebooks, ``document_topics(corpus, ...)`` fits one model on a corpus and returns
the per-document topic shares as a DataFrame indexed like the corpus, one column per topic
(named by its short label); documents with no term in the vocabulary get NaN shares::

    from usrussia.topics import document_topics
    shares = document_topics(corpus[corpus["source"] == "kremlin"], n_topics=20)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from usrussia import config
from usrussia.io import progress
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import build_dtm, count_vectorizer, term_labels

MODELS: tuple[str, ...] = ("nmf", "nmf-kl", "lda")
SELECTION_DECIMALS = 3  # selection compares NPMI and stability at the precision reports show


def _as_csr(X) -> sparse.csr_matrix:
    """A CSR float copy of any sparse or dense document-term matrix, indices sorted.

    Sorted on a copy: scikit-learn's online LDA sorts a float CSR input's indices in
    place, and the changed summation order made a second fit on the same matrix differ.
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
    model : ``"nmf"`` (Frobenius loss on TF-IDF), ``"nmf-kl"`` (Kullback-Leibler loss on
        TF-IDF) or ``"lda"`` (online variational Bayes on counts).
    n_topics : number of topics.
    random_state : seed of the initialisation (default ``config.SEED``).
    max_iter : iteration cap (default 300 for NMF, 10 passes for LDA).
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
        X = _as_csr(X)
        return X if self.model == "lda" else self.tfidf_.transform(X)

    def fit(self, X, y=None) -> TopicModel:
        """Learn topics from a count matrix (documents x terms)."""
        X = _as_csr(X)
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
        """Topic loadings of each document (rows are not normalised; see ``topic_shares``)."""
        check_is_fitted(self, "estimator_")
        with threadpool_limits(limits=1):
            return self.estimator_.transform(self._input(X))


# --- coherence ------------------------------------------------------------------------------


def top_word_ids(components: np.ndarray, n: int = 10) -> np.ndarray:
    """Indices of each topic's ``n`` heaviest terms, heaviest first (ties by term index)."""
    order = np.argsort(-np.asarray(components), axis=1, kind="stable")
    return order[:, :n]


def _document_counts(top_ids: np.ndarray, reference) -> tuple[np.ndarray, np.ndarray, int]:
    """Document frequency of each top word and co-occurrence of every pair, in ``reference``.

    Returns ``(cols, co, n_docs)``: the sorted distinct word ids, the matrix of documents
    containing both words (its diagonal is the document frequency) and the document count.
    """
    cols = np.unique(top_ids)
    present = (_as_csr(reference)[:, cols] > 0).astype(np.float64)
    co = np.asarray((present.T @ present).todense())
    return cols, co, reference.shape[0]


def npmi_coherence(top_ids: np.ndarray, reference) -> np.ndarray:
    """Mean NPMI over the pairs of each topic's top words (one value per topic).

    ``NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b)`` with probabilities from
    document occurrence in ``reference`` (documents x terms). A pair that never co-occurs
    scores -1 (the limit); a pair present in every document scores 1.
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
    """Mean UMass coherence of each topic (Mimno et al. 2011), one value per topic.

    For top words in rank order, the mean over pairs ``j < i`` of
    ``log((D(w_i, w_j) + 1) / D(w_j))``, with ``D`` document counts in ``reference``;
    NaN when a higher-ranked word never occurs in the reference.
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


# --- stability ------------------------------------------------------------------------------


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    na = np.linalg.norm(a, axis=1, keepdims=True)
    nb = np.linalg.norm(b, axis=1, keepdims=True)
    return (a / np.where(na == 0, 1, na)) @ (b / np.where(nb == 0, 1, nb)).T


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair each topic of fit ``a`` with one topic of fit ``b`` (Hungarian matching).

    ``a`` and ``b`` are topic x term loadings over the same vocabulary. Returns
    ``(partner, similarity)``: for topic ``i`` of ``a``, its partner in ``b`` and the cosine
    similarity of their loadings, chosen so that the total similarity is maximal.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"topic matrices differ in shape: {a.shape} vs {b.shape}")
    sim = _cosine(a, b)
    rows, partner = linear_sum_assignment(sim, maximize=True)
    return partner[np.argsort(rows)], sim[rows, partner][np.argsort(rows)]


def stability(fits: Sequence[np.ndarray]) -> float:
    """Mean matched cosine similarity over every pair of fits (1.0 = identical topics)."""
    if len(fits) < 2:
        raise ValueError("stability needs at least two fits")
    with threadpool_limits(limits=1):  # like the fits: the figure must not follow thread counts
        pairs = [match_topics(a, b)[1].mean() for a, b in itertools.combinations(fits, 2)]
    return float(np.mean(pairs))


def seed_fits(
    X, model: str, n_topics: int, seeds: Sequence[int], desc: str | None = None
) -> list[TopicModel]:
    """The same model fitted once per seed (for stability)."""
    return [
        TopicModel(model=model, n_topics=n_topics, random_state=s).fit(X)
        for s in progress(seeds, desc=desc, unit="fit")
    ]


# --- model selection ------------------------------------------------------------------------


def sweep(
    X,
    ks: Sequence[int],
    models: Sequence[str] = ("nmf",),
    random_state: int = config.SEED,
    n_top: int = 10,
    reference=None,
) -> pd.DataFrame:
    """Fit every (model, k) once and score its coherence; one row per configuration.

    Columns: ``model, k, mean_npmi, mean_umass, min_npmi``. ``reference`` is the matrix
    co-occurrence is counted in (default ``X``).
    """
    reference = X if reference is None else reference
    grid = [(m, k) for m in models for k in ks]
    rows = []
    for model, k in progress(grid, desc="topic sweep", unit="fit"):
        fitted = TopicModel(model=model, n_topics=k, random_state=random_state).fit(X)
        ids = top_word_ids(fitted.components_, n_top)
        npmi = npmi_coherence(ids, reference)
        rows.append(
            {
                "model": model,
                "k": k,
                "mean_npmi": float(npmi.mean()),
                "mean_umass": float(np.nanmean(umass_coherence(ids, reference))),
                "min_npmi": float(npmi.min()),
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Selection:
    """The outcome of ``select_model``: the chosen configuration and what was tried.

    ``margin`` is how far the compared figure nearest to a rounding boundary is from it:
    moves of every NPMI and stability by less than this cannot change the choice.
    """

    model: str
    k: int
    mean_npmi: float
    stability: float
    candidates: pd.DataFrame
    fits: list[TopicModel]
    margin: float


class Choice(NamedTuple):
    """What ``choose_configuration`` tried (``tried``, ranked rows of the sweep table, and
    their ``stability``) and the position in ``tried`` of the chosen one (``chosen``)."""

    tried: pd.DataFrame
    stability: list[float]
    chosen: int


def _units(values, decimals: int) -> np.ndarray:
    """``values`` rounded to whole units of ``10**-decimals`` (integers compare exactly)."""
    return np.rint(np.asarray(values, dtype=np.float64) * 10.0**decimals).astype(np.int64)


def _whole_units(value: float, decimals: int, name: str) -> int:
    """A tolerance or threshold in whole units of ``10**-decimals``; finer ones are refused."""
    units = value * 10.0**decimals
    if abs(units - round(units)) > 1e-6:
        raise ValueError(f"{name}={value} has more than {decimals} decimals")
    return round(units)


def rounding_margin(values, decimals: int = SELECTION_DECIMALS) -> float:
    """Distance of the value nearest to a rounding boundary at ``decimals`` decimals from it.

    A rule that sees figures only rounded to ``decimals`` decimals makes the same choice
    when every figure moves by less than this (``inf`` when there is no value).
    """
    scaled = np.asarray(values, dtype=np.float64) * 10.0**decimals
    if scaled.size == 0:
        return float("inf")
    return float(np.min(np.abs(scaled - np.floor(scaled) - 0.5)) / 10.0**decimals)


def rank_configurations(
    table: pd.DataFrame, tolerance: float = 0.0, decimals: int = SELECTION_DECIMALS
) -> pd.DataFrame:
    """``table`` in the order ``select_model`` tries it.

    Mean NPMI is compared rounded to ``decimals`` decimals (the precision the reports show),
    as whole units, so no digit beyond those and no binary representation of ``tolerance``
    changes the order. Configurations whose rounded mean NPMI is at most ``tolerance`` below
    the best count as tied and come first, smallest k first (parsimony: differences that
    small are within what a change of seed moves); the rest follow by rounded mean NPMI,
    highest first. Equal keys go to the smaller k, then to the model listed first in
    ``MODELS``.
    """
    if table["mean_npmi"].isna().any():
        raise ValueError("the sweep table has configurations without a mean NPMI")
    score = _units(table["mean_npmi"], decimals)
    tied = score >= score.max() - _whole_units(tolerance, decimals, "tolerance")
    model = table["model"].map({m: i for i, m in enumerate(MODELS)}).fillna(len(MODELS))
    order = np.lexsort((model.to_numpy(), table["k"].to_numpy(), np.where(tied, 0, -score), ~tied))
    return table.iloc[order]


def choose_configuration(
    table: pd.DataFrame,
    stability_of: Callable[[tuple], float],
    threshold: float = 0.8,
    max_candidates: int = 3,
    tolerance: float = 0.0,
    decimals: int = SELECTION_DECIMALS,
) -> Choice:
    """The selection rule on a ``sweep`` table, with stability measured on demand.

    Configurations are tried in ``rank_configurations`` order, at most ``max_candidates``;
    ``stability_of(row)`` (a row of ``table`` as a named tuple) gives each one's stability,
    and the first whose stability, rounded to ``decimals`` decimals, reaches ``threshold``
    is chosen. If none does, the most stable one tried is (rounded; the earlier on ties).
    The choice depends on NPMI and stability only through their rounded values.
    """
    if table.empty:
        raise ValueError("the sweep table is empty")
    ranked = rank_configurations(table, tolerance, decimals).head(max_candidates)
    bar = _whole_units(threshold, decimals, "threshold")
    measured: list[float] = []
    for row in ranked.itertuples():
        measured.append(float(stability_of(row)))
        if _units(measured[-1], decimals) >= bar:
            return Choice(ranked.head(len(measured)), measured, len(measured) - 1)
    return Choice(ranked, measured, int(np.argmax(_units(measured, decimals))))


def select_model(
    X,
    table: pd.DataFrame,
    seeds: Sequence[int],
    threshold: float = 0.8,
    max_candidates: int = 3,
    tolerance: float = 0.0,
    reference=None,
    n_top: int = 10,
    decimals: int = SELECTION_DECIMALS,
) -> Selection:
    """Pick a configuration from a ``sweep`` table by a fixed, documented rule.

    Rule (``choose_configuration``): order configurations with ``rank_configurations`` (by
    mean NPMI at ``decimals`` decimals, ties within ``tolerance`` broken towards fewer
    topics); for each of the first ``max_candidates``, refit with every seed in ``seeds``
    and measure ``stability``; accept the first whose stability reaches ``threshold``. If
    none does, take the most stable candidate tried (the shortfall shows in the returned
    ``candidates`` table, which also gives the mean and standard deviation of the mean NPMI
    over the seeds, counted in ``reference``, default ``X``). ``Selection.margin`` says how
    far the figures are from a rounding that would change a compared value.
    """
    reference = X if reference is None else reference
    tried: list[dict] = []
    tried_fits: list[list[TopicModel]] = []

    def measure(row) -> float:
        fits = seed_fits(X, row.model, row.k, seeds, desc=f"stability {row.model} k={row.k}")
        npmi = [npmi_coherence(top_word_ids(f.components_, n_top), reference).mean() for f in fits]
        tried.append(
            {
                "model": row.model,
                "k": row.k,
                "mean_npmi": row.mean_npmi,
                "stability": stability([f.components_ for f in fits]),
                "npmi_over_seeds": float(np.mean(npmi)),
                "npmi_sd_over_seeds": float(np.std(npmi, ddof=1)) if len(npmi) > 1 else np.nan,
            }
        )
        tried_fits.append(fits)
        return tried[-1]["stability"]

    choice = choose_configuration(table, measure, threshold, max_candidates, tolerance, decimals)
    chosen = tried[choice.chosen]
    return Selection(
        model=chosen["model"],
        k=int(chosen["k"]),
        mean_npmi=float(chosen["mean_npmi"]),
        stability=float(chosen["stability"]),
        candidates=pd.DataFrame(tried),
        fits=tried_fits[choice.chosen],
        margin=rounding_margin([*table["mean_npmi"], *choice.stability], decimals),
    )


# --- labels and evidence --------------------------------------------------------------------


def top_terms(
    components: np.ndarray,
    vocabulary: Sequence[str],
    n: int = 10,
    surface: Mapping[str, str] | None = None,
) -> list[list[str]]:
    """Each topic's ``n`` heaviest terms, mapped to surface forms when ``surface`` is given."""
    vocabulary = np.asarray(vocabulary, dtype=object)
    surface = surface or {}
    return [[surface.get(t, t) for t in vocabulary[ids]] for ids in top_word_ids(components, n)]


def short_label(words: Sequence[str], n: int = 3) -> str:
    """An automatic label: the first ``n`` distinct top words, joined by ' / '."""
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

    ``shares`` is indexed like ``corpus`` (one column per topic). Returns one row per
    (topic, rank) with ``share`` and the requested ``columns``.
    """
    rows = []
    for topic in shares.columns:
        best = shares[topic].dropna().sort_values(ascending=False, kind="stable").head(n)
        for rank, (idx, share) in enumerate(best.items(), start=1):
            meta = corpus.loc[idx, list(columns)].to_dict()
            rows.append({"topic": topic, "rank": rank, "share": float(share), **meta})
    return pd.DataFrame(rows, columns=["topic", "rank", "share", *columns])


# --- prevalence -----------------------------------------------------------------------------


def topic_shares(loadings: np.ndarray, index=None, columns=None) -> pd.DataFrame:
    """Loadings normalised to shares summing to 1 per document; NaN for all-zero rows."""
    loadings = np.asarray(loadings, dtype=np.float64)
    totals = loadings.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, loadings / totals, np.nan)
    columns = (
        list(columns) if columns is not None else [f"topic {i}" for i in range(shares.shape[1])]
    )
    return pd.DataFrame(shares, index=index, columns=columns)


# --- corpus to topics -----------------------------------------------------------------------

UNITS: tuple[str, ...] = ("document", "paragraph")


def topic_vectorizer(
    min_df: float | int = 5, max_df: float | int = 0.5, max_features: int | None = 3000
) -> CountVectorizer:
    """The project's count vectorizer for topics: stems, English+domain stopwords, aliases."""
    return count_vectorizer(
        TextAnalyzer(stem=True), min_df=min_df, max_df=max_df, max_features=max_features
    )


def text_units(corpus: pd.DataFrame, unit: str = "document", min_words: int = 10) -> pd.Series:
    """The texts a model is fitted on, indexed by their document's corpus index.

    ``"document"``: one text per document. ``"paragraph"``: each line of a document's text
    with at least ``min_words`` words (the index repeats for a document's paragraphs).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    if unit == "document":
        return corpus["text"]
    lines = corpus["text"].str.split("\n").explode()
    return lines[lines.fillna("").str.split().str.len() >= min_words].astype(str)


def sum_by_document(loadings: np.ndarray, unit_index: pd.Index, index: pd.Index) -> np.ndarray:
    """Unit loadings summed per document, in the order of ``index`` (zeros when no unit)."""
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
    """Vectorise ``corpus`` (column ``text``) by ``unit`` with the project's vectorizer."""
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
    return UnitMatrices(dtm.matrix, _as_csr(reference), units.index, terms)


def describe_fit(
    fitted: TopicModel, matrices: UnitMatrices, index: pd.Index, n_top: int = 10
) -> TopicFit:
    """Labels, top words, per-topic NPMI and per-document shares of a fitted model."""
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
    """Vectorise ``corpus`` (column ``text``), fit one topic model and label its topics.

    Coherence (NPMI) is always counted over whole documents, whatever the ``unit``.
    ``shares`` is indexed like ``corpus``, one column per topic named by its label.
    """
    matrices = unit_matrices(corpus, unit, vectorizer)
    fitted = TopicModel(model=model, n_topics=n_topics, random_state=random_state)
    return describe_fit(fitted.fit(matrices.X), matrices, corpus.index, n_top)


def document_topics(corpus: pd.DataFrame, **params) -> pd.DataFrame:
    """Per-document topic shares of ``corpus`` (indexed like it; NaN rows for documents
    without a vocabulary term); ``params`` go to ``fit_topics``."""
    return fit_topics(corpus, **params).shares


def sklearn_example_baseline(texts: Sequence[str], n_topics: int = 10, n_top: int = 10) -> dict:
    """Mean NPMI of the scikit-learn topic-extraction example's LDA and NMF on ``texts``.

    The example's defaults: 1,000 features from ``CountVectorizer``/``TfidfVectorizer``
    (``max_df=0.95, min_df=2, stop_words='english'``), 10 components, online LDA with
    ``max_iter=5, learning_offset=50, random_state=0``, Frobenius NMF with
    ``init='nndsvda', random_state=1`` and light L1 regularisation. NPMI is counted over the
    example's own count matrix, the same way as for the project's models.
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
