"""Precision, recall and F1 of each grouping method on labelled synthetic incident sets.

Run from the repository root: .venv/bin/python bench/grouping_quality.py [SEED ...]
Each set is a year of 12 lines (incidents.analysis.synthetic); each line's last 30 days are
grouped together with the 150 days before, and find_problems' candidates are scored by
incidents.analysis.quality. The default seeds 11-20 were not used while the parameters were
tuned (seeds 1-5 were). Then the time of find_problems on one line of 12,000 and 25,000
incidents in 180 days (the production sizes; lines of two 14-line sets sampled together).
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.analysis.grouping import DEFAULT
from incidents.analysis.quality import find_problems, score_set
from incidents.analysis.synthetic import generate

AS_OF = date(2026, 6, 30)
METHODS: list[tuple[str, dict[str, Any]]] = [
    ("service-category", {}),
    ("tfidf-components", {"threshold": 0.3}),
    ("tfidf-two-stage", {"threshold": 0.45, "merge_threshold": 0.2}),
    ("tfidf-average", {"threshold": 0.1}),
    ("tfidf-window", {"threshold": 0.05}),
    ("tfidf-window", {}),  # the default: threshold 0.07
    ("tfidf-window", {"threshold": 0.1}),
]


def main() -> None:
    # --anyone-calls: the harder variant where any of a line's people report its problems.
    anyone = "--anyone-calls" in sys.argv
    seeds = [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or list(range(11, 21))
    sets = {seed: generate(seed=seed, as_of=AS_OF, anyone_calls=anyone) for seed in seeds}
    header = ("method", "seed", "P", "R", "F1", "TP", "FP", "FN", "s")
    print("{:<44} {:>4} {:>5} {:>5} {:>5} {:>3} {:>3} {:>3} {:>5}".format(*header))
    means = []
    for method, params in METHODS:
        name = f"{method} {params}" if params else method
        f1s, secs = [], []
        for seed, incidents in sets.items():
            score = score_set(incidents, as_of=AS_OF, method=method, params=params)
            f1s.append(score.f1)
            secs.append(score.seconds)
            print(
                f"{name:<44} {seed:>4} {score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f}"
                f" {score.tp:>3} {score.fp:>3} {score.fn:>3} {score.seconds:5.2f}"
            )
        means.append((name, sum(f1s) / len(f1s), min(f1s), sum(secs) / len(secs)))
    print(f"\n{'method':<44} {'mean F1':>7} {'min F1':>6} {'s/set':>6}")
    for name, mean, low, sec in means:
        print(f"{name:<44} {mean:7.3f} {low:6.3f} {sec:6.2f}")

    # Speed of find_problems (the default) on one line of production size.
    pool = [
        item for seed in (101, 102) for item in generate(seed=seed, lines=14, days=180, as_of=AS_OF)
    ]
    rng = random.Random(0)
    for n in (12_000, 25_000):
        items = sorted(rng.sample(pool, min(n, len(pool))), key=lambda item: item.opened_at)
        began = time.perf_counter()
        found = find_problems(items, as_of=AS_OF)
        print(
            f"find_problems ({DEFAULT}) on one line of {len(items)} incidents in 180 days:"
            f" {time.perf_counter() - began:.2f} s, {len(found)} candidates,"
            f" peak memory of this process so far"
            f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
        )


if __name__ == "__main__":
    main()
