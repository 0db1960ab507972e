"""Precision, recall and F1 of each grouping method on labelled synthetic incident sets.

Run from the repository root: .venv/bin/python bench/grouping_quality.py [SEED ...]
Each set is a year of 12 lines (incidents.analysis.synthetic); each line's last 30 days are
grouped together with the 150 days before and scored by incidents.analysis.quality. The
default seeds 11-15 were not used while the parameters were tuned (seeds 1-3 were).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.analysis.grouping import DEFAULT, group
from incidents.analysis.quality import score_set
from incidents.analysis.synthetic import generate

AS_OF = date(2026, 6, 30)
METHODS: list[tuple[str, dict[str, Any]]] = [
    ("service-category", {}),
    ("tfidf-components", {"threshold": 0.3}),
    ("tfidf-components", {"threshold": 0.4}),
    ("tfidf-average", {"threshold": 0.1}),
    ("tfidf-average", {"threshold": 0.15}),
    ("tfidf-two-stage", {"threshold": 0.45, "merge_threshold": 0.2}),
]


def main() -> None:
    seeds = [int(arg) for arg in sys.argv[1:]] or [11, 12, 13, 14, 15]
    sets = {seed: generate(seed=seed, as_of=AS_OF) for seed in seeds}
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

    # Speed of the default on 5,000 incidents of one line.
    incidents = sets[seeds[0]][:5000]
    for method in (DEFAULT, "tfidf-components"):
        began = time.perf_counter()
        group(incidents, method=method)
        print(f"{method} on {len(incidents)} incidents: {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
