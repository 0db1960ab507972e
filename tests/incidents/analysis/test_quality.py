from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from incidents.analysis.quality import Candidate, merge_related, score_line, score_set
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
