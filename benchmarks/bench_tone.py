"""Benchmark: vectorised bootstrap + permutation (usrussia.compare) vs a Python loop over resamples.

Both compute the same statistics on the same synthetic data (a percentile bootstrap interval
of a difference in means and a permutation p-value, 5,000 resamples each) for two sizes:
groups of 40 and 110 documents (the Kremlin era comparison) and of 800 and 400 (the size of
the 2017 TASS-vs-Western comparison); the ratios are measured in this process.
Run: ``.venv/bin/python benchmarks/bench_tone.py``.
"""

from __future__ import annotations

import time

import numpy as np

from usrussia import compare

SIZES, RESAMPLES, REPEATS = ((40, 110), (800, 400)), 5000, 3


def loop_baseline(a: np.ndarray, b: np.ndarray, seed: int) -> tuple[float, float, float]:
    """The same statistics with one Python iteration per resample."""
    rng = np.random.default_rng(seed)
    diffs = np.empty(RESAMPLES)
    for i in range(RESAMPLES):
        diffs[i] = rng.choice(b, b.size).mean() - rng.choice(a, a.size).mean()
    low, high = np.quantile(diffs, [0.025, 0.975])
    pooled, observed = np.concatenate([a, b]), b.mean() - a.mean()
    extreme = 0
    for _ in range(RESAMPLES):
        perm = rng.permutation(pooled)
        extreme += abs(perm[a.size :].mean() - perm[: a.size].mean()) >= abs(observed)
    return float(low), float(high), (extreme + 1) / (RESAMPLES + 1)


def vectorised(a: np.ndarray, b: np.ndarray, seed: int) -> tuple[float, float, float]:
    low, high = compare.bootstrap_diff(a, b, n_resamples=RESAMPLES, seed=seed)
    return low, high, compare.permutation_pvalue(a, b, n_resamples=RESAMPLES, seed=seed)


def best_time(fn, *args) -> tuple[float, tuple[float, float, float]]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    rng = np.random.default_rng(0)
    for n_a, n_b in SIZES:
        a, b = rng.normal(0.0, 0.3, n_a), rng.normal(0.05, 0.3, n_b)
        t_loop, r_loop = best_time(loop_baseline, a, b, 1)
        t_vec, r_vec = best_time(vectorised, a, b, 1)
        print(f"groups {n_a}/{n_b}, {RESAMPLES} bootstrap resamples + {RESAMPLES} permutations")
        for name, t, (low, high, p) in (
            ("python loop", t_loop, r_loop),
            ("vectorised", t_vec, r_vec),
        ):
            print(f"  {name:11s}: {t:.3f} s  CI [{low:.4f}, {high:.4f}] p={p:.4f}")
        print(f"  speed-up   : {t_loop / t_vec:.1f}x (best of {REPEATS})")


if __name__ == "__main__":
    main()
