"""Corpus exploration: keywords in context, collocations and keyness (quanteda's textstats).

- ``kwic(texts, pattern, window)``: every match of a word, glob or phrase with ``window``
  tokens either side, as a DataFrame (quanteda's ``kwic``).
- ``collocations(token_lists)``: adjacent word pairs scored by pointwise mutual
  information and the log-likelihood ratio G² (NLTK's collocation finder), counted
  within documents, never across them.
- ``keyness(matrix, target)``: for every term the signed 2x2 association between a
  target group of documents and the rest, chi² (Yates-corrected by default) or G²
  (Williams-corrected by default), its p-value and an effect size, Hardie's log ratio
  (log2 of the ratio of relative frequencies), as quanteda's ``textstat_keyness``.
  Its plot (``textplot_keyness``) is ``usrussia.plots.plot_keyness``. ``group_keyness``
  computes it between two named groups of texts, or says why it cannot.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from scipy import sparse, stats

from usrussia.io import progress
from usrussia.text.tokens import TextAnalyzer, word_tokenize
from usrussia.text.vectorize import build_dtm, count_vectorizer

KWIC_COLUMNS = ("doc_id", "from", "to", "pre", "keyword", "post", "pattern")
KEYNESS_MEASURES = {"chi2": "chi2", "lr": "G2"}


# --- keywords in context ----------------------------------------------------------------


def _matcher(word: str, valuetype: str, case_insensitive: bool):
    flags = re.IGNORECASE if case_insensitive else 0
    if valuetype == "glob":
        regex = re.compile(fnmatch.translate(word), flags)
    elif valuetype == "regex":
        regex = re.compile(word, flags)
    elif valuetype == "fixed":
        regex = re.compile(re.escape(word) + r"\Z", flags)
    else:
        raise ValueError(f"valuetype must be glob, regex or fixed, got {valuetype!r}")
    return regex.fullmatch if valuetype == "regex" else regex.match


def kwic(
    texts: Iterable[str],
    pattern: str,
    window: int = 5,
    doc_ids: Iterable[str] | None = None,
    valuetype: str = "glob",
    case_insensitive: bool = True,
) -> pd.DataFrame:
    """Keywords in context: each match of ``pattern`` with ``window`` tokens either side.

    ``pattern`` is one word or a phrase of words separated by spaces ("white house"),
    each word a glob ("summit*"), a regex or a fixed string (``valuetype``). Tokens are
    ``usrussia.text.tokens.word_tokenize`` tokens in their original case. Columns: doc_id,
    from, to (0-based token positions of the match), pre, keyword, post, pattern.
    """
    if not isinstance(pattern, str) or not pattern.split():
        raise ValueError("kwic needs a non-empty pattern")
    if window < 0:
        raise ValueError(f"window must be >= 0, got {window}")
    words = pattern.split()
    matchers = [_matcher(w, valuetype, case_insensitive) for w in words]
    texts = list(texts)
    ids = [str(d) for d in doc_ids] if doc_ids is not None else [str(i) for i in range(len(texts))]
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} doc_ids for {len(texts)} texts")
    # a cheap substring test skips documents that cannot match a plain first word
    plain = valuetype != "regex" and not set("*?[") & set(words[0])
    needle = "" if not plain else words[0].lower() if case_insensitive else words[0]
    rows = []
    for doc_id, text in progress(
        zip(ids, texts, strict=True), desc="kwic", total=len(texts), unit=" docs"
    ):
        if needle and needle not in (text.lower() if case_insensitive else text):
            continue
        tokens = word_tokenize(text)
        n = len(words)
        for i in range(len(tokens) - n + 1):
            if all(m(tokens[i + j]) for j, m in enumerate(matchers)):
                rows.append(
                    (
                        doc_id,
                        i,
                        i + n - 1,
                        " ".join(tokens[max(0, i - window) : i]),
                        " ".join(tokens[i : i + n]),
                        " ".join(tokens[i + n : i + n + window]),
                        pattern,
                    )
                )
    return pd.DataFrame(rows, columns=list(KWIC_COLUMNS))


# --- collocations -----------------------------------------------------------------------


def collocations(
    token_lists: Iterable[Sequence[str]],
    min_count: int = 5,
    sort_by: str = "G2",
    n: int | None = 20,
) -> pd.DataFrame:
    """Adjacent word pairs with their count, PMI (log2) and G² (NLTK's likelihood ratio).

    ``token_lists`` are the documents' tokens (e.g. ``TextAnalyzer().transform(texts)``);
    pairs never span two documents. Pairs seen fewer than ``min_count`` times are dropped
    (PMI overrates rare pairs). Sorted by ``sort_by`` ("G2", "pmi" or "count"),
    descending, ties broken alphabetically; ``n`` rows (``None``: all).
    """
    if sort_by not in ("G2", "pmi", "count"):
        raise ValueError(f"sort_by must be G2, pmi or count, got {sort_by!r}")
    finder = BigramCollocationFinder.from_documents([list(tokens) for tokens in token_lists])
    finder.apply_freq_filter(min_count)
    columns = ["collocation", "word1", "word2", "count", "pmi", "G2"]
    if not finder.ngram_fd:
        return pd.DataFrame(columns=columns)
    pmi = dict(finder.score_ngrams(BigramAssocMeasures.pmi))
    g2 = dict(finder.score_ngrams(BigramAssocMeasures.likelihood_ratio))
    rows = [
        (f"{w1} {w2}", w1, w2, count, pmi[(w1, w2)], g2[(w1, w2)])
        for (w1, w2), count in finder.ngram_fd.items()
    ]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values([sort_by, "collocation"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)
    return table if n is None else table.head(n)


# --- keyness ----------------------------------------------------------------------------


def keyness_from_counts(
    target: np.ndarray,
    reference: np.ndarray,
    terms: Sequence[str],
    measure: str = "chi2",
    correction: str = "default",
    sort: bool = True,
) -> pd.DataFrame:
    """Signed keyness of each term from its counts in the target and reference groups.

    For term counts a (target) and b (reference) and group totals Ta, Tb, the 2x2 table
    is [[a, b], [Ta - a, Tb - b]] with N = Ta + Tb. ``measure="chi2"``: Pearson's chi²
    (``correction="default"`` or ``"yates"``: Yates' continuity correction, as R's
    ``chisq.test``; ``"none"``). ``measure="lr"``: G² = 2 Σ O ln(O/E)
    (``"default"`` or ``"williams"``: divided by Williams' q; ``"yates"``; ``"none"``).
    The statistic is negative when the term is relatively rarer in the target. p is the
    chi² (1 df) upper tail. ``log_ratio`` = log2((a/Ta) / (b/Tb)), a zero count replaced
    by 0.5 (Hardie 2014), is the effect size: +1 means twice as frequent in the target.
    """
    if measure not in KEYNESS_MEASURES:
        raise ValueError(f"measure must be chi2 or lr, got {measure!r}")
    allowed = {"chi2": ("default", "yates", "none"), "lr": ("default", "williams", "yates", "none")}
    if correction not in allowed[measure]:
        raise ValueError(f"correction for {measure} must be one of {allowed[measure]}")
    a = np.asarray(target, dtype=np.float64).ravel()
    b = np.asarray(reference, dtype=np.float64).ravel()
    if a.shape != b.shape or a.shape[0] != len(terms):
        raise ValueError("target, reference and terms must have the same length")
    ta, tb = a.sum(), b.sum()
    n = ta + tb
    observed = np.stack([a, b, ta - a, tb - b])
    row = np.stack([a + b, a + b, n - a - b, n - a - b])
    col = np.stack(
        [np.full_like(a, ta), np.full_like(a, tb), np.full_like(a, ta), np.full_like(a, tb)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = row * col / n if n else np.zeros_like(observed)
        yates = correction == "yates" or (measure == "chi2" and correction == "default")
        if yates:
            shift = np.minimum(0.5, np.abs(observed - expected))
            observed = observed - np.sign(observed - expected) * shift
        if measure == "chi2":
            stat = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0).sum(axis=0)
        else:
            terms_ = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
            stat = 2 * terms_.sum(axis=0)
            if correction in ("default", "williams"):
                q = 1 + (n / (a + b) + n / (n - a - b) - 1) * (n / ta + n / tb - 1) / (6 * n)
                stat = np.where(np.isfinite(q) & (q > 0), stat / q, stat)
        stat = np.nan_to_num(stat, nan=0.0, posinf=0.0)
        sign = np.where(a > (a + b) * ta / n, 1.0, -1.0) if n else np.ones_like(a)
        rel_a = np.where(a > 0, a, 0.5) / ta if ta else np.full_like(a, np.nan)
        rel_b = np.where(b > 0, b, 0.5) / tb if tb else np.full_like(b, np.nan)
        log_ratio = np.log2(rel_a / rel_b)
    stat = sign * stat
    table = pd.DataFrame(
        {
            "feature": list(terms),
            KEYNESS_MEASURES[measure]: stat,
            "p": stats.chi2.sf(np.abs(stat), df=1),
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "log_ratio": log_ratio,
        }
    )
    if sort:
        table = table.sort_values(
            [KEYNESS_MEASURES[measure], "feature"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True)
    return table


def keyness(
    matrix: sparse.spmatrix | np.ndarray,
    target: Sequence[bool] | np.ndarray,
    terms: Sequence[str],
    measure: str = "chi2",
    correction: str = "default",
    sort: bool = True,
) -> pd.DataFrame:
    """Keyness of every term of a count document-term matrix, target rows vs the rest.

    ``target`` is a boolean mask over the rows (documents). See ``keyness_from_counts``.
    Raises ``ValueError`` when either group is empty.
    """
    mask = np.asarray(target, dtype=bool)
    matrix = sparse.csr_matrix(matrix)
    if mask.shape != (matrix.shape[0],):
        raise ValueError(f"target has {mask.size} entries for {matrix.shape[0]} documents")
    if not mask.any() or mask.all():
        raise ValueError("keyness needs documents in both the target and the reference group")
    a = np.asarray(matrix[mask].sum(axis=0)).ravel()
    b = np.asarray(matrix[~mask].sum(axis=0)).ravel()
    return keyness_from_counts(a, b, terms, measure, correction, sort)


class GroupKeyness(NamedTuple):
    """Keyness between two groups: the table (None when not computed), the groups' labels
    with their document counts (second group first, as ``plot_keyness`` wants) and a note
    saying why it was not computed ("" when it was)."""

    table: pd.DataFrame | None
    labels: tuple[str, str]
    note: str


def group_keyness(
    texts: pd.Series,
    groups: pd.Series,
    sides: Sequence[str],
    min_docs: int = 5,
    analyzer: TextAnalyzer | None = None,
) -> GroupKeyness:
    """Signed G² (``measure="lr"``) of every term between the texts of two groups.

    Parameters
    ----------
    texts, groups : Series
        Each text and its group (aligned); texts of other groups are left out.
    sides : (str, str)
        The reference group and the target group (positive scores: more frequent in the
        target); empty when there are no groups.
    min_docs : int
        Fewest texts per group; below it the note says why nothing was computed.
    analyzer : TextAnalyzer, optional
        The project's tokens by default; terms in at least two texts are counted.

    Returns
    -------
    GroupKeyness
    """
    counts = groups.value_counts()
    n = [int(counts.get(side, 0)) for side in sides]
    labels = tuple(f"{side} ({k} documents)" for side, k in zip(sides[::-1], n[::-1], strict=True))
    if len(sides) != 2 or min(n) < min_docs:
        held = ", ".join(f"{k} in {side}" for side, k in zip(sides, n, strict=True)) or "no groups"
        note = f"Keyness skipped ({held}): at least {min_docs} per group are needed."
        return GroupKeyness(None, labels or ("", ""), note)
    inside = groups.isin(sides).to_numpy()
    vectorizer = count_vectorizer(analyzer or TextAnalyzer(), min_df=2)
    dtm = build_dtm(texts[inside], vectorizer, desc="vectorising")
    target = (groups[inside] == sides[1]).to_numpy()
    return GroupKeyness(keyness(dtm.matrix, target, dtm.terms, measure="lr"), labels, "")
