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


def _token_lists(corpus) -> list[list[str]]:
    """Lower-cased word tokens of NYT-rated and Kremlin sentences (the sentiment model's)."""
    from usrussia.sentiment import load_nyt_ratings, mask_names, tokenize
    from usrussia.text.tokens import split_sentences

    pages = corpus.loc[corpus["source"] == "kremlin", "text"].head(400)
    sentences = [*load_nyt_ratings()["sentence"], *(s for t in pages for s in split_sentences(t))]
    return [*tokenize(mask_names(sentences)), [], ["only"], []]


def _same(a, b) -> bool:
    """Entry for entry the same CSR matrix: shape, row pointers, columns and values."""
    a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize(
    "ngram_range, prefix", [((1, 1), None), ((1, 2), None), ((2, 2), None), ((1, 1), 4)]
)
def test_token_vectorizers_count_as_scikit_learn_does(corpus, ngram_range, prefix) -> None:
    """With a vocabulary fitted on half the sentences, the numpy counts of the other half
    (unseen words, empty sentences) are scikit-learn's, and so are the TF-IDF rows."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    from usrussia.text.vectorize import TokenCountVectorizer, TokenTerms, TokenTfidfVectorizer

    docs = _token_lists(corpus)
    half = len(docs) // 2
    terms = TokenTerms(ngram_range, prefix)
    plain = CountVectorizer(analyzer=terms, min_df=2).fit(docs[:half])
    vocabulary = plain.vocabulary_
    ours = TokenCountVectorizer(analyzer=terms, vocabulary=vocabulary)
    assert _same(ours.transform(docs[half:]), plain.transform(docs[half:]))
    assert _same(ours.transform(docs[half:]), plain.transform(docs[half:]))  # warm tables
    tfidf = dict(sublinear_tf=True, dtype=np.float64)
    plain_tfidf = TfidfVectorizer(analyzer=terms, **tfidf).fit(docs[:half])
    ours_tfidf = TokenTfidfVectorizer(analyzer=terms, vocabulary=plain_tfidf.vocabulary_, **tfidf)
    ours_tfidf.idf_ = plain_tfidf.idf_
    assert _same(ours_tfidf.transform(docs[half:]), plain_tfidf.transform(docs[half:]))


def test_token_counts_fall_back_for_spaced_tokens_and_restart_their_table(monkeypatch) -> None:
    """Tokens with a space make n-grams ambiguous (scikit-learn's loop counts them); the
    word table is rebuilt past its limit; either way the counts are scikit-learn's."""
    from sklearn.feature_extraction.text import CountVectorizer

    from usrussia.text import vectorize
    from usrussia.text.vectorize import TokenCountVectorizer, TokenTerms

    docs = [["a b", "c"], ["a", "b", "c"], ["b", "c", "a b"], [], ["d"] * 3]
    terms = TokenTerms((1, 2))
    vocabulary = {"a b": 0, "a b c": 1, "b c": 2, "c": 3, "d": 4, "c a b": 5}
    plain = CountVectorizer(analyzer=terms, vocabulary=vocabulary)
    ours = TokenCountVectorizer(analyzer=terms, vocabulary=vocabulary)
    assert _same(ours.transform(docs), plain.transform(docs))
    monkeypatch.setattr(vectorize, "WORD_TABLE_LIMIT", 3)
    fresh = TokenCountVectorizer(analyzer=terms, vocabulary=vocabulary)
    words = [[f"w{i}", "b", "c"] for i in range(20)] + docs[1:]
    assert _same(fresh.transform(words), plain.transform(words))
    full = fresh._term_index
    assert _same(fresh.transform(words), plain.transform(words))
    assert fresh._term_index is not full  # started again with only the vocabulary's words


def test_counters_share_the_numbering_of_immutable_token_lists(corpus) -> None:
    """Immutable token lists are numbered once for every counter (the sentiment model's
    three counts of one batch); each counter still gives scikit-learn's counts, and a list
    changed in place between two counts is numbered again."""
    from sklearn.feature_extraction.text import CountVectorizer

    from usrussia.text import vectorize
    from usrussia.text.vectorize import TokenCountVectorizer, TokenTerms

    docs = tuple(tuple(d) for d in _token_lists(corpus))
    half = len(docs) // 2
    rest = docs[half:]
    for terms in (TokenTerms((1, 2)), TokenTerms(prefix=4), TokenTerms()):
        plain = CountVectorizer(analyzer=terms, min_df=2).fit(docs[:half])
        ours = TokenCountVectorizer(analyzer=terms, vocabulary=plain.vocabulary_)
        assert _same(ours.transform(rest), plain.transform(rest))
        assert vectorize._LAST[0] is rest  # numbered once, by the first counter
    words = [list(d) for d in docs[:50]]
    plain = CountVectorizer(analyzer=TokenTerms(), min_df=1).fit(docs)
    ours = TokenCountVectorizer(analyzer=TokenTerms(), vocabulary=plain.vocabulary_)
    assert _same(ours.transform(words), plain.transform(words))
    words[0][:] = ["sanctions"] * 3
    assert _same(ours.transform(words), plain.transform(words))


def test_token_counts_in_threads_are_scikit_learns() -> None:
    """One counter shared by threads that meet new words at the same time (a Dask worker
    with several threads scoring with the one loaded model) counts as scikit-learn does."""
    import sys
    import threading

    from sklearn.feature_extraction.text import CountVectorizer

    from usrussia.text.vectorize import TokenCountVectorizer, TokenTerms

    terms = TokenTerms((1, 2))
    terms_kept = [f"w{i}" for i in range(0, 4000, 7)] + ["w7 w14", "w21 w28"]
    vocabulary = {term: column for column, term in enumerate(terms_kept)}
    plain = CountVectorizer(analyzer=terms, vocabulary=vocabulary)
    ours = TokenCountVectorizer(analyzer=terms, vocabulary=vocabulary)
    batches = [
        [[f"w{(t * 977 + d * 31 + k * 7) % 4000}" for k in range(12)] for d in range(300)]
        for t in range(8)
    ]
    results: dict[int, bool] = {}

    def count(t: int) -> None:
        results[t] = _same(ours.transform(batches[t]), plain.transform(batches[t]))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=count, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert results == dict.fromkeys(range(8), True)
