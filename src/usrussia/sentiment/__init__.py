"""Sentiment and tone of news text, scored per sentence and validated against human ratings.

Three measures, all scored sentence by sentence (``usrussia.text.tokens.split_sentences``) and
then aggregated to the document, because VADER's compound score saturates towards +-1 when a
whole article is scored at once:

- ``vader_compound``: NLTK's VADER (``SentimentIntensityAnalyzer`` with the lexicon shipped
  under ``data/external/nltk_data``). NLTK's port differs from the ``vaderSentiment`` package
  on some sentences (negation with "no", emoji); the project uses NLTK's.
- ``lexicon_tone``: GDELT-style tone, (positive words - negative words) / all words x 100,
  with the signs of the VADER lexicon's single-word entries.
- ``score``: the recommended news-tone score, a ridge regression on VADER's outputs, sums
  and counts of positive and negative words in three open lexicons (VADER, AFINN-165,
  pattern.en; ``data/external/lexicons``) and a regularised tf-idf bag of words, word pairs
  and 4-letter word prefixes, fitted only on the 5,190 human-rated New York Times editorial
  sentences of Hutto & Gilbert (2014) and shipped as plain numbers in
  ``data/external/sentiment_model.json``. It predicts the mean human rating of a sentence
  on the raters' -4..+4 scale. ``python -m usrussia.sentiment fit`` refits it (10-fold CV
  Pearson r = 0.598 against VADER's 0.492; whole editorials held out: 0.579).

Names whose words are in the lexicons ("United" in "United States") are masked before
scoring (``mask_names``). Targeted tone (``tone_russia``, ``tone_us``) is the mean ``score``
of the sentences that name the target, with the aliases of
``data/external/entity_aliases.csv``.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants
from scipy import sparse
from scipy.stats import pearsonr, spearmanr
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import Ridge
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, KFold

from usrussia import config
from usrussia.corpus import selection
from usrussia.corpus.records import InputError, Ledger, Rejected, iter_file
from usrussia.corpus.selection import load_alias_rows
from usrussia.io import OutputError, atomic_write, dump_json, sha256_file
from usrussia.io import progress as progress_bar
from usrussia.text.tokens import split_sentences

NYT_RATINGS = config.EXTERNAL / "vader" / "nytEditorialSnippets_GroundTruth.txt"
MODEL_JSON = config.EXTERNAL / "sentiment_model.json"
AFINN_TXT = config.EXTERNAL / "lexicons" / "AFINN-en-165.txt"
PATTERN_XML = config.EXTERNAL / "lexicons" / "pattern-en-sentiment.xml"

THRESHOLD = 0.05  # VADER's class thresholds: >= 0.05 positive, <= -0.05 negative
TARGETS = {"russia": "russia", "united_states": "us"}  # alias-table target -> column suffix
WORD_PATTERN = r"[a-z]+(?:'[a-z]+)*"  # lower-cased words, inner apostrophes kept
_WORD = re.compile(WORD_PATTERN)
PREFIX_LENGTH = 4  # the model's second bag of terms: the first 4 letters of each word
MEASURES = ("score", "vader_compound", "lexicon_tone")  # the recommended one first
LEXICON_COLUMNS = (
    "n_pos_words",  # VADER lexicon signs (the lexicon tone's counts)
    "n_neg_words",
    "afinn_pos",  # sums of positive / negative valences, and counts
    "afinn_neg",
    "afinn_n_pos",
    "afinn_n_neg",
    "pattern_pos",
    "pattern_neg",
    "pattern_n_pos",
    "pattern_n_neg",
    "pattern_subjectivity",
)
DENSE_FEATURES = (
    "vader_compound",
    "vader_pos",
    "vader_neg",
    "vader_neu",
    "valence_pos",
    "valence_neg",
    "lexicon_tone",
    "log_words",
    *LEXICON_COLUMNS[2:],  # the AFINN and pattern.en sums and counts
)
# Published rows of Hutto & Gilbert (2014), Table 4, NY Times editorials (5,190 sentences).
PAPER_ROWS = (
    ("humans (paper)", 0.745, None),
    ("VADER (paper)", 0.492, 0.55),
    ("Hu-Liu04 (paper)", 0.487, None),
    ("General Inquirer (paper)", 0.362, None),
    ("SentiWordNet (paper)", 0.262, None),
    ("LIWC (paper)", 0.220, None),
)


_PUNC = frozenset(VaderConstants.PUNC_LIST)
_PUNC_LENGTHS = sorted({len(p) for p in _PUNC})
_PUNC_CHARS = frozenset("".join(_PUNC))
_DELETE_PUNCTUATION = str.maketrans("", "", string.punctuation)  # NLTK's regex, as a table


def _strip_punctuation(token: str, words: set[str]) -> str:
    """``token`` without one leading or trailing VADER punctuation mark around a known word."""
    if token[0] not in _PUNC_CHARS and token[-1] not in _PUNC_CHARS:
        return token
    for n in _PUNC_LENGTHS:
        if len(token) > n:
            if token[:n] in _PUNC and token[n:] in words:
                return token[n:]
            if token[-n:] in _PUNC and token[:-n] in words:
                return token[:-n]
    return token


class _SentiText(SentiText):
    """NLTK's ``SentiText`` with the same word list, built without NLTK's table of every
    word x every punctuation mark (about two thirds of NLTK VADER's time on news)."""

    def _words_and_emoticons(self) -> list[str]:
        words = {w for w in self.text.translate(_DELETE_PUNCTUATION).split() if len(w) > 1}
        return [_strip_punctuation(t, words) for t in self.text.split() if len(t) > 1]


class _Vader(SentimentIntensityAnalyzer):
    """NLTK's VADER, faster, that also reports the sums of its rule-adjusted word valences.

    ``polarity_scores`` is NLTK 3.10's, word for word, except that it builds a
    ``_SentiText``; the tests check that it gives NLTK's scores. ``compound``, ``pos``,
    ``neg`` and ``neu`` are NLTK's; ``valence_pos`` and ``valence_neg`` are the sums of the
    positive and negative word valences after VADER's negation, booster and "but" rules,
    before the compound's saturating normalisation.
    """

    def polarity_scores(self, text: str) -> dict[str, float]:
        sentitext = _SentiText(
            text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION
        )
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        first_index: dict[str, int] = {}
        for idx, token in enumerate(words_and_emoticons):
            first_index.setdefault(token, idx)
        for item in words_and_emoticons:
            i = first_index[item]
            if (
                i < len(words_and_emoticons) - 1
                and item.lower() == "kind"
                and words_and_emoticons[i + 1].lower() == "of"
            ) or item.lower() in self.constants.BOOSTER_DICT:
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)

    def score_valence(self, sentiments: list[float], text: str) -> dict[str, float]:
        scores = super().score_valence(sentiments, text)
        scores["valence_pos"] = float(sum(s for s in sentiments if s > 0))
        scores["valence_neg"] = float(sum(s for s in sentiments if s < 0))
        return scores


@functools.lru_cache(maxsize=1)
def vader() -> _Vader:
    """The cached VADER analyzer (loading the lexicon takes a while; do it once)."""
    return _Vader()


@functools.lru_cache(maxsize=1)
def lexicon_polarity() -> dict[str, int]:
    """+1 or -1 for every single-word entry of the VADER lexicon (GDELT-style word lists)."""
    return {w: 1 if v > 0 else -1 for w, v in vader().lexicon.items() if _WORD.fullmatch(w) and v}


@functools.lru_cache(maxsize=1)
def afinn() -> dict[str, float]:
    """AFINN-165 single-word valences (-5..+5); its 59 multi-word phrases are left out."""
    rows = (line.rsplit("\t", 1) for line in AFINN_TXT.read_text(encoding="utf-8").splitlines())
    return {w: float(v) for w, v in rows if _WORD.fullmatch(w)}


@functools.lru_cache(maxsize=1)
def pattern_adjectives() -> dict[str, tuple[float, float]]:
    """pattern.en adjectives: (polarity -1..+1, subjectivity 0..1), averaged over senses."""
    senses: dict[str, list[tuple[float, float]]] = {}
    for word in ElementTree.parse(PATTERN_XML).getroot().iter("word"):
        form = word.get("form", "").lower()
        if _WORD.fullmatch(form):
            pair = (float(word.get("polarity", 0)), float(word.get("subjectivity", 0)))
            senses.setdefault(form, []).append(pair)
    return {w: tuple(np.mean(pairs, axis=0).tolist()) for w, pairs in senses.items()}


def tokenize(sentences: Sequence[str]) -> list[list[str]]:
    """The lower-cased words of each sentence: the one tokenisation of the lexicon features
    and of the model's bags of terms (done once per sentence)."""
    return [_WORD.findall(s.lower()) for s in sentences]


def _unigrams(words: list[str]) -> list[str]:
    return words


def _ngrams(words: list[str], ngram_range: tuple[int, int]) -> list[str]:
    """Words and word n-grams joined by a space, as scikit-learn's word analyzer."""
    low, high = ngram_range
    out = list(words) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def _prefixes(words: list[str], length: int) -> list[str]:
    """The first ``length`` letters of each word: a crude stem ("sanction", "sanctions")."""
    return [w[:length] for w in words]


def term_counter(prefix: int | None, ngram_range: Sequence[int], **kwargs: Any) -> CountVectorizer:
    """Counts, over tokenised sentences, of words and word n-grams (``prefix`` None) or of
    word prefixes (single prefixes only)."""
    if prefix is not None and tuple(ngram_range) != (1, 1):
        raise ValueError("prefix blocks count single prefixes only")
    if prefix is not None:
        analyzer = functools.partial(_prefixes, length=prefix)
    elif tuple(ngram_range) == (1, 1):
        analyzer = _unigrams
    else:
        analyzer = functools.partial(_ngrams, ngram_range=tuple(ngram_range))
    return CountVectorizer(analyzer=analyzer, dtype=np.float64, **kwargs)


@functools.lru_cache(maxsize=1)
def _lexicon_weights() -> tuple[CountVectorizer, sparse.csr_matrix]:
    """A counter over every lexicon word and a words x ``LEXICON_COLUMNS`` weight matrix."""
    vader_signs, afinn_valence, pattern = lexicon_polarity(), afinn(), pattern_adjectives()
    vocabulary = sorted(set(vader_signs) | set(afinn_valence) | set(pattern))
    weights = np.zeros((len(vocabulary), len(LEXICON_COLUMNS)))
    for i, word in enumerate(vocabulary):
        sign = vader_signs.get(word, 0)
        a = afinn_valence.get(word, 0.0)
        polarity, subjectivity = pattern.get(word, (0.0, 0.0))
        weights[i] = (
            sign > 0,
            sign < 0,
            max(a, 0.0),
            min(a, 0.0),
            a > 0,
            a < 0,
            max(polarity, 0.0),
            min(polarity, 0.0),
            polarity > 0,
            polarity < 0,
            subjectivity,
        )
    return term_counter(None, (1, 1), vocabulary=vocabulary), sparse.csr_matrix(weights)


def word_counts(words: Sequence[list[str]]) -> pd.DataFrame:
    """Per tokenised sentence: ``n_words`` and the ``LEXICON_COLUMNS`` (lexicon sums, counts)."""
    counter, weights = _lexicon_weights()
    values = (counter.transform(words) @ weights).toarray()
    frame = pd.DataFrame(values, columns=list(LEXICON_COLUMNS))
    counts = [c for c in LEXICON_COLUMNS if c.startswith("n_") or "_n_" in c]
    frame[counts] = frame[counts].round().astype(np.int64)
    frame.insert(0, "n_words", [len(w) for w in words])
    return frame


def lexicon_tone(n_pos: Any, n_neg: Any, n_words: Any) -> np.ndarray:
    """GDELT's tone: (positive - negative words) / all words x 100; NaN for no words."""
    n_words = np.asarray(n_words, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tone = (np.asarray(n_pos, float) - np.asarray(n_neg, float)) / n_words * 100.0
    return np.where(n_words > 0, tone, np.nan)


def vader_scores(sentences: Sequence[str]) -> pd.DataFrame:
    """NLTK VADER per sentence: compound, pos, neg, neu and the valence sums."""
    analyzer = vader()
    rows = [analyzer.polarity_scores(s) for s in sentences]
    columns = ["compound", "pos", "neg", "neu", "valence_pos", "valence_neg"]
    frame = pd.DataFrame(rows, columns=columns, dtype=np.float64)
    return frame.rename(columns={c: f"vader_{c}" for c in columns[:4]})


@functools.lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Aliases (from the alias table) that contain a word of the VADER lexicon."""
    lexicon = vader().lexicon
    names = {
        row["alias"]: row["canonical"].replace("_", "")
        for row in load_alias_rows()
        if any(w.lower() in lexicon for w in re.findall(r"[A-Za-z]+", row["alias"]))
    }
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), names


def mask_names(sentences: Sequence[str]) -> list[str]:
    """Replace names whose words carry sentiment ("United States") by one neutral token.

    Otherwise VADER and the lexicon would count "United" (+1.8) as a positive word in
    every sentence about the United States or the United Nations.
    """
    pattern, names = _name_pattern()
    return [pattern.sub(lambda m: names[m.group(0)], s) for s in sentences]


def sentence_features(masked: Sequence[str], words: Sequence[list[str]]) -> pd.DataFrame:
    """Everything measured on each sentence (after ``mask_names``; ``words`` its
    ``tokenize``): VADER, lexicon sums and counts, lexicon tone."""
    features = pd.concat([vader_scores(list(masked)), word_counts(words)], axis=1)
    features["lexicon_tone"] = np.nan_to_num(
        lexicon_tone(features["n_pos_words"], features["n_neg_words"], features["n_words"])
    )
    features["log_words"] = np.log1p(features["n_words"])
    return features


@dataclass
class TermBlock:
    """One bag of terms of the model: a tokenisation and, per term, its idf and weight."""

    name: str
    prefix: int | None
    ngram_range: tuple[int, int]
    terms: dict[str, tuple[float, float]]  # term -> (idf, weight)

    @functools.cached_property
    def _prepared(self) -> tuple[CountVectorizer, np.ndarray, np.ndarray]:
        vocabulary = sorted(self.terms)
        idf = np.array([self.terms[t][0] for t in vocabulary])
        weight = np.array([self.terms[t][1] for t in vocabulary])
        return term_counter(self.prefix, self.ngram_range, vocabulary=vocabulary), idf, weight

    def contribution(self, words: Sequence[list[str]]) -> np.ndarray:
        """Sum of weight x tf-idf over the block's terms, per tokenised sentence."""
        counter, idf, weight = self._prepared
        return _tfidf(counter.transform(words), idf) @ weight

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "prefix": self.prefix,
            "ngram_range": list(self.ngram_range),
            "terms": {t: list(v) for t, v in sorted(self.terms.items())},
        }


@dataclass
class ToneModel:
    """The recommended score: ridge regression on standardised dense features + term weights.

    ``score = intercept + sum_k coef_k (x_k - mean_k) / scale_k + sum_t weight_t tfidf_t``
    where ``tfidf`` is, per term block (words and word pairs; word prefixes), the sublinear,
    L2-normalised tf-idf of the sentence over the fitted vocabulary. Every number lives in
    the JSON file.
    """

    intercept: float
    dense: dict[str, dict[str, float]]
    blocks: list[TermBlock]
    metadata: dict[str, Any]

    def predict(self, features: pd.DataFrame, words: Sequence[list[str]]) -> np.ndarray:
        """Predicted mean human rating (-4..+4) of each sentence (features, tokenised words)."""
        out = np.full(len(features), self.intercept, dtype=np.float64)
        for name, d in self.dense.items():
            out += d["coef"] * (features[name].to_numpy(float) - d["mean"]) / d["scale"]
        if len(words):
            for block in self.blocks:
                out += block.contribution(words)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "description": (
                "usrussia recommended news-tone score: ridge regression predicting the mean "
                "human rating (-4..+4) of a sentence; see usrussia.sentiment.ToneModel"
            ),
            **self.metadata,
            "intercept": self.intercept,
            "dense": self.dense,
            "blocks": [b.to_json() for b in self.blocks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ToneModel:
        own = ("description", "intercept", "dense", "blocks")
        return cls(
            intercept=float(data["intercept"]),
            dense={k: {kk: float(vv) for kk, vv in v.items()} for k, v in data["dense"].items()},
            blocks=[
                TermBlock(
                    name=b["name"],
                    prefix=b["prefix"],
                    ngram_range=tuple(b["ngram_range"]),
                    terms={t: (float(v[0]), float(v[1])) for t, v in b["terms"].items()},
                )
                for b in data["blocks"]
            ],
            metadata={k: v for k, v in data.items() if k not in own},
        )


def _tfidf(counts: sparse.spmatrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf (1 + log tf) x idf, each row L2-normalised (as scikit-learn's tf-idf)."""
    x = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


@functools.lru_cache(maxsize=1)
def load_model(path: Path = MODEL_JSON) -> ToneModel:
    """The shipped recommended-score model (plain numbers in JSON)."""
    return ToneModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def score_sentences(sentences: Sequence[str]) -> pd.DataFrame:
    """Score each sentence: VADER, lexicon tone and the recommended ``score``.

    Returns one row per sentence, in order, with ``vader_compound``, ``vader_pos``,
    ``vader_neg``, ``vader_neu``, ``lexicon_tone`` (0 for a sentence without words),
    ``score``, ``n_words``, ``n_pos_words``, ``n_neg_words`` and the model's other features.
    """
    masked = mask_names([s if isinstance(s, str) else "" for s in sentences])
    words = tokenize(masked)
    features = sentence_features(masked, words)
    features["score"] = load_model().predict(features, words)
    return features


@functools.lru_cache(maxsize=1)
def target_patterns() -> dict[str, re.Pattern[str]]:
    """The matcher of each target (by column suffix): ``usrussia.corpus.selection``'s."""
    patterns = selection.target_patterns()
    return {suffix: patterns[target] for target, suffix in TARGETS.items()}


def _aggregate(scored: pd.DataFrame, doc: np.ndarray, n_docs: int, targets: bool) -> pd.DataFrame:
    """Document rows from sentence rows (``doc`` gives each sentence's document index)."""
    groups = scored.assign(
        doc=doc,
        pos=scored["vader_compound"] >= THRESHOLD,
        neg=scored["vader_compound"] <= -THRESHOLD,
    ).groupby("doc")
    out = pd.DataFrame(index=pd.RangeIndex(n_docs))
    out["vader_compound"] = groups["vader_compound"].mean()
    out["vader_pos_share"] = groups["pos"].mean()
    out["vader_neg_share"] = groups["neg"].mean()
    sums = groups[["n_pos_words", "n_neg_words", "n_words"]].sum().reindex(out.index)
    out["lexicon_tone"] = lexicon_tone(sums["n_pos_words"], sums["n_neg_words"], sums["n_words"])
    out["score"] = groups["score"].mean()
    out["n_sentences"] = groups.size().reindex(out.index).fillna(0).astype(np.int64)
    if targets:
        for suffix in TARGETS.values():
            mentions = scored[f"mentions_{suffix}"].to_numpy()
            target_groups = scored.loc[mentions, "score"].groupby(doc[mentions])
            out[f"tone_{suffix}"] = target_groups.mean()
            counts = target_groups.size().reindex(out.index).fillna(0)
            out[f"n_sentences_{suffix}"] = counts.astype(np.int64)
    return out


def score_documents(
    texts: Iterable[str], targets: bool = True, progress: str | None = None, batch: int = 500
) -> pd.DataFrame:
    """Score documents sentence by sentence and aggregate; one row per text, in order.

    Columns: ``vader_compound`` (mean of sentence compounds), ``vader_pos_share`` and
    ``vader_neg_share`` (share of sentences >= 0.05 / <= -0.05), ``lexicon_tone`` (GDELT
    tone over all the document's words), ``score`` (mean sentence score), ``n_sentences``;
    with ``targets`` also ``tone_russia``, ``tone_us`` (mean score of the sentences naming
    the target, NaN when none does) and ``n_sentences_russia``, ``n_sentences_us``.
    A text that is missing or has no sentence gets NaN scores and ``n_sentences`` 0.
    ``progress`` is the progress bar's label (no bar when ``None``).
    """
    texts = list(texts)
    parts: list[pd.DataFrame] = []
    pending: list[Any] = []
    for text in progress_bar(texts, desc=progress, unit="doc"):
        pending.append(text)
        if len(pending) == batch:
            parts.append(_score_batch(pending, targets))
            pending = []
    if pending or not parts:
        parts.append(_score_batch(pending, targets))
    return pd.concat(parts, ignore_index=True)


def _score_batch(texts: list[Any], targets: bool) -> pd.DataFrame:
    """Split a batch of texts into sentences, score them, and aggregate per text."""
    sentences: list[str] = []
    doc: list[int] = []
    for i, text in enumerate(texts):
        split = split_sentences(text) if isinstance(text, str) else []
        sentences.extend(split)
        doc.extend([i] * len(split))
    scored = score_sentences(sentences)
    if targets:
        for suffix, pattern in target_patterns().items():
            scored[f"mentions_{suffix}"] = np.array(
                [bool(pattern.search(s)) for s in sentences], dtype=bool
            )
    return _aggregate(scored, np.array(doc, dtype=np.int64), len(texts), targets)


def read_texts(
    path: str | os.PathLike[str], text_column: str, fmt: str | None = None
) -> tuple[pd.DataFrame, Ledger]:
    """Rows of a CSV/JSONL/Parquet file that have text in ``text_column``, with accounting.

    Unreadable rows (by ``usrussia.corpus.records.iter_file``) and rows whose ``text_column`` is
    missing or not a string are quarantined; a file without that column at all, or that
    cannot be read, raises ``InputError``.
    """
    ledger = Ledger()
    rows = []
    records = 0
    seen_column = False
    for item in iter_file(path, fmt):
        ledger.read += 1
        if isinstance(item, Rejected):
            ledger.reject(item)
            continue
        records += 1
        value = item.data.get(text_column)
        seen_column = seen_column or text_column in item.data
        if not isinstance(value, str):
            detail = f"no text in column {text_column!r}"
            ledger.reject(Rejected(item.file, item.line, "missing text", item.data, detail))
            continue
        ledger.kept += 1
        rows.append(item.data)
    if records and not seen_column:
        raise InputError(f"{path}: no column {text_column!r}; pass --text-column")
    ledger.check()
    return pd.DataFrame(rows), ledger


TABLE_SUFFIXES: dict[str, str] = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


def table_format(path: str | os.PathLike[str]) -> str:
    """The format ``write_table`` writes to ``path``, from its suffix.

    Raises ``OutputError`` for any other suffix (``.gz`` too: the writers do not compress).
    """
    fmt = TABLE_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise OutputError(f"{path}: the output must end in .csv, .jsonl or .parquet")
    return fmt


def parquet_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> Any:
    """``df`` as the ``pyarrow.Table`` that Parquet stores (``path`` names it in errors).

    Parquet holds one type per column, so a column that mixes types (numbers in some rows,
    text in others, as JSONL allows) raises ``OutputError`` naming the column and its
    types: it is refused rather than silently turned into text.
    """
    import pyarrow as pa

    def storable(name: Any) -> bool:
        try:
            pa.Table.from_pandas(df[[name]], preserve_index=False)
        except pa.ArrowException:
            return False
        return True

    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except pa.ArrowException:
        bad = next((name for name in df.columns if not storable(name)), None)
        if bad is None:
            raise
    types = sorted({type(v).__name__ for v in df[bad] if not _is_missing(v)})
    raise OutputError(
        f"{path}: column {bad!r} holds {' and '.join(types)} values, which Parquet cannot "
        "store in one column; write .csv or .jsonl instead"
    )


def _is_missing(value: Any) -> bool:
    """True for the values pandas and Arrow treat as missing (None, NaN)."""
    return value is None or (isinstance(value, float) and value != value)


def check_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Raise ``OutputError`` if ``write_table(df, path)`` would refuse ``df``, writing nothing.

    Callers check the rows they will write before a long computation adds its columns.
    """
    if table_format(path) == "parquet":
        parquet_table(df, path)


def write_table(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``df`` as CSV, JSONL or Parquet (from the suffix of ``path``), atomically.

    Raises ``OutputError`` before writing anything for an unknown suffix or, for Parquet,
    a column that mixes types (see ``check_table``).
    """
    fmt = table_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = parquet_table(df, path)
        return atomic_write(path, lambda tmp: pq.write_table(table, tmp))
    writers = {
        "csv": lambda tmp: df.to_csv(tmp, index=False),
        "jsonl": lambda tmp: df.to_json(tmp, orient="records", lines=True, force_ascii=False),
    }
    return atomic_write(path, writers[fmt])


def load_nyt_ratings(path: Path = NYT_RATINGS) -> pd.DataFrame:
    """The 5,190 NYT editorial sentences with their mean human rating (-4..+4).

    Columns ``id``, ``rating``, ``sentence``, ``article`` (the editorial a sentence is from).
    The file is tab-separated, Latin-1, CRLF, with no header and unquoted text.
    """
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=["id", "rating", "sentence"],
        encoding="latin-1",
        quoting=csv.QUOTE_NONE,
        dtype={"id": str, "rating": np.float64, "sentence": str},
        keep_default_na=False,
    )
    frame["sentence"] = frame["sentence"].str.strip()
    frame["article"] = frame["id"].str.split("_").str[0]
    return frame


# Fitting choices, made by 10-fold CV on the NYT ratings only (see ``fit``).
ALPHAS = (2.0, 3.0, 5.0)
ALPHA_TIE = 1e-6  # CV r closer than this to the best count as tied (see ``choose_alpha``)
RIDGE_TOL = 1e-12  # sparse_cg's relative residual (its default 1e-4 differs across CPUs)
RIDGE_COEF_ERROR = 1e-8  # bound on the coefficients' distance from the exact solution
MIN_DF = 2
TERM_BLOCKS = (
    {"name": "words", "prefix": None, "ngram_range": (1, 2)},
    {"name": "prefixes", "prefix": PREFIX_LENGTH, "ngram_range": (1, 1)},
)


def fit_model(
    features: pd.DataFrame,
    words: Sequence[list[str]],
    ratings: np.ndarray,
    alpha: float,
    min_df: int = MIN_DF,
) -> ToneModel:
    """Fit the recommended score's ridge regression on rated sentences (tokenised words).

    Deterministic and the same on every CPU: the same sentences and ratings give the same
    numbers (``fit_ridge`` solves the ridge problem to within ``RIDGE_COEF_ERROR``).
    """
    dense = features[list(DENSE_FEATURES)].to_numpy(np.float64)
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0)
    scale[scale == 0] = 1.0
    matrices, vocabularies, idfs = [], [], []
    for spec in TERM_BLOCKS:
        counter = term_counter(spec["prefix"], spec["ngram_range"], min_df=min_df)
        counts = counter.fit_transform(words)
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        idf = np.log((1 + len(words)) / (1 + df)) + 1.0
        matrices.append(_tfidf(counts, idf))
        vocabularies.append(counter.get_feature_names_out())
        idfs.append(idf)
    x = sparse.hstack([*matrices, sparse.csr_matrix((dense - mean) / scale)]).tocsr()
    ridge = fit_ridge(x, np.asarray(ratings, dtype=np.float64), alpha)
    blocks, offset = [], 0
    for spec, vocabulary, idf in zip(TERM_BLOCKS, vocabularies, idfs, strict=True):
        coef = ridge.coef_[offset : offset + len(vocabulary)]
        offset += len(vocabulary)
        terms = {t: (_round(i), _round(c)) for t, i, c in zip(vocabulary, idf, coef, strict=True)}
        blocks.append(TermBlock(spec["name"], spec["prefix"], spec["ngram_range"], terms))
    dense_coef = ridge.coef_[offset:]
    return ToneModel(
        intercept=_round(ridge.intercept_),
        dense={
            name: {"mean": _round(m), "scale": _round(s), "coef": _round(c)}
            for name, m, s, c in zip(DENSE_FEATURES, mean, scale, dense_coef, strict=True)
        },
        blocks=blocks,
        metadata={"alpha": alpha, "min_df": min_df},
    )


def fit_ridge(x: sparse.csr_matrix, y: np.ndarray, alpha: float, tol: float = RIDGE_TOL) -> Ridge:
    """Ridge regression with an intercept, solved so tightly that it is the same on every CPU.

    scikit-learn's ``sparse_cg`` stops at a relative residual of ``tol``. Its default, 1e-4,
    leaves the predictions about 2e-4 from the exact solution, and where it stops depends
    on BLAS rounding, so another CPU or thread count moved them by up to 1e-3. The result
    is checked rather than trusted (scikit-learn does not report when its kernel-form CG
    stops short): the objective is ``alpha``-strongly convex, so the coefficients are
    within ``||gradient|| / alpha`` of the exact ridge solution.

    Parameters
    ----------
    x : sparse matrix, (n_samples, n_features)
        The design matrix, not centred (the intercept is fitted, not penalised).
    y : ndarray, (n_samples,)
        The ratings.
    alpha : float
        The ridge penalty.
    tol : float
        ``sparse_cg``'s relative residual at which it stops.

    Returns
    -------
    Ridge
        The fitted estimator.

    Raises
    ------
    RuntimeError
        If the coefficients may be more than ``RIDGE_COEF_ERROR`` from the exact solution.
    """
    ridge = Ridge(alpha=alpha, solver="sparse_cg", tol=tol).fit(x, y)
    residual = y - ridge.predict(x)
    offset = np.asarray(x.mean(axis=0)).ravel()
    gradient = x.T @ residual - offset * residual.sum() - alpha * ridge.coef_
    bound = float(np.linalg.norm(gradient)) / alpha
    if bound > RIDGE_COEF_ERROR:
        raise RuntimeError(
            f"ridge fit not converged: coefficients may be {bound:.1e} from the exact "
            f"solution (tol={tol:g}, alpha={alpha:g})"
        )
    return ridge


def _round(x: float) -> float:
    """Seven significant digits: plain, stable numbers in the JSON file."""
    return float(f"{float(x):.7g}")


def cross_val_scores(
    features: pd.DataFrame,
    words: Sequence[list[str]],
    ratings: np.ndarray,
    alpha: float,
    folds: int = 10,
    seed: int = config.SEED,
    groups: Sequence[str] | None = None,
) -> np.ndarray:
    """Out-of-fold predictions of the recommended score.

    Shuffled ``folds``-fold CV, or, with ``groups``, folds that keep each group (an
    editorial) whole, so that no fold is predicted from sentences of its own article.
    """
    words = list(words)
    ratings = np.asarray(ratings, dtype=np.float64)
    splitter = (
        KFold(folds, shuffle=True, random_state=seed) if groups is None else GroupKFold(folds)
    )
    out = np.empty(len(ratings))
    for train, test in splitter.split(ratings, groups=groups):
        model = fit_model(features.iloc[train], [words[i] for i in train], ratings[train], alpha)
        out[test] = model.predict(features.iloc[test], [words[i] for i in test])
    return out


def choose_alpha(cv_r: dict[float, float], tie: float = ALPHA_TIE) -> float:
    """The alpha with the best CV r, the smallest one among those within ``tie`` of the best.

    Differences below ``tie`` (1e-6, far below the 4 decimals reported) are ties, so the
    choice hinges on no difference in the last digits, which move across CPUs (by less
    than 1e-9 with ``fit_ridge``); a tie goes to the smallest penalty, whatever the order
    of ``cv_r``.
    """
    best = max(cv_r.values())
    return min(a for a, r in cv_r.items() if r >= best - tie)


def fit(
    path: Path = NYT_RATINGS, folds: int = 10, seed: int = config.SEED, progress: bool = True
) -> ToneModel:
    """Fit the recommended score on the NYT ratings only, choosing alpha by CV.

    alpha is the one of ``ALPHAS`` with the best shuffled ``folds``-fold CV Pearson r (the
    figure reported; near-ties by ``choose_alpha``); choosing among a few values on the
    same folds flatters it slightly.
    ``grouped_pearson_r`` is the stricter CV where whole editorials are held out.
    """
    ratings = load_nyt_ratings(path)
    masked = mask_names(ratings["sentence"].tolist())
    words = tokenize(masked)
    y = ratings["rating"].to_numpy()
    features = sentence_features(masked, words)
    desc = "alpha" if progress else None
    oof = {
        a: cross_val_scores(features, words, y, a, folds, seed)
        for a in progress_bar(ALPHAS, desc=desc)
    }
    cv_r = {a: float(pearsonr(p, y)[0]) for a, p in oof.items()}
    alpha = choose_alpha(cv_r)
    grouped = cross_val_scores(features, words, y, alpha, folds, groups=ratings["article"])
    model = fit_model(features, words, y, alpha)
    path = Path(path)
    model.metadata = {
        "alpha": alpha,
        "min_df": MIN_DF,
        "data": {
            "file": (
                str(path.relative_to(config.PROJECT_ROOT))
                if path.is_relative_to(config.PROJECT_ROOT)
                else str(path)
            ),
            "sha256": sha256_file(path),
            "n": len(y),
            "source": "Hutto & Gilbert (2014), NYT editorial sentences, mean of 20 ratings",
        },
        "cv": {
            "folds": folds,
            "seed": seed,
            "shuffle": True,
            "pearson_r": round(cv_r[alpha], 4),
            "spearman_r": round(float(spearmanr(oof[alpha], y)[0]), 4),
            "pearson_r_by_alpha": {str(a): round(r, 4) for a, r in cv_r.items()},
            "grouped_pearson_r": round(float(pearsonr(grouped, y)[0]), 4),
            "grouped_by": "editorial (id prefix), GroupKFold",
        },
        "lexicons": ["VADER (NLTK)", "AFINN-en-165", "pattern.en adjectives"],
        "command": "python -m usrussia.sentiment fit",
    }
    return model


def classes(values: Any, threshold: float = THRESHOLD) -> np.ndarray:
    """-1, 0, +1 with VADER's thresholds: >= threshold positive, <= -threshold negative."""
    values = np.asarray(values, dtype=float)
    return np.where(values >= threshold, 1, np.where(values <= -threshold, -1, 0))


def validation_row(measure: str, predicted: Any, ratings: Any) -> dict[str, Any]:
    """n, Pearson and Spearman r, and three-class F1 of one measure against the ratings."""
    predicted = np.asarray(predicted, dtype=float)
    ratings = np.asarray(ratings, dtype=float)
    truth, guess = classes(ratings), classes(predicted)
    f1 = f1_score(truth, guess, labels=[-1, 0, 1], average=None, zero_division=0.0)
    return {
        "measure": measure,
        "n": int(len(ratings)),
        "pearson_r": float(pearsonr(predicted, ratings)[0]),
        "spearman_r": float(spearmanr(predicted, ratings)[0]),
        "f1_negative": float(f1[0]),
        "f1_neutral": float(f1[1]),
        "f1_positive": float(f1[2]),
        "f1_weighted": float(
            f1_score(truth, guess, labels=[-1, 0, 1], average="weighted", zero_division=0.0)
        ),
    }


def validate(
    ratings: pd.DataFrame | None = None, folds: int = 10, seed: int = config.SEED
) -> pd.DataFrame:
    """The validation table against the NYT human ratings, one row per measure.

    ``score`` is validated out of fold (``folds``-fold CV with the shipped alpha), never
    on the sentences it was fitted on; ``score_in_sample`` (the shipped model on the
    sentences it was fitted on) is shown for contrast only.
    """
    ratings = load_nyt_ratings() if ratings is None else ratings
    masked = mask_names(ratings["sentence"].tolist())
    words = tokenize(masked)
    y = ratings["rating"].to_numpy(np.float64)
    features = sentence_features(masked, words)
    model = load_model()
    oof = cross_val_scores(features, words, y, model.metadata["alpha"], folds, seed)
    rows = [
        validation_row("vader_compound", features["vader_compound"], y),
        validation_row("lexicon_tone", features["lexicon_tone"], y),
        validation_row("score", oof, y),
        validation_row("score_in_sample", model.predict(features, words), y),
    ]
    table = pd.DataFrame(rows).set_index("measure")
    table["validated"] = ["not fitted", "not fitted", f"{folds}-fold CV, out of fold", "in-sample"]
    return table


def paper_table() -> pd.DataFrame:
    """The published rows of Hutto & Gilbert (2014), Table 4, for the NYT editorials."""
    return pd.DataFrame(
        [
            {"measure": m, "n": 5190, "pearson_r": r, "f1_weighted": f1, "validated": "paper"}
            for m, r, f1 in PAPER_ROWS
        ]
    ).set_index("measure")


def validation_block(table: pd.DataFrame) -> dict[str, Any]:
    """The ``sentiment_validation`` metrics block: n, pearson_r, spearman_r per measure."""
    return {
        "data": "NYT editorial sentences (Hutto & Gilbert 2014), mean of 20 human ratings",
        "measures": {
            name: {
                "n": int(row["n"]),
                "pearson_r": round(float(row["pearson_r"]), 4),
                "spearman_r": round(float(row["spearman_r"]), 4),
                "validated": row.get("validated", "not stated"),
            }
            for name, row in table.iterrows()
        },
        "recommended": "score",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m usrussia.sentiment fit``: refit the recommended score and write its JSON."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv != ["fit"]:
        print("usage: python -m usrussia.sentiment fit", file=sys.stderr)
        return 2
    model = fit()
    dump_json(model.to_json(), MODEL_JSON)
    cv = model.metadata["cv"]
    print(
        f"alpha={model.metadata['alpha']}: {cv['folds']}-fold CV Pearson r={cv['pearson_r']}, "
        f"Spearman r={cv['spearman_r']} (n={model.metadata['data']['n']}); wrote {MODEL_JSON}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
