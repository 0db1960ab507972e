"""Recognising the columns of ServiceNow and Jira exports."""

from __future__ import annotations

from dataclasses import dataclass

FIELDS: tuple[str, ...] = (
    "number",
    "opened_at",
    "resolved_at",
    "closed_at",
    "updated_at",
    "mod_count",
    "state",
    "priority",
    "impact",
    "urgency",
    "category",
    "subcategory",
    "service",
    "configuration_item",
    "assignment_group",
    "caller",
    "department",
    "location",
    "short_description",
    "description",
    "resolution_notes",
    "reopen_count",
)

# Each family: canonical field -> the headers that mean it (normalised), best first. When a
# file has two of them (say "incident_state" and "state"), the first listed wins.
_FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    # Field names, as ServiceNow exports them with "Export > CSV" of a table.
    "servicenow": {
        "number": ("number",),
        "opened_at": ("opened_at",),
        "resolved_at": ("resolved_at",),
        "closed_at": ("closed_at",),
        # sys_updated_on is ServiceNow's own name; the UCI event log says sys_updated_at.
        "updated_at": ("sys_updated_at", "sys_updated_on"),
        "mod_count": ("sys_mod_count",),
        # "ident_state" is how a re-shared copy of the UCI event log misspells it.
        "state": ("incident_state", "state", "ident_state"),
        "priority": ("priority",),
        "impact": ("impact",),
        "urgency": ("urgency",),
        "category": ("category",),
        "subcategory": ("subcategory",),
        "service": ("business_service", "service"),
        "configuration_item": ("cmdb_ci",),
        "assignment_group": ("assignment_group",),
        "caller": ("caller_id",),
        "department": ("caller_id.department", "department"),
        "location": ("location",),
        "short_description": ("short_description",),
        "description": ("description",),
        "resolution_notes": ("close_notes",),
        "reopen_count": ("reopen_count",),
    },
    # Column labels, as a ServiceNow list exports them.
    "servicenow_labels": {
        "number": ("number",),
        "opened_at": ("opened",),
        "resolved_at": ("resolved",),
        "closed_at": ("closed",),
        "updated_at": ("updated",),
        "mod_count": ("updates",),
        "state": ("incident state", "state"),
        "priority": ("priority",),
        "impact": ("impact",),
        "urgency": ("urgency",),
        "category": ("category",),
        "subcategory": ("subcategory",),
        "service": ("service", "business service"),
        "configuration_item": ("configuration item",),
        "assignment_group": ("assignment group",),
        "caller": ("caller",),
        "department": ("department",),
        "location": ("location",),
        "short_description": ("short description",),
        "description": ("description",),
        "resolution_notes": ("resolution notes", "close notes"),
        "reopen_count": ("reopen count",),
    },
    # Jira Service Management's CSV export. Assignee and Labels are deliberately left out:
    # a person is not an assignment group, and labels are not a category.
    "jira": {
        "number": ("issue key",),
        "short_description": ("summary",),
        "description": ("description",),
        "opened_at": ("created",),
        "resolved_at": ("resolved",),
        "updated_at": ("updated",),
        "state": ("status",),
        "priority": ("priority",),
        "service": ("component/s",),
        "caller": ("reporter",),
        "department": ("custom field (department)", "department"),
    },
}

# alias -> (field, rank among the field's aliases), per family.
_ALIASES: dict[str, dict[str, tuple[str, int]]] = {
    family: {
        alias: (field, rank)
        for field, aliases in table.items()
        for rank, alias in enumerate(aliases)
    }
    for family, table in _FAMILIES.items()
}

# A second column with the name of an earlier one: a re-shared UCI event log names its
# subcategory column "category" too. Any other repeat (Jira writes "Component/s" once per
# component) maps only if its field is still free, which in practice means it stays unmapped.
_REPEATED: dict[str, str] = {"category": "subcategory"}

# ServiceNow's audit columns: a file that has them holds one row per update of an incident.
_EVENT_LOG_HEADERS = frozenset({"sys_mod_count", "sys_updated_at"})


@dataclass(frozen=True)
class FormatGuess:
    name: str  # "servicenow", "servicenow_labels", "jira" or "unknown"
    mapping: dict[str, int]  # canonical field -> column index
    event_log: bool
    unmapped: list[str]  # headers not used, in file order


def detect_format(headers: list[str]) -> FormatGuess:
    """Recognise the export a header row comes from, and map its columns.

    The family that recognises most columns names the format; columns it does not know are
    still mapped when another family knows them (a hand-edited export mixes names), for
    fields still free. The name is "unknown" when number or opened_at stays unmapped; the
    mapping is then what could be recognised, for the user to complete.
    """
    names = [_normalise(header) for header in headers]
    repeats = _repeat_counts(names)
    scores = {family: len(_explicit(names, repeats, (family,))) for family in _FAMILIES}
    best = max(_FAMILIES, key=lambda family: scores[family])
    families = (best, *(family for family in _FAMILIES if family != best))
    mapping = _explicit(names, repeats, families)

    used = set(mapping.values())
    for index, name in enumerate(names):
        if repeats[index] == 1 or index in used:
            continue
        field = _REPEATED.get(name) or _field_of(name, families)
        if field is not None and field not in mapping:
            mapping[field] = index
            used.add(index)

    known = "number" in mapping and "opened_at" in mapping
    return FormatGuess(
        name=best if known else "unknown",
        mapping={field: mapping[field] for field in FIELDS if field in mapping},
        event_log=any(name in _EVENT_LOG_HEADERS for name in names),
        unmapped=[header for index, header in enumerate(headers) if index not in used],
    )


def header_key(headers: list[str], index: int) -> str:
    """The name that ``mapping_from_names`` understands for a column: "category#2" for the
    second column named "category", the plain header otherwise."""
    name = headers[index].strip()
    earlier = sum(1 for header in headers[:index] if header.strip() == name)
    return name if earlier == 0 else f"{name}#{earlier + 1}"


def mapping_from_names(headers: list[str], names: dict[str, str]) -> dict[str, int]:
    """Apply a saved mapping profile (canonical field -> header key) to a file's headers.

    Unknown fields and header names that the file lacks are skipped. A key matches exactly,
    else ignoring case and spacing, since the next export of the same system may differ so.
    """
    exact: dict[str, int] = {}
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header.strip()
        seen[name] = seen.get(name, 0) + 1
        exact.setdefault(name if seen[name] == 1 else f"{name}#{seen[name]}", index)
    loose: dict[str, int] = {}
    for key, index in exact.items():
        loose.setdefault(_normalise(key), index)

    mapping: dict[str, int] = {}
    for field in FIELDS:
        wanted = names.get(field)
        if wanted is None:
            continue
        found = exact.get(wanted.strip())
        if found is None:
            found = loose.get(_normalise(wanted))
        if found is not None:
            mapping[field] = found
    return mapping


def _normalise(header: str) -> str:
    # A UTF-8 BOM that survived decoding sticks to the first header; inner runs of spaces
    # are collapsed too, since nothing tells "Short  description" from "Short description".
    return " ".join(header.replace("\ufeff", "").split()).lower()


def _repeat_counts(names: list[str]) -> list[int]:
    """For each column, how many columns up to and including it carry its name."""
    seen: dict[str, int] = {}
    counts = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        counts.append(seen[name])
    return counts


def _field_of(name: str, families: tuple[str, ...]) -> str | None:
    for family in families:
        hit = _ALIASES[family].get(name)
        if hit is not None:
            return hit[0]
    return None


def _explicit(names: list[str], repeats: list[int], families: tuple[str, ...]) -> dict[str, int]:
    """Map the first column of each name, preferring the earlier family, then the better
    alias, then the earlier column."""
    best: dict[str, tuple[int, int, int]] = {}
    for index, name in enumerate(names):
        if repeats[index] > 1:
            continue
        for position, family in enumerate(families):
            hit = _ALIASES[family].get(name)
            if hit is not None:
                field, rank = hit
                key = (position, rank, index)
                if field not in best or key < best[field]:
                    best[field] = key
                break
    return {field: key[2] for field, key in best.items()}
