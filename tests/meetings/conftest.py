from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting


@pytest.fixture
def meeting(personas) -> Meeting:
    """Yesterday's Claims meeting, logged by its liaison."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=1)
    return services.meeting_log(
        line=personas.line_a,
        kind="department",
        title="Claims weekly",
        starts_at=start,
        duration_minutes=60,
        attendees=[personas.liaison],
        created_by=personas.liaison,
    )
