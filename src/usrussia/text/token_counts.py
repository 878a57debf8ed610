"""Document-term counts of token lists (already tokenised text), vectorised.

``TokenTerms`` is the terms of a token list (word n-grams or word prefixes), an
``analyzer`` for scikit-learn's vectorisers; ``TokenCountVectorizer`` and
``TokenTfidfVectorizer`` are scikit-learn's, except that with a fixed vocabulary they count
a batch in a few numpy passes over word ids instead of a Python loop per term (the same
matrix, entry for entry). One table numbers the words for every counter, so the counters
that count the same immutable token lists in turn (the sentiment model's three) number a
batch once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from usrussia.text.tokens import ngrams

WORD_TABLE_LIMIT = 2**20  # distinct words the fixed-vocabulary counters keep ids for


class TokenTerms:
    """The terms of a token list: word n-grams (joined by a space) or word prefixes.

    An ``analyzer`` for vectorisers fitted on lists of tokens (already tokenised text);
    ``TokenCountVectorizer`` and ``TokenTfidfVectorizer`` count its terms in a few numpy
    passes over a batch when their vocabulary is fixed.
    """

    def __init__(self, ngram_range: Sequence[int] = (1, 1), prefix: int | None = None) -> None:
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.prefix = prefix
        if prefix is not None and self.ngram_range != (1, 1):
            raise ValueError("prefix terms are single prefixes only")

    def __call__(self, tokens: Sequence[str]) -> list[str]:
        if self.prefix is not None:
            return [w[: self.prefix] for w in tokens]
        return ngrams(tokens, *self.ngram_range)

    def __repr__(self) -> str:
        return f"TokenTerms(ngram_range={self.ngram_range}, prefix={self.prefix})"


class _WordIds(dict):
    """Word -> id, numbering each new word: ``words`` lists them by id, ``spaced`` holds the
    ids of the words with a space (their n-grams are ambiguous). Safe in threads (a Dask
    worker may score in several): a word is numbered under a lock, listed before its id
    is visible."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.spaced: list[int] = []
        self._lock = threading.Lock()

    def __missing__(self, word: str) -> int:
        with self._lock:
            if word in self:  # numbered by another thread meanwhile
                return dict.__getitem__(self, word)
            i = len(self.words)
            self.words.append(word)
            if " " in word:
                self.spaced.append(i)
            self[word] = i
            return i


class _Numbered(NamedTuple):
    """Token lists as word ids: ``table`` numbers the words, ``ids`` all of them in order,
    ``lengths`` each list's."""

    table: _WordIds
    lengths: np.ndarray
    ids: np.ndarray


_WORD_IDS = _WordIds()  # one table for every counter, so a batch is numbered once for all
_LAST: tuple[Any, _Numbered] | None = None


def _numbered(docs: Sequence[Sequence[str]]) -> _Numbered:
    """``docs`` as word ids in the shared table (started again past ``WORD_TABLE_LIMIT``).

    Immutable token lists (a tuple of tuples, as ``usrussia.sentiment.features.tokenize``
    gives) are numbered once for every counter that counts them in turn.
    """
    global _WORD_IDS, _LAST
    if len(_WORD_IDS) > WORD_TABLE_LIMIT:  # bounded memory on an endless stream
        _WORD_IDS = _WordIds()
    table, last = _WORD_IDS, _LAST  # each read once: another thread may replace them
    if last is not None and last[0] is docs and last[1].table is table:
        return last[1]
    lengths = np.fromiter(map(len, docs), np.int64, len(docs))
    flat = list(chain.from_iterable(docs))
    ids = np.fromiter(map(table.__getitem__, flat), np.int64, len(flat))
    numbered = _Numbered(table, lengths, ids)
    if isinstance(docs, tuple) and all(type(d) is tuple for d in docs):
        _LAST = (docs, numbered)
    return numbered


class _TermIndex:
    """A fixed vocabulary of ``TokenTerms`` terms as arrays over the word ids of ``table``.

    A word's id gives its unigram (or prefix) column; a word pair's code, ``id1 << 32 |
    id2``, is looked up in the sorted codes of the vocabulary's two-word terms.
    """

    def __init__(self, vocabulary: Mapping[str, int], terms: TokenTerms, table: _WordIds) -> None:
        self.vocabulary = vocabulary
        self.terms = terms
        self.table = table
        self.n_columns = len(vocabulary)
        self.columns = np.empty(0, dtype=np.int64)
        pairs = [(t.split(" "), c) for t, c in vocabulary.items() if t.count(" ") == 1]
        codes = [(table[a] << 32 | table[b], c) for (a, b), c in pairs]
        codes.sort()
        self.pair_codes = np.array([k for k, _ in codes], dtype=np.int64)
        self.pair_columns = np.array([c for _, c in codes], dtype=np.int64)

    def _add_words(self) -> np.ndarray:
        """The column of every word numbered so far (the table extended to the new ones)."""
        known = self.columns
        new = self.table.words[len(known) :]
        if not new:
            return known
        prefix, get = self.terms.prefix, self.vocabulary.get
        keys = new if prefix is None else [w[:prefix] for w in new]
        columns = np.fromiter((get(k, -1) for k in keys), np.int64, len(keys))
        self.columns = known = np.concatenate([known, columns])
        return known

    def counts(self, docs: _Numbered) -> sparse.csr_array | None:
        """The documents x terms counts of ``docs`` (None if this index cannot count them)."""
        lengths, ids = docs.lengths, docs.ids
        if self.table.spaced and np.isin(ids, self.table.spaced).any():
            return None
        columns = self._add_words()
        row = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        low, high = self.terms.ngram_range
        rows, cols = [], []
        if low <= 1:
            col = columns[ids]
            rows.append(row[col >= 0])
            cols.append(col[col >= 0])
        if high >= 2 and len(ids) > 1 and len(self.pair_codes):
            code = ids[:-1] << 32 | ids[1:]
            at = np.minimum(np.searchsorted(self.pair_codes, code), len(self.pair_codes) - 1)
            hit = (self.pair_codes[at] == code) & (row[:-1] == row[1:])
            rows.append(row[:-1][hit])
            cols.append(self.pair_columns[at[hit]])
        key = np.concatenate([np.empty(0, np.int64), *rows]) * self.n_columns
        key += np.concatenate([np.empty(0, np.int64), *cols])
        key, values = np.unique(key, return_counts=True)
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(key // self.n_columns, minlength=len(lengths)), out=indptr[1:])
        index_type = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
        return sparse.csr_array(
            (values, (key % self.n_columns).astype(index_type), indptr.astype(index_type)),
            shape=(len(lengths), self.n_columns),
        )


class _TokenCounting:
    """Counts ``TokenTerms`` over a fixed vocabulary with ``_TermIndex`` instead of a Python
    loop per term; the matrix is scikit-learn's, entry for entry (the tests check it)."""

    def _count_vocab(self, raw_documents: Any, fixed_vocab: bool) -> tuple[Any, Any]:
        terms = self.analyzer
        if not (fixed_vocab and isinstance(terms, TokenTerms) and terms.ngram_range[1] <= 2):
            return super()._count_vocab(raw_documents, fixed_vocab)
        docs = raw_documents if isinstance(raw_documents, Sequence) else list(raw_documents)
        numbered = _numbered(docs)
        index = getattr(self, "_term_index", None)
        if (
            index is None
            or index.vocabulary is not self.vocabulary_
            or index.terms is not terms
            or index.table is not numbered.table
        ):
            index = self._term_index = _TermIndex(self.vocabulary_, terms, numbered.table)
        counts = index.counts(numbered)
        if counts is None:
            return super()._count_vocab(docs, fixed_vocab)
        counts = counts.astype(self.dtype)
        counts.sort_indices()
        return self.vocabulary_, counts


class TokenCountVectorizer(_TokenCounting, CountVectorizer):
    """``CountVectorizer`` over token lists (``analyzer=TokenTerms(...)``), fast with a
    fixed vocabulary; everything else is scikit-learn's."""


class TokenTfidfVectorizer(_TokenCounting, TfidfVectorizer):
    """``TfidfVectorizer`` over token lists (``analyzer=TokenTerms(...)``), fast with a
    fixed vocabulary; everything else is scikit-learn's."""
