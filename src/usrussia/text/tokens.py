"""Tokens: word tokens, entity aliasing, stopwords, stems, n-grams (sentences: ``sentences``).

quanteda's grammar: a cleaned text (``usrussia.text.clean``) becomes tokens here, and
``usrussia.text.vectorize`` turns tokens into a document-term matrix.

- ``word_tokenize(text)``: NLTK's ``RegexpTokenizer`` with ``TOKEN_PATTERN`` (a token
  starts with a letter; hyphenated words stay whole; bare numbers and punctuation are
  dropped), case kept; run by the stdlib ``re`` engine wherever it gives the same tokens.
- ``AliasMatcher``: entity aliasing from ``data/external/entity_aliases.csv``, so that
  "Vladimir Putin", "President Putin" and "Putin's" become the one token ``putin`` and
  "U.S.", "United States", "America" become ``united_states``; multi-word expressions in
  the table ("White House", "foreign minister", "G-20") become one token
  (``white_house``, ``foreign_minister``, ``g20``). Matching is case-sensitive on
  purpose ("US" the country, not "us" the pronoun); the longest alias wins. The table is
  read and checked by ``usrussia.corpus.selection.load_alias_rows``, the one home of the
  table (and of its ``target`` column, the names of Russia and the United States).
- ``load_stopwords``: the shipped English list (``data/external/nltk_data``) minus the
  words that carry content in this domain, plus the domain list
  (``data/external/stopwords/``, see its README).
- ``TextAnalyzer``: the whole chain (optional cleaning, aliasing, tokens, lower-casing,
  stopwords, Snowball stems cached per distinct token, n-grams) as one callable, which
  scikit-learn vectorisers take as ``analyzer`` (see ``usrussia.text.vectorize``); ``ngrams``
  is the one n-gram helper::

    >>> TextAnalyzer()("President Putin's talks with the U.S. at the White House.")
    ['putin', 'talks', 'united_states', 'white_house']
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from sklearn.base import BaseEstimator, TransformerMixin

from usrussia import config
from usrussia.corpus.selection import load_alias_rows, trie_regex
from usrussia.text.clean import clean_text, require_str

TOKEN_PATTERN = r"[^\W\d_]\w*+(?:-[^\W\d_]\w*+)*+"
_WORD_TOKENIZER = RegexpTokenizer(TOKEN_PATTERN)
_TOKEN_RE = re.compile(TOKEN_PATTERN)
# Characters that ``re`` puts in TOKEN_PATTERN's classes (\w, [^\W\d_]) as NLTK's engine,
# ``regex``, does (every ASCII one; others are added as they are met and checked), those it
# does not, and a pattern for any character of neither kind.
_CLASSED_ALIKE = {chr(i) for i in range(128)}
_CLASSED_APART: set[str] = set()


def _unchecked_pattern() -> re.Pattern[str]:
    """A character that is neither ASCII nor known to be classed alike."""
    known = "".join(re.escape(c) for c in sorted(_CLASSED_ALIKE) if not c.isascii())
    return re.compile(f"[^\\x00-\\x7f{known}]")


_UNCHECKED = _unchecked_pattern()


@lru_cache(maxsize=8)
def _min_length_re(min_length: int) -> re.Pattern[str]:
    """``TOKEN_PATTERN`` for tokens of at least ``min_length`` characters.

    The lookahead after the first letter asks for ``min_length - 1`` more word characters
    or hyphens; a word too short fails at its first letter and at every later one.
    """
    return re.compile(rf"[^\W\d_](?=[\w-]{{{min_length - 1}}})\w*+(?:-[^\W\d_]\w*+)*+")


def _classed_alike(text: str) -> bool:
    """Whether ``re`` and NLTK's ``regex`` engine class every character of ``text`` alike.

    They disagree on some non-ASCII characters (``regex`` counts combining marks as word
    characters, ``re`` counts superscript digits); where no such character occurs, their
    TOKEN_PATTERN matches are the same.
    """
    global _UNCHECKED
    if text.isascii():
        return True
    while (unchecked := _UNCHECKED.search(text)) is not None:
        char = unchecked.group()
        if char in _CLASSED_APART:
            return False
        probes = (f"a{char}", char)  # is it in \w (after a letter), in [^\W\d_] (a token)?
        if list(map(_TOKEN_RE.findall, probes)) != list(map(_WORD_TOKENIZER.tokenize, probes)):
            _CLASSED_APART.add(char)
            return False
        _CLASSED_ALIKE.add(char)
        _UNCHECKED = _unchecked_pattern()
    return True


def word_tokenize(text: str) -> list[str]:
    """Word tokens of ``text`` in their original case (NLTK ``RegexpTokenizer``).

    The stdlib ``re`` engine finds them, about twice as fast, where it classes every
    character of ``text`` as NLTK's ``regex`` engine does (``_classed_alike``); else NLTK's.
    """
    text = require_str(text, "word_tokenize")
    if _classed_alike(text):
        return _TOKEN_RE.findall(text)
    return _WORD_TOKENIZER.tokenize(text)


# --- entity aliases -------------------------------------------------------------------


def load_aliases(path: str | os.PathLike[str] = config.ENTITY_ALIASES_CSV) -> dict[str, str]:
    """The alias table as ``{alias: canonical}``, checked (``load_alias_rows``)."""
    return {row["alias"]: row["canonical"] for row in load_alias_rows(path)}


class AliasMatcher:
    """Replace every alias in a text with its canonical token (surrounded by spaces).

    An alias matches only as a whole word (not inside a longer word; a hyphen counts as
    a word boundary, so "US-Russian" gives ``united_states`` and ``russian``) and takes a
    possessive "'s" with it ("Putin's" -> ``putin``). Aliases that start with a capital
    letter are matched in one pass of a trie-shaped regex; the few lower-case ones
    ("foreign minister") each get a pass only when the text contains them.
    """

    _END = "(?:['’]s)?(?![\\w'’])"

    def __init__(self, aliases: dict[str, str]):
        self.aliases = dict(aliases)
        self.canonical = frozenset(self.aliases.values())
        upper = [a for a in self.aliases if not a[:1].islower()]
        self._regex = re.compile((trie_regex(upper) if upper else "(?!)") + self._END)
        self._lower = [
            (alias, re.compile(re.escape(alias) + self._END))
            for alias in sorted(self.aliases, key=len, reverse=True)
            if alias[:1].islower()
        ]

    def _replace(self, match: re.Match[str]) -> str:
        start = match.start()
        text = match.string
        if start and (text[start - 1].isalnum() or text[start - 1] in "_'’"):
            return match.group()
        alias = match.group()
        canonical = self.aliases.get(alias)
        if canonical is None:  # the possessive form
            canonical = self.aliases[alias[:-2]]
        return f" {canonical} "

    def sub(self, text: str) -> str:
        """``text`` with each alias replaced by `` canonical ``."""
        text = self._regex.sub(self._replace, require_str(text, "AliasMatcher.sub"))
        for alias, regex in self._lower:
            if alias in text:
                text = regex.sub(self._replace, text)
        return text


@lru_cache(maxsize=8)
def alias_matcher(path: str | os.PathLike[str] = config.ENTITY_ALIASES_CSV) -> AliasMatcher:
    """The (cached) matcher for the alias table at ``path``."""
    return AliasMatcher(load_aliases(path))


# --- stopwords ------------------------------------------------------------------------


def _word_list(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.strip().lower() for w in lines if w.strip() and not w.lstrip().startswith("#")}


@lru_cache(maxsize=8)
def load_stopwords(name: str = "english+domain") -> frozenset[str]:
    """A stopword set: ``"english"``, ``"domain"`` or ``"english+domain"``.

    ``english`` is the shipped NLTK-layout list minus ``stopwords/keep.txt`` (words that
    carry content in this domain, such as "bill", "un", "interest"); ``domain`` is
    ``stopwords/domain.txt`` (reporting verbs, honorifics, calendar words).
    """
    words: set[str] = set()
    for part in name.split("+"):
        if part == "english":
            english = _word_list(config.NLTK_STOPWORDS_ENGLISH)
            words |= english - _word_list(config.STOPWORDS_KEEP)
        elif part == "domain":
            words |= _word_list(config.STOPWORDS_DOMAIN)
        else:
            raise ValueError(f"unknown stopword list {part!r}; use english, domain or both")
    return frozenset(words)


# --- the analyzer ---------------------------------------------------------------------


class TextAnalyzer(TransformerMixin, BaseEstimator):
    """Text -> tokens, the project's one tokenisation chain, configured in ``__init__``.

    Calling the analyzer on a string returns its tokens (so it is the ``analyzer`` of a
    scikit-learn vectoriser); ``transform`` maps a list of texts to a list of token lists.

    Parameters
    ----------
    clean : apply ``usrussia.text.clean.clean_text`` first (the corpus is already cleaned).
    source : the source whose cleaning steps apply when ``clean`` is true.
    aliases : apply the entity alias table (``True``: the shipped table; a path: another).
    lowercase : lower-case tokens (canonical alias tokens are always lower case).
    stopwords : ``"english+domain"``, ``"english"``, ``"domain"``, an iterable of words,
        or ``None`` for none. Compared in lower case, before stemming.
    stem : Snowball (English) stems; alias tokens are never stemmed.
    ngram_range : (min_n, max_n) of n-grams over the kept tokens, joined by a space.
    min_length : drop tokens shorter than this (alias tokens are always kept).
    """

    def __init__(
        self,
        clean: bool = False,
        source: str | None = None,
        aliases: bool | str | os.PathLike[str] = True,
        lowercase: bool = True,
        stopwords: str | Iterable[str] | None = "english+domain",
        stem: bool = False,
        ngram_range: tuple[int, int] = (1, 1),
        min_length: int = 2,
    ):
        self.clean = clean
        self.source = source
        self.aliases = aliases
        self.lowercase = lowercase
        self.stopwords = stopwords
        self.stem = stem
        self.ngram_range = ngram_range
        self.min_length = min_length

    def _setup(self) -> None:
        if getattr(self, "_ready", None) == self._key():
            return
        min_n, max_n = self.ngram_range
        if not 1 <= min_n <= max_n:
            raise ValueError(f"ngram_range needs 1 <= min_n <= max_n, got {self.ngram_range}")
        if self.aliases is True:
            self._matcher: AliasMatcher | None = alias_matcher()
        elif self.aliases:
            self._matcher = alias_matcher(str(self.aliases))
        else:
            self._matcher = None
        if self.stopwords is None:
            stop: frozenset[str] = frozenset()
        elif isinstance(self.stopwords, str):
            stop = load_stopwords(self.stopwords)
        else:
            stop = frozenset(w.lower() for w in self.stopwords)
        protected = self._matcher.canonical if self._matcher else frozenset()
        self._stop = stop - protected
        self._protected = protected
        self._stems: dict[str, str] = {t: t for t in protected}
        self._stemmer = SnowballStemmer("english") if self.stem else None
        # Short tokens are skipped by the regex itself (faster than a length test per
        # token) unless an alias token is shorter than min_length and must survive.
        short_alias = any(len(t) < self.min_length for t in protected)
        self._length_filter = self.min_length > 1 and short_alias
        self._token_re = (
            _TOKEN_RE if self.min_length <= 1 or short_alias else _min_length_re(self.min_length)
        )
        self._ready = self._key()

    def _key(self) -> tuple:
        stop = self.stopwords if isinstance(self.stopwords, str | None) else tuple(self.stopwords)
        return (
            self.clean,
            self.source,
            str(self.aliases),
            self.lowercase,
            stop,
            self.stem,
            tuple(self.ngram_range),
            self.min_length,
        )

    def _stem_all(self, tokens: list[str]) -> list[str]:
        stems = self._stems
        stemmer = self._stemmer
        out = []
        for token in tokens:
            stem = stems.get(token)
            if stem is None:
                stem = stems[token] = stemmer.stem(token)
            out.append(stem)
        return out

    def tokens(self, text: str) -> list[str]:
        """Unigram tokens of ``text`` after aliasing, case folding, stopwords, stemming."""
        text = require_str(text, "TextAnalyzer")
        self._setup()
        if self.clean:
            text = clean_text(text, self.source)
        if self._matcher is not None:
            text = self._matcher.sub(text)
        if self.lowercase:
            text = text.lower()
        tokens = self._token_re.findall(text)
        if self._length_filter:
            stop, protected, min_length = self._stop, self._protected, self.min_length
            tokens = [
                t for t in tokens if (len(t) >= min_length and t not in stop) or t in protected
            ]
        elif self._stop:
            tokens = list(filterfalse(self._stop.__contains__, tokens))
        if self._stemmer is not None:
            tokens = self._stem_all(tokens)
        return tokens

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokens(text)
        min_n, max_n = self.ngram_range
        return tokens if max_n == 1 else ngrams(tokens, min_n, max_n)

    def fit(self, X: Iterable[str], y: object = None) -> TextAnalyzer:
        self._setup()
        return self

    def transform(self, X: Iterable[str]) -> list[list[str]]:
        """The tokens of each text in ``X``."""
        return [self(text) for text in X]

    def surface_forms(self, texts: Iterable[str]) -> dict[str, str]:
        """Map each (stemmed) unigram to its most frequent unstemmed form in ``texts``.

        Ties go to the alphabetically first form, so the mapping is deterministic.
        Topic and keyness labels use it to show "negotiations" rather than "negoti".
        """
        self._setup()
        plain = self.set_params_copy(stem=False)
        frequency: Counter[str] = Counter()
        for text in texts:
            frequency.update(plain.tokens(text))
        best: dict[str, tuple[int, str]] = {}
        for token, count in frequency.items():
            stem = self._stem_all([token])[0] if self._stemmer is not None else token
            if stem not in best or (-count, token) < (-best[stem][0], best[stem][1]):
                best[stem] = (count, token)
        return {stem: token for stem, (_, token) in best.items()}

    def set_params_copy(self, **params: object) -> TextAnalyzer:
        """A new analyzer with the same parameters except ``params``."""
        return type(self)(**{**self.get_params(), **params})


def ngrams(tokens: Sequence[str], min_n: int = 1, max_n: int = 2) -> list[str]:
    """All n-grams of ``tokens`` for ``min_n <= n <= max_n``, joined by a space."""
    out: list[str] = list(tokens) if min_n == 1 else []
    for n in range(max(2, min_n), max_n + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out
