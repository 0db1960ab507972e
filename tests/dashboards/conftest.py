"""A small world with hand-countable numbers (frozen at 15 March 2026, noon in London).

Claims (line A), February 2026:
- incidents: 3 opened (4 h and 24 h to resolve, one open) → incidents 3, hours 28;
- meetings: 2 held, IT attended one; one more was cancelled → held 2, attended 1;
- DILO: one session on 25 February;
- one card: created 1 Feb, reviewed 2 Feb, shared 4 Feb, answered (accept) 8 Feb, accepted 8 Feb.
  → card to share 3 days, share to answer 4 days;
- proactive touchpoints: attended 1 + DILO 1 + shared 1 + accepted 1 = 4; share 4/(4+3).
Claims, January 2026: one card done on Wednesday 14 Jan at noon; its problem had one incident
a week over the 12 weeks before, none since: 60 days = 8.57 weeks later, 8.57 avoided.
Finance (line B), February 2026: one incident.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from dashboards.rollups import rollups_refresh
from stakeholders.models import Stakeholder
from tests.dashboards.factories import (
    answer,
    at,
    link,
    make_card,
    make_dilo,
    make_incident,
    make_meeting,
    move,
    share,
)

NOW = at("2026-03-15 12:00")
FEB = date(2026, 2, 1)
JAN = date(2026, 1, 1)
DONE_AT = at("2026-01-14 12:00")


@pytest.fixture(autouse=True)
def _no_chart_cache(settings):
    """Each test sees its own numbers; tests of the cache turn it back on."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def world(personas, frozen):
    a, b = personas.line_a, personas.line_b
    make_incident(a, at("2026-02-03 10:00"), at("2026-02-03 14:00"))
    make_incident(a, at("2026-02-10 09:00"), at("2026-02-11 09:00"))
    make_incident(a, at("2026-02-20 09:00"))
    make_incident(b, at("2026-02-04 09:00"), at("2026-02-04 10:00"))
    make_meeting(a, at("2026-02-05 10:00"))
    make_meeting(a, at("2026-02-12 10:00"), attended_by=personas.liaison, cancelled=True)
    make_meeting(a, at("2026-02-19 10:00"), attended_by=personas.liaison)
    make_dilo(a, personas.liaison, date(2026, 2, 25))
    card = make_card(a, at("2026-02-01 09:00"), title="Scanner queue stalls")
    sam = Stakeholder.objects.get(user=personas.stakeholder)
    move(card, "reviewed", at("2026-02-02 09:00"))
    move(card, "shared", at("2026-02-04 09:00"))
    share(card, sam, at("2026-02-04 09:00"))
    answer(card, sam, "accept", at("2026-02-08 09:00"))
    move(card, "accepted", at("2026-02-08 09:00"))
    done = make_card(a, at("2025-09-01 09:00"), title="Printer driver fix")
    problem = [
        make_incident(a, DONE_AT - timedelta(weeks=k) + timedelta(hours=1)) for k in range(1, 13)
    ]
    link(done, problem)
    for status in ("reviewed", "shared", "accepted"):
        move(done, status, at("2025-10-01 09:00"))
    move(done, "done", DONE_AT)
    rollups_refresh()
    return personas
