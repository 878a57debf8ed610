"""Benchmark: usrussia's exact VADER and ``score_documents`` against NLTK's VADER.

Run: ``.venv/bin/python benchmarks/bench_sentiment.py [--all] [--repeat N]`` (default: the
US-related Kremlin pages of the built corpus; ``--all``: every Kremlin page).

One process pinned to one core, numeric libraries on one thread. The baseline, measured in
the same process on the same texts, is NLTK's own VADER scoring the sentences one by one
(``SentimentIntensityAnalyzer.polarity_scores``; sentences split beforehand, not timed).
Against it, on the same sentences:

- usrussia's VADER (``usrussia.sentiment.vader``), a fresh analyzer each run: every
  sentence (repeats come from its cache), and each distinct sentence once (no repeat);
- sentence splitting alone (``usrussia.text.sentences.split_sentences``);
- ``score_documents``: splitting, VADER, lexicon tone, the recommended score (its
  features and tf-idf terms), the Russia/US sentence matches, the document aggregation.

Throughput is MB of UTF-8 text per CPU second of this process (other jobs share the
machine; wall seconds are printed beside); the median of ``--repeat`` rounds. Each round
runs the baseline and then every step, so that a ratio compares runs minutes apart at
most (the speed of a shared machine drifts over longer times): ``vs NLTK VADER`` is the
median over the rounds of the baseline's CPU seconds over the step's in that round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer
from threadpoolctl import threadpool_limits

from usrussia import config
from usrussia.corpus import read_corpus, write_corpus
from usrussia.engine import build_corpus
from usrussia.sentiment import load_model, score_documents, target_patterns
from usrussia.sentiment.vader import Vader
from usrussia.text.sentences import split_sentences


def kremlin_texts(everything: bool) -> list[str]:
    """The Kremlin pages' texts (the US-related ones unless ``everything``)."""
    if not config.CORPUS_PARQUET.exists():
        write_corpus(build_corpus()[0], config.CORPUS_PARQUET)
    corpus = read_corpus(config.CORPUS_PARQUET)
    pages = corpus[corpus["source"] == "kremlin"]
    if not everything:
        pages = pages[pages["relevant"]]
    return pages["text"].tolist()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds and wall seconds of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c0, time.perf_counter() - w0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every Kremlin page")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    threadpool_limits(1)
    texts = kremlin_texts(args.all)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    sentences = [s for t in texts for s in split_sentences(t)]
    distinct = list(dict.fromkeys(sentences))
    plain = SentimentIntensityAnalyzer()
    load_model(), target_patterns(), score_documents(texts[:5])  # load once, untimed

    def ours(items: list[str]) -> Callable[[], object]:
        def run() -> list[tuple[float, ...]]:
            scores = Vader().scores  # a fresh analyzer: empty token table and cache
            return [scores(s) for s in items]

        return run

    steps = {
        "NLTK VADER, sentence by sentence (baseline)": lambda: [
            plain.polarity_scores(s) for s in sentences
        ],
        "usrussia VADER, every sentence (fresh analyzer)": ours(sentences),
        "usrussia VADER, each distinct sentence once": ours(distinct),
        "sentence splitting alone": lambda: [split_sentences(t) for t in texts],
        "score_documents (split + VADER + tone + score + targets)": lambda: score_documents(texts),
    }
    rounds = [{name: timed(fn) for name, fn in steps.items()} for _ in range(args.repeat)]
    baseline = next(iter(steps))
    rows = pd.DataFrame(
        [
            (
                name,
                statistics.median(r[name][0] for r in rounds),
                statistics.median(r[name][1] for r in rounds),
                statistics.median(r[baseline][0] / r[name][0] for r in rounds),
            )
            for name in steps
        ],
        columns=["step", "CPU s", "wall s", "vs NLTK VADER"],
    )
    rows.insert(3, "MB/s", mb / rows["CPU s"])
    which = "all Kremlin pages" if args.all else "US-related Kremlin pages"
    print(
        f"{which}: {len(texts):,} documents, {len(sentences):,} sentences "
        f"({len(distinct):,} distinct), {mb:.2f} MB; one core; median of {args.repeat} rounds; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(rows.to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
