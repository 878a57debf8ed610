"""Benchmark: the project's clean + tokenise + TF-IDF path on the full Kremlin corpus.

Run: ``.venv/bin/python benchmarks/bench_text.py [--repeat N] [--limit N]``

Three passes over the same texts (every page of data/raw/kremlin/kremlin_en_all.jsonl.gz),
in one process pinned to one core:

- floor: ``re.findall(r"\\w+", text.lower())``, the least any tokeniser can do;
- project: ``usrussia.text.clean.Cleaner(source="kremlin")`` (tooltips, footer, HTML, URLs,
  e-mails, punctuation, NFKC, whitespace) then ``usrussia.text.vectorize.tfidf_vectorizer()``
  (aliases, English+domain stopwords, TF-IDF matrix);
- naive: a notebook-style pipeline, ``df.text.apply`` of NLTK word tokenisation (Punkt
  sentences, then ``NLTKWordTokenizer``, which is what ``nltk.word_tokenize`` runs),
  lower-casing and stopword filtering in Python (set lookup), then the same TF-IDF.
  NLTK's ``word_tokenize`` itself needs the ``punkt_tab`` resource, which the project does
  not ship; the sentences come from the project's pickle-free Punkt model instead.

Throughput is MB of UTF-8 text per second of CPU time of this process (robust when other
jobs share the machine); wall-clock seconds are printed too. Targets (issue 4): project
>= 25% of the floor and >= 5x the naive baseline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections.abc import Callable

import pandas as pd
from nltk.tokenize import NLTKWordTokenizer
from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import threadpool_info, threadpool_limits

from usrussia.corpus.sources import kremlin
from usrussia.text.clean import Cleaner
from usrussia.text.sentences import split_sentences
from usrussia.text.tokens import TextAnalyzer, load_stopwords
from usrussia.text.vectorize import tfidf_vectorizer


def load_texts(limit: int | None = None) -> list[str]:
    """The raw text of every Kremlin page (None counted as empty)."""
    with gzip.open(kremlin.PATH, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("text") or "" for line in fh if line.strip()]
    return texts[:limit] if limit else texts


def floor(texts: list[str]) -> int:
    """The regex floor: lower-case and find word characters."""
    return sum(len(re.findall(r"\w+", text.lower())) for text in texts)


def project(texts: list[str], analyzer: TextAnalyzer | None = None) -> int:
    """The project's path: clean every page, then a TF-IDF matrix on its tokens."""
    cleaned = Cleaner(source="kremlin").transform(texts)
    matrix = tfidf_vectorizer(analyzer).fit_transform(cleaned)
    return matrix.nnz


def naive(texts: list[str]) -> int:
    """A notebook-style baseline: NLTK word tokens per sentence, Python stopword filter."""
    stop = set(load_stopwords("english"))
    word_tokenizer = NLTKWordTokenizer()
    df = pd.DataFrame({"text": texts})
    df["tokens"] = df.text.apply(
        lambda text: [
            word.lower()
            for sentence in split_sentences(text)
            for word in word_tokenizer.tokenize(sentence)
        ]
    )
    df["tokens"] = df.tokens.apply(lambda ws: [w for w in ws if w.isalpha() and w not in stop])
    matrix = TfidfVectorizer(analyzer=lambda tokens: tokens).fit_transform(df.tokens)
    return matrix.nnz


def timed(run: Callable[[], int], repeat: int) -> tuple[float, float]:
    """Best CPU seconds and best wall seconds of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of floor and project")
    parser.add_argument("--limit", type=int, default=None, help="use the first N pages only")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):  # one core; numeric libraries get one thread
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    threadpool_limits(1)
    blas = [(p["internal_api"], p.get("architecture")) for p in threadpool_info()]
    texts = load_texts(args.limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"Kremlin pages: {len(texts)}, {megabytes:.1f} MB of UTF-8 text, one core")
    print(f"thread pools (1 thread each): {blas}")
    project(texts[:50])  # warm caches (alias table, stopwords, regexes)

    results = {
        "floor: re.findall(\\w+, lower)": timed(lambda: floor(texts), args.repeat),
        "project: clean + tokens + TF-IDF": timed(lambda: project(texts), args.repeat),
        "project, Snowball stems": timed(
            lambda: project(texts, TextAnalyzer(stem=True)), args.repeat
        ),
        "naive: NLTK word tokens + Python filter + TF-IDF": timed(lambda: naive(texts), 1),
    }
    print(f"{'pass':<52} {'CPU s':>7} {'wall s':>7} {'MB/s':>7}")
    for name, (cpu, wall) in results.items():
        print(f"{name:<52} {cpu:7.2f} {wall:7.2f} {megabytes / cpu:7.2f}")
    floor_cpu = results["floor: re.findall(\\w+, lower)"][0]
    project_cpu = results["project: clean + tokens + TF-IDF"][0]
    naive_cpu = results["naive: NLTK word tokens + Python filter + TF-IDF"][0]
    share, speedup = floor_cpu / project_cpu, naive_cpu / project_cpu
    print(f"project / floor throughput: {share:.0%} (target >= 25%)")
    print(f"project / naive throughput: {speedup:.1f}x (target >= 5x)")
    return 0 if share >= 0.25 and speedup >= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
