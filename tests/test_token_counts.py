"""Counting the terms of token lists: scikit-learn's matrices, numbered once per batch."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse


def _token_lists(corpus) -> list[list[str]]:
    """Lower-cased word tokens of NYT-rated and Kremlin sentences (the sentiment model's)."""
    from usrussia.sentiment import load_nyt_ratings, mask_names, tokenize
    from usrussia.text.sentences import split_sentences

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

    from usrussia.text.token_counts import TokenCountVectorizer, TokenTerms, TokenTfidfVectorizer

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

    from usrussia.text import token_counts
    from usrussia.text.token_counts import TokenCountVectorizer, TokenTerms

    docs = [["a b", "c"], ["a", "b", "c"], ["b", "c", "a b"], [], ["d"] * 3]
    terms = TokenTerms((1, 2))
    vocabulary = {"a b": 0, "a b c": 1, "b c": 2, "c": 3, "d": 4, "c a b": 5}
    plain = CountVectorizer(analyzer=terms, vocabulary=vocabulary)
    ours = TokenCountVectorizer(analyzer=terms, vocabulary=vocabulary)
    assert _same(ours.transform(docs), plain.transform(docs))
    monkeypatch.setattr(token_counts, "WORD_TABLE_LIMIT", 3)
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

    from usrussia.text import token_counts
    from usrussia.text.token_counts import TokenCountVectorizer, TokenTerms

    docs = tuple(tuple(d) for d in _token_lists(corpus))
    half = len(docs) // 2
    rest = docs[half:]
    for terms in (TokenTerms((1, 2)), TokenTerms(prefix=4), TokenTerms()):
        plain = CountVectorizer(analyzer=terms, min_df=2).fit(docs[:half])
        ours = TokenCountVectorizer(analyzer=terms, vocabulary=plain.vocabulary_)
        assert _same(ours.transform(rest), plain.transform(rest))
        assert token_counts._LAST[0] is rest  # numbered once, by the first counter
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

    from usrussia.text.token_counts import TokenCountVectorizer, TokenTerms

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
