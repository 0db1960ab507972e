from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from incidents.analysis.quality import (
    Candidate,
    find_problems,
    merge_related,
    rate_ratio,
    score_line,
    score_set,
)
from incidents.analysis.synthetic import SyntheticIncident, generate

AS_OF = date(2026, 6, 30)


def _incident(n: int, days_ago: int, service: str, problem: str | None) -> SyntheticIncident:
    opened = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 9, tzinfo=UTC)
    return SyntheticIncident(
        number=f"INC{n:07d}",
        line="Finance",
        opened_at=opened - timedelta(days=days_ago),
        short_description=f"{service} issue",
        description="",
        service=service,
        configuration_item="",
        category="Software",
        caller=f"user{n}",
        resolve_hours=1.0,
        problem=problem,
    )


def _tiny_set() -> list[SyntheticIncident]:
    """Grouped by (service, category), so that the groups are obvious."""
    rows: list[tuple[int, str, str | None]] = []
    rows += [(day, "vpn", "A") for day in (1, 2, 3, 4, 1, 2, 3, 4)]  # rises: found
    rows += [(day, "citrix", "C") for day in (1, 2, 3, 1, 2)]  # C is split in two halves,
    rows += [(day, "vdi", "C") for day in (5, 6, 7, 5, 6)]  # so neither holds the majority
    rows += [(day, "teams", None) for day in (1, 2, 3, 1, 2, 3)]  # a rising noise group
    rows += [(day, "label", "B") for day in (1, 2, 3)]  # too few to recur: not counted
    rows += [(day, "printer", None) for day in (1, 8, 15, 22, 25, 28)]  # steady: no rise
    rows += [(35 + day * 5, "printer", None) for day in range(30)]
    rows += [(40 + day // 2, f"one-off {day}", None) for day in range(300)]
    return [_incident(n, *row) for n, row in enumerate(rows)]


def test_it_scores_a_hand_made_set() -> None:
    score = score_line(_tiny_set(), as_of=AS_OF, method="service-category")
    assert (score.tp, score.fp, score.fn) == (1, 3, 1)
    assert score.precision == pytest.approx(0.25)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(1 / 3)
    found = {problem.problem: problem for problem in score.problems}
    assert set(found) == {"A", "C"}
    assert found["A"].found
    assert (found["A"].coverage, found["A"].purity) == (1.0, 1.0)
    assert not found["C"].found
    assert found["C"].coverage == 0.5


def test_it_counts_a_perfect_grouping_as_perfect() -> None:
    incidents = [item for item in _tiny_set() if item.service not in {"vdi", "teams"}]
    score = score_line(incidents, as_of=AS_OF, method="service-category")
    assert (score.tp, score.fp, score.fn) == (2, 0, 0)
    assert score.f1 == 1.0


@pytest.mark.parametrize("seed", [4, 5])
def test_the_default_method_finds_the_hidden_problems(seed: int) -> None:
    # Six lines keep the test fast; bench/grouping_quality.py measures full sets of twelve.
    score = score_set(generate(seed=seed, lines=6, as_of=AS_OF), as_of=AS_OF)
    assert score.f1 >= 0.9


def test_it_joins_candidates_whose_centroids_are_similar() -> None:
    matrix = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [0.0, 1.0]])
    found = [
        Candidate([0], 0, 1, "rise", 0.001),
        Candidate([1], 2, 1, "rise", 0.01),
        Candidate([2, 3], 1, 2, "chronic", 0.5),
    ]
    assert merge_related(found, matrix, threshold=0) == found
    joined = merge_related(found, matrix, threshold=0.7)
    assert [c.window for c in joined] == [[0, 1], [2, 3]]
    assert joined[0].baseline_count == 2
    assert len(merge_related(found, matrix, threshold=0.5)) == 1


def test_find_problems_finds_a_planted_problem_and_no_card_for_background() -> None:
    incidents = generate(seed=4, lines=6, as_of=AS_OF)
    by_line: dict[str, list[SyntheticIncident]] = {}
    for item in incidents:
        by_line.setdefault(item.line, []).append(item)
    window_start = AS_OF - timedelta(days=29)
    quiet = [line for line, items in by_line.items() if not any(i.problem for i in items)]
    assert quiet
    for line in quiet:
        assert find_problems(by_line[line], as_of=AS_OF) == []
    noisy = next(
        items
        for items in by_line.values()
        if sum(1 for i in items if i.problem and i.opened_at.date() >= window_start) >= 20
    )
    found = find_problems(noisy, as_of=AS_OF)
    assert found
    best = max(found, key=lambda c: sum(1 for i in c.window if noisy[i].problem))
    labels = [noisy[i].problem for i in best.window]
    assert sum(1 for label in labels if label) > 0.8 * len(labels)
    # Indices refer to the list given, whole year and all; members include the baseline.
    assert set(best.window) <= set(best.members)
    assert all(noisy[i].opened_at.date() >= window_start for i in best.window)
    assert best.ci_low <= best.rate_ratio <= best.ci_high
    assert best.line_window + best.line_baseline <= len(noisy)


def test_the_rate_ratio_and_its_exact_interval() -> None:
    # 20 of the group's 30 in a window holding 100 of the line's 600: rates 0.2 vs 10/500.
    ratio, low, high = rate_ratio(20, 10, 100, 500)
    assert ratio == pytest.approx(10.0)
    assert low < ratio < high
    assert low == pytest.approx(4.47, abs=0.01)  # Clopper-Pearson 0.4719 -> odds x 5
    assert high == pytest.approx(23.92, abs=0.01)  # 0.8271 -> odds x 5
    ratio, low, high = rate_ratio(5, 0, 100, 500)
    assert ratio == high == float("inf")
    assert low > 1
