"""Benchmark: ``usrussia.sentiment.score_documents`` throughput on the Kremlin pages.

The baseline, measured in the same process on the same texts, is NLTK's own VADER scoring
the same sentences one by one (``SentimentIntensityAnalyzer.polarity_scores``, sentences
split beforehand and not timed). ``score_documents`` does everything the project needs:
sentence splitting, VADER, lexicon tone, the recommended score (tf-idf x weights + dense
features), the Russia/US sentence matches and the per-document aggregation.
Throughput is MB of UTF-8 text per CPU second of this process (other jobs share the 2-core
machine; wall seconds are printed beside). Run:
``.venv/bin/python benchmarks/bench_sentiment.py [--all]`` (default: the US-related pages,
``--all``: every Kremlin page).
"""

from __future__ import annotations

import sys
import time

import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer

from usrussia import config
from usrussia.corpus import read_corpus, write_corpus
from usrussia.engine import build_corpus
from usrussia.sentiment import load_model, score_documents, target_patterns, vader
from usrussia.text.tokens import split_sentences


def kremlin_texts(everything: bool) -> list[str]:
    """The Kremlin pages' texts (the US-related ones unless ``everything``)."""
    if not config.CORPUS_PARQUET.exists():
        write_corpus(build_corpus()[0], config.CORPUS_PARQUET)
    corpus = read_corpus(config.CORPUS_PARQUET)
    pages = corpus[corpus["source"] == "kremlin"]
    if not everything:
        pages = pages[pages["relevant"]]
    return pages["text"].tolist()


def timed(fn, *args):
    """(CPU seconds, wall seconds, result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args)
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    everything = "--all" in sys.argv[1:]
    texts = kremlin_texts(everything)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    sentences = [s for t in texts for s in split_sentences(t)]
    plain = SentimentIntensityAnalyzer()
    vader(), load_model(), target_patterns()  # load once, outside the timings

    *t_vader, _ = timed(lambda: [plain.polarity_scores(s) for s in sentences])
    *t_fast, _ = timed(lambda: [vader().polarity_scores(s) for s in sentences])
    *t_split, _ = timed(lambda: [split_sentences(t) for t in texts])
    *t_ours, scores = timed(score_documents, texts)
    assert len(scores) == len(texts)

    rows = pd.DataFrame(
        [
            ("NLTK VADER, sentence by sentence (baseline)", *t_vader),
            ("usrussia's VADER alone (NLTK's scores, faster word list)", *t_fast),
            ("sentence splitting alone (Punkt)", *t_split),
            ("score_documents (split + VADER + tone + score + targets)", *t_ours),
        ],
        columns=["step", "CPU s", "wall s"],
    )
    rows["MB/s"] = mb / rows["CPU s"]
    rows["vs VADER"] = rows["MB/s"] / rows["MB/s"].iloc[0]
    which = "all Kremlin pages" if everything else "US-related Kremlin pages"
    print(f"{which}: {len(texts):,} documents, {len(sentences):,} sentences, {mb:.2f} MB")
    print(rows.to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
