"""How many export date values parse_datetime reads per second on one core.

Run from the repository root: .venv/bin/python bench/parse_dates.py
The import engine's target is at least 300,000 a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.parsing.dates import DateOrder, parse_datetime

# The layouts real exports use, each with the order its file would be detected as.
SAMPLES: list[tuple[str, DateOrder]] = [
    ("29/2/2016 01:16", DateOrder.DMY),  # the UCI event log
    ("5/3/2016 12:00", DateOrder.DMY),
    ("2016-02-29 08:53:11", DateOrder.YMD),  # ServiceNow field names
    ("2016-02-29T08:53:11Z", DateOrder.YMD),
    ("02/29/2016 08:53:11 AM", DateOrder.MDY),  # a US-locale list export
    ("12/31/2016 11:59 PM", DateOrder.MDY),
    ("29/Feb/16 10:15 AM", DateOrder.DMY),  # Jira
    ("2016-03-01", DateOrder.YMD),
]


def main() -> None:
    values = SAMPLES * 25_000
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for text, order in values:
            parse_datetime(text, order)
        best = max(best, len(values) / (time.perf_counter() - start))
    print(f"parse_datetime: {best:,.0f} values/s (best of 3 runs of {len(values):,})")


if __name__ == "__main__":
    main()
