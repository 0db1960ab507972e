from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, timedelta

from incidents.analysis.synthetic import generate

AS_OF = date(2026, 6, 30)


def test_it_is_deterministic_for_a_seed() -> None:
    first = generate(seed=7, lines=4, days=120, as_of=AS_OF)
    assert first == generate(seed=7, lines=4, days=120, as_of=AS_OF)
    assert first != generate(seed=8, lines=4, days=120, as_of=AS_OF)


def test_it_generates_a_year_of_a_dozen_lines_up_to_the_as_of_date() -> None:
    incidents = generate(seed=1, as_of=AS_OF)
    assert 15_000 <= len(incidents) <= 40_000
    assert len({item.line for item in incidents}) == 12
    assert all(item.opened_at.tzinfo is UTC for item in incidents)
    assert max(item.opened_at.date() for item in incidents) <= AS_OF
    assert min(item.opened_at.date() for item in incidents) >= AS_OF - timedelta(days=364)
    assert len({item.number for item in incidents}) == len(incidents)


def test_its_problems_are_paraphrased_and_filed_messily() -> None:
    incidents = generate(seed=1, as_of=AS_OF)
    problems: dict[str, list] = defaultdict(list)
    for item in incidents:
        if item.problem:
            problems[item.problem].append(item)
    assert 3 <= len(problems) <= 12
    lines_with_problems = {name.split("/")[0] for name in problems}
    assert len(lines_with_problems) < 12  # some lines have none
    for items in problems.values():
        wordings = {item.short_description.casefold() for item in items}
        assert len(wordings) >= 4
        usual = max(
            {item.configuration_item for item in items},
            key=lambda ci: sum(item.configuration_item == ci for item in items),
        )
        messy = sum(item.configuration_item != usual for item in items) / len(items)
        assert 0.15 <= messy <= 0.6
    background = [item for item in incidents if item.problem is None]
    assert len(background) > 0.9 * len(incidents)
