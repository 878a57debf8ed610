"""Document-term matrices: hand-checked counts, pruning, TF-IDF, hashing, npz round trip."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.decomposition import TruncatedSVD
from sklearn.pipeline import make_pipeline

from usrussia.text.clean import Cleaner
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import (
    build_dtm,
    count_vectorizer,
    hashing_vectorizer,
    load_dtm,
    save_dtm,
    term_labels,
    tfidf_vectorizer,
    vocabulary_path,
)

DOCS = [
    "President Putin met President Trump in Helsinki.",
    "Putin and Trump discussed sanctions; sanctions stay.",
    "The White House announced new sanctions.",
]


def test_counts_by_hand() -> None:
    dtm = build_dtm(DOCS, count_vectorizer(), doc_ids=["a", "b", "c"], desc=None)
    counts = dict(zip(dtm.terms, np.asarray(dtm.matrix.sum(axis=0)).ravel(), strict=True))
    assert counts == {
        "announced": 1,
        "discussed": 1,
        "helsinki": 1,
        "met": 1,
        "new": 1,
        "putin": 2,
        "sanctions": 3,
        "stay": 1,
        "trump": 2,
        "white_house": 1,
    }
    row_b = dict(zip(dtm.terms, dtm.matrix[1].toarray().ravel(), strict=True))
    assert row_b["sanctions"] == 2 and row_b["putin"] == 1 and row_b["helsinki"] == 0
    assert dtm.doc_ids == ["a", "b", "c"] and dtm.matrix.dtype == np.int64


def test_min_df_and_max_df_prune() -> None:
    dtm = build_dtm(DOCS, count_vectorizer(min_df=2), desc=None)
    assert dtm.terms == ["putin", "sanctions", "trump"]
    dtm = build_dtm(DOCS, count_vectorizer(max_df=0.5), desc=None)
    assert "sanctions" not in dtm.terms and "helsinki" in dtm.terms


def test_tfidf_rows_have_unit_norm_and_bigrams() -> None:
    dtm = build_dtm(DOCS, tfidf_vectorizer(ngram_range=(1, 2)), desc=None)
    norms = sparse.linalg.norm(dtm.matrix, axis=1)
    assert np.allclose(norms, 1.0)
    assert "putin trump" in dtm.terms and "white_house announced" in dtm.terms


def test_hashing_counts_every_token() -> None:
    dtm = build_dtm(DOCS, hashing_vectorizer(n_features=2**10), desc=None)
    assert dtm.matrix.shape == (3, 1024)
    assert dtm.matrix.sum() == sum(len(TextAnalyzer()(d)) for d in DOCS)


def test_analyzer_or_params_not_both() -> None:
    with pytest.raises(TypeError, match="either an analyzer"):
        count_vectorizer(TextAnalyzer(), stem=True)


def test_vectorizers_clone_and_compose_in_a_pipeline() -> None:
    pipe = make_pipeline(
        Cleaner(source="kremlin"), tfidf_vectorizer(stem=True), TruncatedSVD(2, random_state=0)
    )
    out = clone(pipe).fit_transform(DOCS)
    assert out.shape == (3, 2)


def test_save_and_load_round_trip(tmp_path) -> None:
    vectorizer = count_vectorizer()
    matrix = vectorizer.fit_transform(DOCS)
    path = save_dtm(tmp_path / "dtm.npz", matrix, vectorizer.vocabulary_, ["a", "b", "c"])
    assert vocabulary_path(path).name == "dtm.json"
    loaded = load_dtm(path)
    assert (loaded.matrix != matrix).nnz == 0
    assert loaded.terms == vectorizer.get_feature_names_out().tolist()
    assert loaded.doc_ids == ["a", "b", "c"]
    with np.load(path, allow_pickle=False) as npz:  # never a pickle inside
        assert set(npz.files) >= {"data", "indices", "indptr", "shape"}


def test_save_rejects_mismatches(tmp_path) -> None:
    matrix = sparse.csr_matrix(np.eye(2))
    with pytest.raises(ValueError, match=".npz"):
        save_dtm(tmp_path / "dtm.pkl", matrix, ["a", "b"])
    with pytest.raises(ValueError, match="3 terms"):
        save_dtm(tmp_path / "dtm.npz", matrix, ["a", "b", "c"])
    with pytest.raises(ValueError, match="doc_ids"):
        save_dtm(tmp_path / "dtm.npz", matrix, ["a", "b"], doc_ids=["x"])
    save_dtm(tmp_path / "dtm.npz", matrix, ["a", "b"])
    (tmp_path / "dtm.json").write_text('{"format": "usrussia-dtm/1", "shape": [3, 3]}')
    with pytest.raises(ValueError, match="does not match"):
        load_dtm(tmp_path / "dtm.npz")


def test_term_labels_map_stems_to_surface_forms() -> None:
    texts = ["Negotiations on sanctions", "negotiations continued; sanctions stayed"]
    analyzer = TextAnalyzer(stem=True)
    dtm = build_dtm(texts, count_vectorizer(analyzer, **{}), desc=None)
    labels = term_labels(dtm.terms, analyzer.surface_forms(texts))
    assert "negotiations" in labels and "negoti" in dtm.terms
    assert term_labels(["negoti sanction"], {"negoti": "negotiations"}) == ["negotiations sanction"]


def test_kremlin_matrix_has_no_footer_terms(corpus) -> None:
    kremlin = corpus[corpus["source"] == "kremlin"].head(500)
    dtm = build_dtm(kremlin["text"], count_vectorizer(ngram_range=(1, 2), min_df=5), desc=None)
    assert dtm.matrix.shape[0] == 500
    assert not {"publication status", "text version", "direct link"} & set(dtm.terms)
    assert "putin" in dtm.terms
