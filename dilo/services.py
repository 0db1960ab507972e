"""DILO workflows that touch more than one model (a pain point and its tags)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from dilo.models import FrequencyUnit, Observation, PainPoint, Severity, Tag


def tags_for(names: Iterable[str]) -> list[Tag]:
    """The tags called ``names``, created as needed.

    Tags are matched by slug, so "Re-keying" reuses an existing "re-keying" and the tag
    list does not fill with near-duplicates that split the pain-point filter.
    """
    tags: list[Tag] = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
        if tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def painpoint_create(
    *,
    observation: Observation,
    description: str,
    system: str,
    frequency: int,
    frequency_unit: FrequencyUnit | str,
    minutes_lost: int,
    severity: Severity | str,
    tag_names: Iterable[str] = (),
) -> PainPoint:
    """Record a pain point on ``observation`` with its tags; hours lost are derived by the DB."""
    pain_point = PainPoint.objects.create(
        observation=observation,
        description=description,
        system=system,
        frequency=frequency,
        frequency_unit=frequency_unit,
        minutes_lost=minutes_lost,
        severity=severity,
    )
    pain_point.tags.set(tags_for(tag_names))
    return pain_point
