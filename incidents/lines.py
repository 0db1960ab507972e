"""Caller departments and locations → business lines."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from incidents.models import DepartmentMapping, Incident
from stakeholders.models import BusinessLine


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:120] or "line-" + hashlib.sha1(name.encode()).hexdigest()[:8]  # noqa: S324
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def resolve_departments(keys: list[str], *, create_lines: bool) -> dict[str, int | None]:
    """The line of each raw department text; unknown texts become lines or stay unmapped."""
    known: dict[str, int | None] = {}
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        known.update(
            DepartmentMapping.objects.filter(raw_value__in=part).values_list("raw_value", "line_id")
        )
    missing = [key for key in keys if key not in known]
    if not missing:
        return known
    lines = {line.name.casefold(): line.pk for line in BusinessLine.objects.only("pk", "name")}
    taken = set(BusinessLine.objects.values_list("slug", flat=True))
    new_lines = []
    for key in missing:
        line_id = lines.get(key[:120].casefold())
        if line_id is None and create_lines:
            new_lines.append(BusinessLine(name=key[:120], slug=_unique_slug(key, taken)))
        known[key] = line_id
    for line in BusinessLine.objects.bulk_create(new_lines):
        known[line.name] = line.pk
        lines[line.name.casefold()] = line.pk
    for key in missing:
        known[key] = lines.get(key[:120].casefold()) if create_lines else known[key]
    DepartmentMapping.objects.bulk_create(
        [DepartmentMapping(raw_value=key, line_id=known[key]) for key in missing],
        ignore_conflicts=True,
    )
    return known


@transaction.atomic
def department_map(*, mapping: DepartmentMapping, line: BusinessLine | None) -> int:
    """Map a raw department to a line and move its incidents there; returns how many moved."""
    mapping.line = line
    mapping.save(update_fields=["line"])
    matching = Incident.objects.filter(
        Q(department=mapping.raw_value) | Q(department="", location=mapping.raw_value)
    )
    return matching.update(line=line)


def is_ancestor(line: BusinessLine, *, of: BusinessLine) -> bool:
    """Whether ``line`` is ``of``'s parent, grandparent, and so on."""
    seen: BusinessLine | None = of.parent
    while seen is not None:
        if seen.pk == line.pk:
            return True
        seen = seen.parent
    return False


@transaction.atomic
def lines_merge(*, source: BusinessLine, target: BusinessLine) -> int:
    """Merge ``source`` into ``target``: everything that points at it moves, then it goes.

    Every foreign key to BusinessLine in every app is followed (incidents, department
    mappings, stakeholders, meetings, DILO logs, sub-lines), so nothing is deleted with it.
    Returns how many incidents moved.
    """
    if source.pk == target.pk:
        raise ValueError("A line cannot be merged into itself.")
    if is_ancestor(source, of=target):
        raise ValueError(
            f"{target.name} is a sub-line of {source.name}; merging would make it its own parent."
        )
    moved = 0
    for relation in BusinessLine._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.related_model
        if not isinstance(model, type):
            continue
        updated = model._default_manager.filter(**{relation.field.name: source}).update(
            **{relation.field.name: target}
        )
        if model is Incident:
            moved = updated
    target.liaisons.add(*source.liaisons.all())
    source.delete()
    return moved
