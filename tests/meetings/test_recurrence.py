from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from meetings.recurrence import InvalidRule, Pattern, describe, normalise_rule, occurrences


def run(
    rule: str,
    *,
    start: date,
    at: time = time(10),
    before: date,
    until: date | None = None,
    zone: str = "Europe/London",
) -> list[datetime]:
    return occurrences(
        rule=rule,
        starts_on=start,
        start_time=at,
        time_zone=zone,
        until=until,
        after=start,
        before=before,
    )


def test_first_tuesday_of_each_month():
    rule = Pattern(kind="monthly_weekday", weekday=1, position=1).to_rrule()
    days = [d.date() for d in run(rule, start=date(2026, 1, 1), before=date(2026, 4, 30))]
    assert days == [date(2026, 1, 6), date(2026, 2, 3), date(2026, 3, 3), date(2026, 4, 7)]


def test_last_friday_of_each_month():
    rule = Pattern(kind="monthly_weekday", weekday=4, position=-1).to_rrule()
    days = [d.date() for d in run(rule, start=date(2026, 1, 1), before=date(2026, 3, 31))]
    assert days == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]


def test_day_31_skips_the_months_that_have_none():
    rule = Pattern(kind="monthly_day", day=31).to_rrule()
    days = [d.date() for d in run(rule, start=date(2026, 1, 1), before=date(2026, 6, 30))]
    assert days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]


def test_last_day_of_the_month_includes_leap_february():
    rule = Pattern(kind="monthly_last_day").to_rrule()
    days = [d.date() for d in run(rule, start=date(2028, 1, 1), before=date(2028, 4, 30))]
    assert days == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]


def test_wall_time_stays_across_daylight_saving_changes():
    rule = Pattern(kind="weekly", weekday=0).to_rrule()  # Mondays 10:00 London
    starts = run(rule, start=date(2026, 3, 16), before=date(2026, 4, 6))
    assert [s.hour for s in starts] == [10, 10, 10, 10]
    utc = [s.astimezone(UTC).hour for s in starts]
    assert utc == [10, 10, 9, 9]  # GMT until 29 March, BST after


def test_autumn_change_keeps_wall_time_too():
    rule = "FREQ=DAILY"
    starts = run(rule, start=date(2026, 10, 24), before=date(2026, 10, 26), at=time(9, 30))
    assert [(s.hour, s.minute) for s in starts] == [(9, 30)] * 3
    # 25 Oct 2026 is the day the clocks go back: that day lasts 25 hours.
    assert starts[1].astimezone(UTC) - starts[0].astimezone(UTC) == timedelta(hours=25)


def test_a_time_in_the_spring_gap_moves_forward():
    starts = run("FREQ=DAILY", start=date(2026, 3, 28), at=time(1, 30), before=date(2026, 3, 30))
    assert [(s.day, s.hour, s.minute) for s in starts] == [(28, 1, 30), (29, 2, 30), (30, 1, 30)]
    assert starts[1].astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_until_bounds_the_series():
    starts = run(
        "FREQ=WEEKLY;BYDAY=WE",
        start=date(2026, 1, 1),
        before=date(2026, 12, 31),
        until=date(2026, 1, 21),
    )
    assert [s.day for s in starts] == [7, 14, 21]


def test_count_in_the_rule_is_honoured():
    starts = run("FREQ=WEEKLY;COUNT=2", start=date(2026, 1, 5), before=date(2026, 12, 31))
    assert len(starts) == 2


@pytest.mark.parametrize(
    "text", ["FREQ=HOURLY", "FREQ=MINUTELY;INTERVAL=5", "BYDAY=MO", "not a rule", ""]
)
def test_rules_a_meeting_cannot_use_are_refused(text):
    with pytest.raises(InvalidRule):
        normalise_rule(text)


def test_rules_are_stored_clean():
    assert normalise_rule("RRULE:freq=weekly;byday=mo") == "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=+1TU", "Monthly on the first Tuesday"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", "Every 3 months on the last Friday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Every 2 weeks on Monday"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "Monthly on day 15"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ],
)
def test_rules_are_described_in_words(rule, words):
    assert describe(rule) == words
