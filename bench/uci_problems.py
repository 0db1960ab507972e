"""How the grouping and candidate step line up with the problems IT recorded, on real data.

Run from the repository root: .venv/bin/python bench/uci_problems.py [AS_OF]

Data: "Incident management process enriched event log", UCI Machine Learning Repository
(dataset 498), by Claudio Amaral, Marcelo Fantinato and Sarajane Peres, CC BY 4.0; the copy in
/work/shared/data (its README tells how it differs from the original). Every value is a
code and there is no free text, so grouping sees only categorical fields. Each incident's
latest row (highest sys_mod_count, then latest sys_updated_at) is its state; the caller's
`location` is the line. The 381 incidents with a `problem_id` are the only labels: which
incidents IT itself judged to share a cause. They are sparse (most problems have one or two
incidents), so the numbers say whether groups keep a problem's incidents together and
apart from others' (homogeneity, purity, adjusted Rand index), not recall of all problems.
"""

from __future__ import annotations

import csv
import io
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import (
    adjusted_rand_score,
    completeness_score,
    homogeneity_score,
)

from incidents.analysis.grouping import group, vectors
from incidents.analysis.quality import Candidate, candidates, merge_related

ARCHIVE = Path(__file__).resolve().parents[2] / "shared/data/uci-incident-event-log"
ARCHIVE = ARCHIVE / "incident_event_log.zip"
MISSING = "?"


@dataclass(frozen=True)
class Incident:
    number: str
    opened_at: datetime
    line: str
    category: str
    subcategory: str
    symptom: str
    configuration_item: str
    assignment_group: str
    caller: str
    problem: str

    # The fields grouping reads (incidents.analysis.grouping.IncidentText): codes as words.
    @property
    def short_description(self) -> str:
        return f"sub{self.subcategory} sym{self.symptom}"

    @property
    def description(self) -> str:
        return f"grp{self.assignment_group}"

    @property
    def service(self) -> str:
        return ""


def _value(text: str) -> str:
    return "" if text == MISSING else text


def load(path: Path = ARCHIVE) -> list[Incident]:
    """The latest state of every incident of the event log."""
    latest: dict[str, tuple[tuple[int, datetime], list[str]]] = {}
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        with archive.open(name) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            header = next(reader)
            # `category` appears twice: the second is the subcategory.
            col = {}
            for i, field in enumerate(header):
                col[field if field not in col else f"sub{field}"] = i
            for row in reader:
                updated = datetime.strptime(row[col["sys_updated_at"]], "%d/%m/%Y %H:%M")
                key = (int(row[col["sys_mod_count"]]), updated)
                number = row[col["number"]]
                if number not in latest or key >= latest[number][0]:
                    latest[number] = (key, row)
    out = []
    for number, (_, row) in latest.items():
        out.append(
            Incident(
                number=number,
                opened_at=datetime.strptime(row[col["opened_at"]], "%d/%m/%Y %H:%M").replace(
                    tzinfo=UTC
                ),
                line=_value(row[col["location"]]),
                category=_value(row[col["category"]]),
                subcategory=_value(row[col["subcategory"]]),
                symptom=_value(row[col["u_symptom"]]),
                configuration_item=_value(row[col["cmdb_ci"]]),
                assignment_group=_value(row[col["assignment_group"]]),
                caller=_value(row[col["caller_id"]]),
                problem=_value(row[col["problem_id"]]),
            )
        )
    return out


def _by_key(*fields: str) -> Callable[[list[Incident]], list[list[int]]]:
    def run(items: list[Incident]) -> list[list[int]]:
        keys: dict[tuple[str, ...], list[int]] = {}
        for i, item in enumerate(items):
            keys.setdefault(tuple(getattr(item, f) for f in fields), []).append(i)
        return list(keys.values())

    return run


def _tfidf(items: list[Incident]) -> list[list[int]]:
    return group(items, method="tfidf-window", as_of=AS_OF)


AS_OF = date(2016, 5, 31)
GROUPINGS: dict[str, Callable[[list[Incident]], list[list[int]]]] = {
    "category+subcategory": _by_key("category", "subcategory"),
    "subcategory+symptom": _by_key("subcategory", "symptom"),
    "subcategory+symptom+group": _by_key("subcategory", "symptom", "assignment_group"),
    "tfidf-window on the codes": _tfidf,
}


def main() -> None:
    global AS_OF
    if len(sys.argv) > 1:
        AS_OF = date.fromisoformat(sys.argv[1])
    began = time.perf_counter()
    incidents = load()
    start = AS_OF - timedelta(days=179)
    window_start = AS_OF - timedelta(days=29)
    chosen = [i for i in incidents if start <= i.opened_at.date() <= AS_OF]
    by_line: dict[str, list[Incident]] = defaultdict(list)
    for item in chosen:
        by_line[item.line].append(item)
    labelled = [i for i in chosen if i.problem]
    sizes = Counter(i.problem for i in labelled)
    print(
        f"UCI event log (CC BY 4.0): {len(incidents)} incidents, read in"
        f" {time.perf_counter() - began:.1f} s; as of {AS_OF}: {len(chosen)} incidents"
        f" in the 180 days analysed ({sum(1 for i in chosen if i.opened_at.date() >= window_start)}"
        f" in the 30-day window), {len(by_line)} lines (caller location),"
        f" {len(labelled)} with a problem_id, {len(sizes)} problems,"
        f" {sum(1 for n in sizes.values() if n >= 2)} with 2+ incidents."
    )
    print(
        "Among incidents with a problem_id (pooled over lines; a group is one line's):\n"
        "  homog.  = 1 when no group mixes problems; compl. = 1 when no problem is split;\n"
        "  purity  = share of them in a group whose most common problem is theirs;\n"
        "  ARI     = adjusted Rand index of groups vs problem_id (0 = chance, 1 = identical);\n"
        "  together = problems of 2+ incidents with all of them in one group;\n"
        "  in cand. = those whose majority sits in one candidate (rise or chronic) of the\n"
        "             candidate step at the as-of date; cands = candidates over all lines."
    )
    header = ("grouping", "groups", "homog.", "compl.", "purity", "ARI", "together", "in cand.")
    print(
        "{:<28} {:>7} {:>6} {:>6} {:>6} {:>6} {:>9} {:>8} {:>6} {:>6}".format(*header, "cands", "s")
    )
    multi = {p for p, n in sizes.items() if n >= 2}
    for name, run in GROUPINGS.items():
        t = time.perf_counter()
        truth: list[str] = []
        predicted: list[str] = []
        n_groups = 0
        found: list[tuple[str, list[Incident], Candidate]] = []
        home: dict[str, set[str]] = defaultdict(set)
        for line, items in sorted(by_line.items()):
            groups = run(items)
            n_groups += len(groups)
            for g, members in enumerate(groups):
                for i in members:
                    if items[i].problem:
                        truth.append(items[i].problem)
                        predicted.append(f"{line}/{g}")
                        home[items[i].problem].add(f"{line}/{g}")
            matrix = vectors(items) if len(items) > 1 else None
            if matrix is None:
                continue
            for c in merge_related(candidates(items, groups, as_of=AS_OF, matrix=matrix), matrix):
                found.append((line, items, c))
        purity_hits = 0
        by_group: dict[str, Counter[str]] = defaultdict(Counter)
        for t_, p_ in zip(truth, predicted, strict=True):
            by_group[p_][t_] += 1
        purity_hits = sum(c.most_common(1)[0][1] for c in by_group.values())
        together = sum(1 for p in multi if len(home[p]) == 1)
        in_candidate = 0
        for p in multi:
            for _, items, c in found:
                held = sum(1 for i in c.members if items[i].problem == p)
                if held * 2 > sizes[p]:
                    in_candidate += 1
                    break
        print(
            f"{name:<28} {n_groups:>7} {homogeneity_score(truth, predicted):6.2f}"
            f" {completeness_score(truth, predicted):6.2f} {purity_hits / len(truth):6.2f}"
            f" {adjusted_rand_score(truth, predicted):6.2f} {together:>4}/{len(multi):<4}"
            f" {in_candidate:>4}/{len(multi):<3} {len(found):>6} {time.perf_counter() - t:6.1f}"
        )


if __name__ == "__main__":
    main()
