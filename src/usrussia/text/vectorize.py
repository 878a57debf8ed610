"""Document-term matrices: count, TF-IDF and hashing vectorisers on the project's tokens.

The vectorisers are plain scikit-learn objects (usable in a ``Pipeline``, cloneable)
whose ``analyzer`` is a ``usrussia.text.tokens.TextAnalyzer``: aliasing, stopwords, stems
and n-grams are configured there, pruning (``min_df``/``max_df``/``max_features``) here.
Matrices are saved as a sparse ``.npz`` (``scipy.sparse.save_npz``) beside a JSON file
with the terms in column order and the document ids, never as pickle.

Usage::

    from usrussia.corpus import read_corpus
    from usrussia.text.tokens import TextAnalyzer
    from usrussia.text.vectorize import build_dtm, count_vectorizer, save_dtm, load_dtm, term_labels

    corpus = read_corpus()
    kremlin = corpus[corpus["source"] == "kremlin"]
    analyzer = TextAnalyzer(stem=True)                  # english+domain stopwords, aliases
    vectorizer = count_vectorizer(analyzer, min_df=5, max_df=0.5)
    dtm = build_dtm(kremlin["text"], vectorizer, doc_ids=kremlin["doc_id"])
    dtm.matrix          # scipy.sparse CSR, documents x terms (int64 counts)
    dtm.terms           # list of terms in column order ("negoti", "united_states", ...)
    labels = term_labels(dtm.terms, analyzer.surface_forms(kremlin["text"]))  # "negotiations"
    save_dtm("data/interim/kremlin_counts.npz", dtm.matrix, dtm.terms, dtm.doc_ids)
    dtm = load_dtm("data/interim/kremlin_counts.npz")
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

from usrussia.io import atomic_write, dump_json, progress
from usrussia.text.tokens import TextAnalyzer

DTM_FORMAT = "usrussia-dtm/1"


class DocumentTermMatrix(NamedTuple):
    """A sparse documents x terms matrix with its column terms and row document ids."""

    matrix: sparse.csr_matrix
    terms: list[str]
    doc_ids: list[str] | None


def _analyzer(analyzer: TextAnalyzer | None, params: Mapping[str, Any]) -> TextAnalyzer:
    if analyzer is not None and params:
        raise TypeError("pass either an analyzer or analyzer parameters, not both")
    return analyzer if analyzer is not None else TextAnalyzer(**params)


def count_vectorizer(
    analyzer: TextAnalyzer | None = None,
    *,
    min_df: float | int = 1,
    max_df: float | int = 1.0,
    max_features: int | None = None,
    binary: bool = False,
    **analyzer_params: Any,
) -> CountVectorizer:
    """A ``CountVectorizer`` on the project's tokens (raw term counts, int64).

    ``analyzer_params`` build a ``TextAnalyzer`` when ``analyzer`` is not given, e.g.
    ``count_vectorizer(stem=True, ngram_range=(1, 2), min_df=5)``.
    """
    return CountVectorizer(
        analyzer=_analyzer(analyzer, analyzer_params),
        min_df=min_df,
        max_df=max_df,
        max_features=max_features,
        binary=binary,
        dtype=np.int64,
    )


def tfidf_vectorizer(
    analyzer: TextAnalyzer | None = None,
    *,
    min_df: float | int = 1,
    max_df: float | int = 1.0,
    max_features: int | None = None,
    sublinear_tf: bool = False,
    norm: str | None = "l2",
    **analyzer_params: Any,
) -> TfidfVectorizer:
    """A ``TfidfVectorizer`` (smooth idf, l2-normalised rows) on the project's tokens."""
    return TfidfVectorizer(
        analyzer=_analyzer(analyzer, analyzer_params),
        min_df=min_df,
        max_df=max_df,
        max_features=max_features,
        sublinear_tf=sublinear_tf,
        norm=norm,
    )


def hashing_vectorizer(
    analyzer: TextAnalyzer | None = None,
    *,
    n_features: int = 2**20,
    norm: str | None = None,
    alternate_sign: bool = False,
    **analyzer_params: Any,
) -> HashingVectorizer:
    """A stateless ``HashingVectorizer`` (no vocabulary: for streams and huge corpora).

    Defaults give plain non-negative counts (``norm=None``, ``alternate_sign=False``).
    """
    return HashingVectorizer(
        analyzer=_analyzer(analyzer, analyzer_params),
        n_features=n_features,
        norm=norm,
        alternate_sign=alternate_sign,
    )


def build_dtm(
    texts: Iterable[str],
    vectorizer: CountVectorizer | HashingVectorizer,
    doc_ids: Iterable[str] | None = None,
    desc: str | None = "vectorising",
) -> DocumentTermMatrix:
    """Fit ``vectorizer`` on ``texts`` (with a progress bar) and return the matrix and terms.

    A hashing vectorizer has no vocabulary: its terms are the column numbers as strings.
    """
    texts = list(texts)
    bar = progress(texts, desc=desc, total=len(texts), unit=" docs")
    if isinstance(vectorizer, HashingVectorizer):
        matrix = vectorizer.transform(bar)
        terms = [str(i) for i in range(matrix.shape[1])]
    else:
        matrix = vectorizer.fit_transform(bar)
        terms = vectorizer.get_feature_names_out().tolist()
    ids = [str(d) for d in doc_ids] if doc_ids is not None else None
    if ids is not None and len(ids) != matrix.shape[0]:
        raise ValueError(f"{len(ids)} doc_ids for {matrix.shape[0]} documents")
    return DocumentTermMatrix(sparse.csr_matrix(matrix), terms, ids)


def _terms(vocabulary: Mapping[str, int] | Sequence[str], n_columns: int) -> list[str]:
    if isinstance(vocabulary, Mapping):
        terms = [""] * len(vocabulary)
        for term, column in vocabulary.items():
            terms[column] = term
    else:
        terms = [str(t) for t in vocabulary]
    if len(terms) != n_columns:
        raise ValueError(f"{len(terms)} terms for a matrix with {n_columns} columns")
    return terms


def vocabulary_path(path: str | os.PathLike[str]) -> Path:
    """The JSON file that accompanies the matrix at ``path`` (``x.npz`` -> ``x.json``)."""
    return Path(path).with_suffix(".json")


def save_dtm(
    path: str | os.PathLike[str],
    matrix: sparse.spmatrix | sparse.sparray,
    vocabulary: Mapping[str, int] | Sequence[str],
    doc_ids: Sequence[str] | None = None,
) -> Path:
    """Save a matrix as ``path`` (sparse ``.npz``) and its terms/doc ids as ``path.json``.

    ``vocabulary`` is a term -> column mapping (``vectorizer.vocabulary_``) or the terms
    in column order. Both files are written atomically; nothing is pickled.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"{path}: a document-term matrix is saved as .npz")
    matrix = sparse.csr_matrix(matrix)
    terms = _terms(vocabulary, matrix.shape[1])
    if doc_ids is not None and len(doc_ids) != matrix.shape[0]:
        raise ValueError(f"{len(doc_ids)} doc_ids for a matrix with {matrix.shape[0]} rows")

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:  # a file object: numpy would append .npz to a name
            sparse.save_npz(fh, matrix, compressed=True)

    atomic_write(path, write)
    dump_json(
        {
            "format": DTM_FORMAT,
            "shape": list(matrix.shape),
            "terms": terms,
            "doc_ids": None if doc_ids is None else [str(d) for d in doc_ids],
        },
        vocabulary_path(path),
    )
    return path


def load_dtm(path: str | os.PathLike[str]) -> DocumentTermMatrix:
    """Load a matrix saved by ``save_dtm`` (no pickle is ever loaded)."""
    path = Path(path)
    matrix = sparse.csr_matrix(sparse.load_npz(path))
    meta = json.loads(vocabulary_path(path).read_text(encoding="utf-8"))
    if meta.get("format") != DTM_FORMAT or list(meta["shape"]) != list(matrix.shape):
        raise ValueError(f"{path}: vocabulary file does not match the matrix")
    return DocumentTermMatrix(matrix, list(meta["terms"]), meta["doc_ids"])


def term_labels(terms: Iterable[str], surface: Mapping[str, str]) -> list[str]:
    """Readable labels for (stemmed) terms; n-grams are mapped word by word.

    ``surface`` comes from ``TextAnalyzer.surface_forms`` (stem -> most frequent form).
    """
    return [" ".join(surface.get(word, word) for word in term.split(" ")) for term in terms]
