"""Write one line's findings as trend cards: one problem, one card, however often it runs.

A finding is matched to an existing card of the line by the incidents they share (the card's
incident set grows with every run), so the same problem keeps its card even as its group
gains new incidents and loses old ones. A finding with no such card gets a new card, keyed
by a signature made from its incidents. Re-running over the same data matches every finding
to the card it made before and changes nothing.

Dismissed cards stay dismissed, their evidence refreshed, until the window count reaches
twice what it was when dismissed; then they come back as new with a "reopened" event.
Cards whose problem is no longer a candidate (a done card, say) still collect the new
incidents of the group that holds most of theirs, so their before/after counts go on.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from incidents.analysis.pipeline import follow
from recommendations.models import (
    Card,
    CardEvent,
    CardEventKind,
    CardIncident,
    CardSource,
    CardStatus,
)
from stakeholders.models import BusinessLine

if TYPE_CHECKING:
    from incidents.analysis.pipeline import Finding, LineAnalysis
    from incidents.models import AnalysisRun

# Share of a finding's (or group's) incidents a card must already hold to be "the same".
MATCH_SHARE = 0.3

# The fields a run writes; a card is "unchanged" when none of them changes.
TREND_FIELDS = (
    "kind",
    "window_start",
    "window_end",
    "window_count",
    "previous_count",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "hours_lost",
    "people_affected",
    "score",
    "evidence",
)
# Written on creation only: people edit them afterwards, and a run must not undo that.
TEXT_FIELDS = ("title", "summary", "suggested_action", "action_rule")


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0


def _normal(value: Any) -> Any:
    # Evidence goes through JSON in the database; compare it the way it comes back.
    return json.loads(json.dumps(value, default=str))


def _match(
    sets: Sequence[set[int]], held: defaultdict[int, set[int]], exclude: set[int]
) -> list[int | None]:
    """For each incident set, the card holding the largest share of it (greedy, one each)."""
    pairs = []
    for n, ids in enumerate(sets):
        overlap = Counter(card for i in ids for card in held.get(i, ()))
        for card, shared in overlap.items():
            if card not in exclude and shared >= max(1, MATCH_SHARE * len(ids)):
                pairs.append((shared / len(ids), shared, n, card))
    matched: list[int | None] = [None] * len(sets)
    used: set[int] = set()
    for _share, _shared, n, card in sorted(pairs, key=lambda p: (-p[0], -p[1], p[2], p[3])):
        if matched[n] is None and card not in used:
            matched[n] = card
            used.add(card)
    return matched


def _add_incidents(card_id: int, ids: Sequence[int], held: defaultdict[int, set[int]]) -> None:
    new = [i for i in ids if card_id not in held[i]]
    CardIncident.objects.bulk_create(
        [CardIncident(card_id=card_id, incident_id=i) for i in new], ignore_conflicts=True
    )
    for i in new:
        held[i].add(card_id)


def _create(line: BusinessLine, finding: Finding, run: AnalysisRun | None) -> Card:
    card = Card.objects.create(
        line=line,
        source=CardSource.TREND,
        signature=finding.signature,
        status=CardStatus.NEW,
        status_changed_at=timezone.now(),
        last_run=run,
        **{name: getattr(finding, name) for name in TEXT_FIELDS + TREND_FIELDS},
    )
    CardEvent.objects.create(
        card=card,
        kind=CardEventKind.CREATED,
        to_status=CardStatus.NEW,
        note=f"Found by the analysis as of {finding.window_end:%d %b %Y}.",
    )
    return card


def _refresh(card: Card, finding: Finding, run: AnalysisRun | None) -> str:
    """Update the card's numbers; returns "updated", "unchanged" or "reopened"."""
    changed = [
        name
        for name in TREND_FIELDS
        if _normal(getattr(card, name)) != _normal(getattr(finding, name))
    ]
    reopen = (
        card.status == CardStatus.DISMISSED
        and card.dismissed_signal is not None
        and finding.window_count >= 2 * card.dismissed_signal
    )
    if not changed and not reopen:
        return "unchanged"
    for name in changed:
        setattr(card, name, getattr(finding, name))
    card.last_run = run
    fields = [*changed, "last_run", "updated_at"]
    if reopen:
        note = (
            f"Reopened: {finding.window_count} incidents in the window, at least twice the "
            f"{card.dismissed_signal} it had when dismissed."
        )
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.REOPENED,
            from_status=CardStatus.DISMISSED,
            to_status=CardStatus.NEW,
            note=note,
        )
        card.status, card.dismissed_signal = CardStatus.NEW, None
        card.status_changed_at = timezone.now()
        fields += ["status", "dismissed_signal", "status_changed_at"]
    else:
        CardEvent.objects.create(card=card, kind=CardEventKind.REFRESHED, note=", ".join(changed))
    card.save(update_fields=fields)
    return "reopened" if reopen else "updated"


@transaction.atomic
def cards_upsert_for_line(
    *, line: BusinessLine, analysis: LineAnalysis, run: AnalysisRun | None = None
) -> UpsertCounts:
    # One writer per line at a time: a re-delivered task waits here instead of duplicating.
    BusinessLine.objects.select_for_update().filter(pk=line.pk).first()
    counts = UpsertCounts()
    if not analysis.rows:
        return counts
    first, last = analysis.rows[0].opened_at, analysis.rows[-1].opened_at
    held: defaultdict[int, set[int]] = defaultdict(set)
    for card_id, incident_id in CardIncident.objects.filter(
        card__line=line,
        card__source=CardSource.TREND,
        incident__opened_at__gte=first,
        incident__opened_at__lte=last,
    ).values_list("card_id", "incident_id"):
        held[incident_id].add(card_id)

    findings = analysis.findings
    matched = _match([set(f.member_ids) for f in findings], held, exclude=set())
    cards = Card.objects.in_bulk([c for c in matched if c is not None])
    for finding, match in zip(findings, matched, strict=True):
        # Unmatched, a card made before from these very incidents (its incident rows since
        # deleted, say) is still the same problem: the signature's uniqueness says so.
        card = cards[match] if match else Card.objects.filter(signature=finding.signature).first()
        if card is None:
            card = _create(line, finding, run)
            outcome = "created"
        else:
            outcome = _refresh(card, finding, run)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        _add_incidents(card.pk, finding.window_ids, held)

    # Cards that are not findings this time keep counting their problem's new incidents.
    found = {c for c in matched if c is not None}
    index = {row.id: n for n, row in enumerate(analysis.rows)}
    others: dict[int, list[int]] = defaultdict(list)
    for incident_id, card_ids in held.items():
        for card_id in card_ids - found:
            if incident_id in index:
                others[card_id].append(index[incident_id])
    for card_id, indices in follow(analysis.rows, analysis.window, others).items():
        _add_incidents(card_id, [analysis.rows[i].id for i in indices], held)
    return counts
