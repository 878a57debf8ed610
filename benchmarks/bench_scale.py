"""Benchmark: ``usrussia sentiment`` at scale: the naive baseline, one process, Dask.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--sizes 7235,10000,50000,200000]
[--paths naive,single,dask] [--repeat N] [--data DIR]``

Corpora (JSONL, the raw Kremlin pages' fields): ``7235`` is every page of
data/raw/kremlin/kremlin_en_all.jsonl.gz as it is; other sizes are that many pages drawn
with replacement (seed ``config.SEED``), so a page recurs about size / 7,235 times. For each
size, in the same run, three whole processes (start, read, split, score, write CSV), each
timed by the wall clock, with the peak resident memory of each of its processes (sampled
every 0.1 s) and the CPU time of all of them:

- naive: a script that reads the file with pandas and applies NLTK's VADER to each Punkt
  sentence of each text (``df.text.apply``; the pickle-free Punkt model, since NLTK's own
  needs the ``punkt_tab`` resource the project does not ship), writing CSV;
- single: ``usrussia sentiment FILE --output OUT.csv`` (the pandas engine), which also
  scores lexicon tone, the recommended score and the tone about Russia and the US;
- dask: the same with ``--engine dask`` (a LocalCluster of two worker processes).

And the floor: ``re.findall(r"\\w+", text.lower())`` over the same texts in this process
(CPU time), the least any tokeniser does. Throughput is MB of UTF-8 text (the ``text``
field) per wall second, and documents per wall second; the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

from usrussia import config
from usrussia.corpus.sources import kremlin

NAIVE = """
import sys
import numpy as np
import pandas as pd
import punkt
from nltk.sentiment.vader import SentimentIntensityAnalyzer

analyzer = SentimentIntensityAnalyzer()
sentences = punkt.tokenizer_for("english").tokenize
df = pd.read_json(sys.argv[1], lines=True)
df["vader_compound"] = df["text"].fillna("").apply(
    lambda text: np.mean([analyzer.polarity_scores(s)["compound"] for s in sentences(text)])
)
df.to_csv(sys.argv[2], index=False)
"""


def corpus_file(size: int, folder: Path) -> Path:
    """The JSONL corpus of ``size`` pages (7,235: every page; else resampled), made once."""
    path = folder / f"kremlin-{size}-seed{config.SEED}.jsonl"
    if path.exists():
        return path
    with gzip.open(kremlin.PATH, "rt", encoding="utf-8") as fh:
        lines = [line.rstrip("\n") for line in fh if line.strip()]
    if size != len(lines):
        lines = random.Random(config.SEED).choices(lines, k=size)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def texts_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line).get("text") or "" for line in fh]


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall and CPU seconds of a whole process, and the peak RSS of its processes (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peaks: dict[int, tuple[str, int]] = {}
    while proc.poll() is None:
        try:
            family = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in family:
            try:
                rss = p.memory_info().rss
                role = "main" if p.pid == proc.pid else " ".join(p.cmdline())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            role = "worker" if "spawn_main" in role else "main" if role == "main" else "other"
            peaks[p.pid] = (role, max(rss, peaks.get(p.pid, (role, 0))[1]))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.wait() != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    workers = [rss for role, rss in peaks.values() if role == "worker"]
    return {
        "wall s": wall,
        "CPU s": cpu,
        "main MB": max(rss for role, rss in peaks.values() if role == "main") / 1e6,
        "worker MB": max(workers) / 1e6 if workers else float("nan"),
    }


def floor(texts: list[str]) -> float:
    """CPU seconds of the regex floor over ``texts``."""
    start = time.process_time()
    for text in texts:
        re.findall(r"\w+", text.lower())
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="7235,10000,50000,200000")
    parser.add_argument("--paths", default="naive,single,dask", help="the processes to time")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None, help="keep the corpora here")
    args = parser.parse_args()
    env = {**os.environ, "NLTK_DATA": str(config.NLTK_DATA), "OPENBLAS_NUM_THREADS": "1"}
    usrussia = [sys.executable, "-m", "usrussia.cli", "sentiment"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"{size:>7} load average {os.getloadavg()}", flush=True)
            path = corpus_file(size, folder)
            texts = texts_of(path)
            mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
            out, quarantine = Path(tmp) / "out.csv", Path(tmp) / "quarantine.jsonl"
            commands = {
                "naive": [sys.executable, "-c", NAIVE, str(path), str(out)],
                "single": [
                    *usrussia,
                    str(path),
                    "--output",
                    str(out),
                    "--quarantine",
                    str(quarantine),
                ],
                "dask": [
                    *usrussia,
                    str(path),
                    "--output",
                    str(out),
                    "--quarantine",
                    str(quarantine),
                    "--engine",
                    "dask",
                ],
            }
            for name in args.paths.split(","):
                cmd = commands[name]
                runs = [measure(cmd, env) for _ in range(args.repeat)]
                median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                rows.append({"docs": size, "MB": mb, "path": name, **median})
                print(f"{size:>7} {name:<6} {median['wall s']:8.1f} s", flush=True)
            seconds = statistics.median(floor(texts) for _ in range(args.repeat))
            rows.append({"docs": size, "MB": mb, "path": "floor", "CPU s": seconds})
            rows[-1]["wall s"] = seconds
    table = pd.DataFrame(rows)
    table["MB/s"] = table["MB"] / table["wall s"]
    table["docs/s"] = table["docs"] / table["wall s"]
    for base in ("naive", "single"):
        times = table[table["path"] == base].set_index("docs")["wall s"]
        table[f"vs {base}"] = table["docs"].map(times) / table["wall s"]
    print(f"repeat: {args.repeat}, load average: {os.getloadavg()}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
