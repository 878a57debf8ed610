"""Near-duplicate documents: word shingles, MinHash LSH candidates, exact Jaccard check.

Wire copies and republished statements are common in news. Two documents are near
duplicates when the Jaccard similarity of their sets of word ``shingle_size``-grams
(lower-cased ``word_tokenize`` tokens) reaches ``threshold``. MinHash signatures
(``datasketch``, seeded, CRC32 shingle hashes so results never depend on Python's hash
seed) and LSH banding propose candidate pairs; each candidate pair is then checked on the
exact Jaccard of the hashed shingle sets, so a reported pair is never an LSH artefact
(LSH can still miss a few true pairs near the threshold).

Pairs are joined into clusters (connected components); the representative of a cluster
is its first document in input order, the one ``drop_near_duplicates`` keeps. Documents
are compared within the same group only (``corpus build`` groups by source).
``near_duplicate_copies`` orders the documents first (the earliest, then the lowest id), so
that each cluster's original is its earliest document and every other one a copy of it
(what a study's ``[dedup] drop`` removes); ``copies_by`` counts them per source.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

from usrussia import config
from usrussia.corpus.records import Ledger, Rejected
from usrussia.io import progress
from usrussia.text.tokens import word_tokenize

CLUSTER_COLUMNS = ("doc_id", "cluster", "representative", "jaccard")


def shingles(text: str, size: int = 5) -> list[str]:
    """The distinct word ``size``-grams of ``text`` (lower case), in first-seen order.

    A text shorter than ``size`` words gives its whole token sequence as one shingle.
    """
    if size < 1:
        raise ValueError(f"shingle size must be >= 1, got {size}")
    tokens = word_tokenize(text.lower())
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    grams = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return list(dict.fromkeys(grams))


def _hashes(grams: Sequence[str]) -> np.ndarray:
    return np.unique(
        np.fromiter((zlib.crc32(g.encode("utf-8", "replace")) for g in grams), np.uint32)
    )


@functools.lru_cache(maxsize=4)
def _template(num_perm: int, seed: int) -> MinHash:
    """The seeded permutations every signature of these settings shares."""
    return MinHash(num_perm=num_perm, seed=seed, hashfunc=int)


@functools.lru_cache(maxsize=16384)
def signature(
    text: str, shingle_size: int, num_perm: int, seed: int
) -> tuple[np.ndarray, LeanMinHash | None]:
    """A text's sorted unique shingle hashes and its MinHash (None without a shingle).

    Cached by text: a study's comparisons share most of their documents, and each is
    shingled and hashed once (the arrays are read-only).
    """
    hashes = _hashes(shingles(text, shingle_size))
    hashes.setflags(write=False)
    if not hashes.size:
        return hashes, None
    template = _template(num_perm, seed)
    minhash = MinHash(
        num_perm=num_perm,
        seed=seed,
        hashfunc=int,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    minhash.update_batch(hashes.tolist())  # already CRC32 hashes: hashfunc is int()
    return hashes, LeanMinHash(minhash)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if not a.size and not b.size:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def near_duplicate_pairs(
    texts: Sequence[str],
    threshold: float = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = config.SEED,
    desc: str | None = "near-duplicates",
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` with ``i < j`` whose exact shingle Jaccard >= ``threshold``."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashed: list[np.ndarray] = []
    pairs: set[tuple[int, int]] = set()
    for i, text in enumerate(progress(texts, desc=desc, total=len(texts), unit=" docs")):
        hashes, lean = signature(text, shingle_size, num_perm, seed)
        hashed.append(hashes)
        if lean is None:
            continue
        for j in lsh.query(lean):
            pairs.add((j, i))
        lsh.insert(i, lean, check_duplication=False)
    out = []
    for i, j in sorted(pairs):
        similarity = jaccard(hashed[i], hashed[j])
        if similarity >= threshold:
            out.append((i, j, similarity))
    return out


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def near_duplicate_clusters(
    texts: Sequence[str],
    doc_ids: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    threshold: float = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = config.SEED,
) -> pd.DataFrame:
    """Clusters of near-duplicate documents, one row per document that is in a cluster.

    Columns: doc_id, cluster (0, 1, ... in order of the representatives), representative
    (the cluster's first document in input order), jaccard (exact shingle Jaccard with
    the representative). Documents are compared only within the same ``groups`` value.
    """
    texts = list(texts)
    ids = [str(d) for d in doc_ids] if doc_ids is not None else [str(i) for i in range(len(texts))]
    keys = list(groups) if groups is not None else [""] * len(texts)
    if not len(ids) == len(keys) == len(texts):
        raise ValueError("texts, doc_ids and groups must have the same length")
    parent = list(range(len(texts)))
    for key in sorted(set(keys), key=str):
        members = [i for i, k in enumerate(keys) if k == key]
        found = near_duplicate_pairs(
            [texts[i] for i in members],
            threshold,
            shingle_size,
            num_perm,
            seed,
            desc=f"near-duplicates {key}".rstrip() if len(members) >= 1000 else None,
        )
        for a, b, _ in found:
            ra, rb = _find(parent, members[a]), _find(parent, members[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)  # the root is the first in input order
    roots = [_find(parent, i) for i in range(len(texts))]
    sizes = pd.Series(roots).value_counts()
    clustered = sorted({r for r in roots if sizes[r] > 1})
    number = {root: n for n, root in enumerate(clustered)}

    def hashed(i: int) -> np.ndarray:
        return signature(texts[i], shingle_size, num_perm, seed)[0]

    rows = [
        (ids[i], number[root], ids[root], 1.0 if i == root else jaccard(hashed(i), hashed(root)))
        for i, root in enumerate(roots)
        if root in number
    ]
    return pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))


def drop_near_duplicates(
    df: pd.DataFrame,
    ledger: Ledger | None = None,
    threshold: float = 0.8,
    group: str = "source",
    **params: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep each cluster's representative; return (kept corpus, dropped rows).

    With a ``ledger``, each dropped document moves from kept to quarantined with the
    reason ``near-duplicate`` and detail ``of <doc_id>``, so that read == kept + quarantined
    still holds.
    """
    clusters = near_duplicate_clusters(
        df["text"].tolist(),
        df["doc_id"].tolist(),
        df[group].astype(str).tolist() if group else None,
        threshold=threshold,
        **params,
    )
    dropped = clusters[clusters["doc_id"] != clusters["representative"]]
    drop_ids = set(dropped["doc_id"])
    is_dropped = df["doc_id"].astype(str).isin(drop_ids)
    if ledger is not None:
        of = dict(zip(dropped["doc_id"], dropped["representative"], strict=True))
        for row in df[is_dropped].to_dict("records"):
            ledger.kept -= 1
            ledger.reject(
                Rejected(
                    str(row.get("source", "")),
                    None,
                    "near-duplicate",
                    row,
                    f"of {of[str(row['doc_id'])]}",
                )
            )
        ledger.check()
    return df[~is_dropped].reset_index(drop=True), dropped.reset_index(drop=True)


def near_duplicate_copies(
    df: pd.DataFrame,
    threshold: float = 0.8,
    group: str | None = "source",
    order: Sequence[str] = ("date", "doc_id"),
) -> pd.Series:
    """Which documents are copies: for each row, the ``doc_id`` it is a near-duplicate of.

    The first document of each cluster by ``order`` (the earliest, then the lowest id; an
    undated one last) is its original and gets None, as does every document in no cluster;
    dropping the rows with a value leaves one document per cluster.

    Parameters
    ----------
    df : DataFrame
        Documents with ``doc_id``, ``text``, the ``group`` column and the ``order`` columns.
    threshold : float
        Shingle Jaccard at which two texts count as one (``near_duplicate_pairs``).
    group : str or None
        Compare only documents with the same value of this column.
    order : sequence of str
        The columns that decide which document of a cluster is the original.

    Returns
    -------
    copy_of : Series of object
        Aligned on ``df``'s index.
    """
    ordered = df.sort_values(list(order), kind="stable", na_position="last")
    clusters = near_duplicate_clusters(
        ordered["text"].tolist(),
        ordered["doc_id"].tolist(),
        ordered[group].astype(str).tolist() if group else None,
        threshold=threshold,
    )
    copies = clusters[clusters["doc_id"] != clusters["representative"]]
    of = dict(zip(copies["doc_id"], copies["representative"], strict=True))
    copy_of = df["doc_id"].astype(str).map(of).astype(object)
    return copy_of.where(copy_of.notna(), None).rename("copy_of")


def copies_by(df: pd.DataFrame, copy_of: pd.Series, by: str = "source") -> pd.DataFrame:
    """Per value of ``by``: documents, copies (what dropping near-duplicates removes) and the
    originals they copy (``near_duplicate_copies`` gives ``copy_of``)."""
    grouped = pd.DataFrame({by: df[by], "copy_of": copy_of}).groupby(by, sort=True)["copy_of"]
    return pd.DataFrame(
        {
            "documents": grouped.size(),
            "copies": grouped.count(),
            "originals_copied": grouped.nunique(),
        }
    ).reset_index()


def copies_sentence(copy_of: pd.Series, threshold: float) -> str:
    """How many documents are copies of how many others (``near_duplicate_copies``), in words."""
    return (
        f"{int(copy_of.notna().sum()):,} of the {len(copy_of):,} documents are near-duplicate "
        f"copies (Jaccard ≥ {threshold:g}) of {copy_of.nunique():,} others."
    )
