"""Benchmark: topic coherence, topic fits and the topics notebook on the Kremlin corpus.

Four measurements on the `kremlin` source of the built corpus, in this process:

1. NPMI of 20 topics x 10 top words: ``usrussia.topics.npmi_coherence`` (one sparse
   product of the top words' presence columns) vs a Python loop that intersects each
   pair's document sets (the textbook way); the answers must agree.
2. One NMF fit (k=20) with BLAS limited to one thread (what ``TopicModel`` does) vs the
   same fit with the default thread pools.
3. The model types at k=20 (NMF Frobenius, NMF Kullback-Leibler, online LDA): mean NPMI
   and fit time, the reason the notebook sweeps NMF only by default.
4. The whole notebook ``03_topics`` run with papermill (target: under 2 minutes).

Run: ``.venv/bin/python benchmarks/bench_topics.py`` (about 5 minutes).
"""

from __future__ import annotations

import itertools
import os
import resource
import tempfile
import time

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfTransformer

from usrussia import config
from usrussia.corpus import read_corpus
from usrussia.topics import TopicModel, npmi_coherence, top_word_ids, unit_matrices


def naive_npmi(top_ids: np.ndarray, counts) -> np.ndarray:
    """NPMI with Python sets of document ids per word (the baseline)."""
    counts = counts.tocsc()
    n = counts.shape[0]
    docs = {}
    scores = []
    for topic in top_ids:
        for w in topic:
            if w not in docs:
                docs[w] = set(counts.indices[counts.indptr[w] : counts.indptr[w + 1]])
        values = []
        for a, b in itertools.combinations(topic, 2):
            joint = len(docs[a] & docs[b]) / n
            if joint == 0:
                values.append(-1.0)
            elif joint == 1:
                values.append(1.0)
            else:
                pmi = np.log(joint / (len(docs[a]) / n * len(docs[b]) / n))
                values.append(pmi / -np.log(joint))
        scores.append(np.mean(values))
    return np.asarray(scores)


def best_of(fn, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    corpus = read_corpus(config.CORPUS_PARQUET)
    docs = corpus[corpus["source"] == "kremlin"]
    matrices = unit_matrices(docs)
    X = matrices.X
    print(f"kremlin: {X.shape[0]:,} documents x {X.shape[1]:,} terms; load {os.getloadavg()}")

    fitted = TopicModel("nmf", 20).fit(X)
    ids = top_word_ids(fitted.components_, 10)
    t_sparse, fast = best_of(lambda: npmi_coherence(ids, matrices.reference))
    t_naive, slow = best_of(lambda: naive_npmi(ids, matrices.reference))
    assert np.allclose(fast, slow), "the two NPMI computations disagree"
    print(
        f"1. NPMI 20x10: sparse {t_sparse * 1000:.1f} ms, python sets {t_naive * 1000:.1f} ms "
        f"-> {t_naive / t_sparse:.1f}x (mean NPMI {fast.mean():.4f} both)"
    )

    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(X)
    nmf = NMF(20, init="random", random_state=config.SEED, max_iter=300)
    t_default, _ = best_of(lambda: NMF(**nmf.get_params()).fit(tfidf), repeats=2)
    t_one, _ = best_of(lambda: TopicModel("nmf", 20).fit(X), repeats=2)
    print(
        f"2. NMF k=20 fit: default threads {t_default:.2f} s, one BLAS thread {t_one:.2f} s "
        f"-> {t_default / t_one:.2f}x"
    )

    print("3. model types at k=20 (one fit each, seed config.SEED):")
    for model in ("nmf", "nmf-kl", "lda"):
        start = time.perf_counter()
        m = TopicModel(model, 20).fit(X)
        seconds = time.perf_counter() - start
        score = npmi_coherence(top_word_ids(m.components_, 10), matrices.reference).mean()
        print(f"   {model:7s} mean NPMI {score:.4f}  fit {seconds:.1f} s")

    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        papermill.execute_notebook(
            str(config.NOTEBOOKS / "03_topics.ipynb"),
            os.path.join(tmp, "03.ipynb"),
            parameters={"output_dir": tmp, "corpus_path": str(config.CORPUS_PARQUET)},
            cwd=str(config.NOTEBOOKS),
            progress_bar=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(
        f"4. notebook 03_topics: {wall:.0f} s wall, {cpu:.0f} s CPU of the kernel "
        f"(target < 120 s wall); load {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
