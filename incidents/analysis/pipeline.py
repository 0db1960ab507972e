"""The trend analysis of one business line: incidents in, findings (future cards) out.

Stages, each timed: `load` the line's incidents of the window and the baseline before it;
`find` groups and candidates (`incidents.analysis.grouping` and `.quality`); `describe` each
candidate as a `Finding` with its numbers, title, summary, suggested action and evidence.
Writing the findings as cards is `recommendations.upsert`; running lines and recording runs
is `incidents.analysis.runs`.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from dilo.models import PainPoint
from incidents.analysis.grouping import GENERIC_VALUES, vectors
from incidents.analysis.quality import Candidate, find_problems
from incidents.models import Incident
from meetings.models import Meeting
from recommendations.actions import Problem, suggest
from recommendations.evidence import (
    Evidence,
    RelatedMeeting,
    RelatedPainPoint,
    SampleIncident,
    WeekCount,
)
from stakeholders.models import BusinessLine

SAMPLES = 10
TOP_TERMS = 6
_WORD = re.compile(r"[a-z][a-z0-9+#./-]{2,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "not",
        "when",
        "from",
        "this",
        "that",
        "can",
        "cannot",
        "can't",
        "cant",
        "does",
        "doesn't",
        "dont",
        "don't",
        "after",
        "into",
        "our",
        "all",
        "any",
        "are",
        "was",
        "were",
        "been",
        "has",
        "have",
        "had",
        "but",
        "get",
        "gets",
        "got",
        "again",
        "still",
        "every",
        "each",
        "since",
        "while",
        "will",
        "would",
        "please",
        "help",
        "issue",
        "issues",
        "problem",
        "error",
        "errors",
        "working",
        "work",
        "works",
        "today",
        "yesterday",
        "morning",
        "user",
        "users",
        "some",
        "very",
    ]
)


@dataclass(frozen=True)
class Row:
    """One incident as the analysis reads it: only the fields it needs, opened in local time."""

    id: int
    number: str
    opened_at: datetime
    short_description: str
    description: str
    service: str
    configuration_item: str
    category: str
    caller: str
    priority: int | None
    resolve_hours: float | None


@dataclass(frozen=True)
class Window:
    as_of: date
    window_days: int
    baseline_days: int

    @property
    def start(self) -> date:
        return self.as_of - timedelta(days=self.window_days - 1)

    @property
    def baseline_start(self) -> date:
        return self.start - timedelta(days=self.baseline_days)


@dataclass
class Finding:
    """A recurring problem of one line, ready to become (or refresh) a card."""

    kind: str
    title: str
    summary: str
    suggested_action: str
    action_rule: str
    window_start: date
    window_end: date
    window_count: int
    previous_count: int
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float
    hours_lost: float
    people_affected: int
    score: float
    evidence: Evidence
    window_ids: list[int]  # the group's incidents in the window
    member_ids: list[int]  # the group's incidents in the window and the baseline

    @property
    def signature(self) -> str:
        """A key for a new card; later runs find the card again by its incidents."""
        digest = hashlib.sha1(  # noqa: S324 - a key, not a secret
            ",".join(str(i) for i in sorted(self.window_ids)).encode()
        ).hexdigest()
        return f"trend-{digest[:24]}"


@dataclass
class LineAnalysis:
    window: Window
    rows: list[Row]
    findings: list[Finding]
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - began, 4)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def load_rows(line: BusinessLine, window: Window) -> list[Row]:
    """The line's incidents from the baseline's first day to the as-of day, oldest first."""
    fields = (
        "id",
        "number",
        "opened_at",
        "short_description",
        "description",
        "service",
        "configuration_item",
        "category",
        "caller",
        "priority",
        "resolved_at",
    )
    queryset = (
        Incident.objects.filter(
            line=line,
            opened_at__gte=_midnight(window.baseline_start),
            opened_at__lt=_midnight(window.as_of + timedelta(days=1)),
        )
        .order_by("opened_at", "id")
        .values_list(*fields)
    )
    zone = timezone.get_current_timezone()
    rows = []
    for (
        pk,
        number,
        opened,
        short,
        desc,
        service,
        ci,
        cat,
        caller,
        prio,
        resolved,
    ) in queryset.iterator(chunk_size=5000):
        hours = (resolved - opened).total_seconds() / 3600 if resolved else None
        rows.append(
            Row(
                pk,
                number,
                opened.astimezone(zone),
                short,
                desc,
                service,
                ci,
                cat,
                caller,
                prio,
                hours if hours is None or hours >= 0 else None,
            )
        )
    return rows


def find(rows: Sequence[Row], window: Window) -> list[Candidate]:
    """The candidate problems among the rows (`incidents.analysis.quality.find_problems`)."""
    if len(rows) < 2:
        return []
    return find_problems(
        rows, as_of=window.as_of, window_days=window.window_days, baseline_days=window.baseline_days
    )


def analyse_line(line: BusinessLine, window: Window) -> LineAnalysis:
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        rows = load_rows(line, window)
    with _timed(timings, "find"):
        found = find(rows, window)
    with _timed(timings, "describe"):
        line_window = sum(1 for row in rows if row.opened_at.date() >= window.start)
        findings = [
            describe(
                line,
                rows,
                candidate,
                window=window,
                line_window=line_window,
                line_baseline=len(rows) - line_window,
            )
            for candidate in found
        ]
        findings.sort(key=lambda f: (-f.score, f.signature))
    return LineAnalysis(window, rows, findings, timings)


# How close (cosine to the centre of a card's incidents) a new incident must be to count
# for a card that is no longer a finding, a done card say.
FOLLOW_SIMILARITY = 0.3


def follow(rows: Sequence[Row], window: Window, held: dict[int, list[int]]) -> dict[int, list[int]]:
    """The window's incidents that belong to cards which are not findings this time.

    `held` maps a card to the indices of the rows it already holds. Each other window row
    goes to the card whose centre it is closest to, if at least FOLLOW_SIMILARITY.
    """
    cards = [card for card, indices in sorted(held.items()) if indices]
    taken = {i for indices in held.values() for i in indices}
    fresh = [
        i for i, row in enumerate(rows) if row.opened_at.date() >= window.start and i not in taken
    ]
    if not cards or not fresh:
        return {}
    subset = sorted(taken | set(fresh))
    position = {row: n for n, row in enumerate(subset)}
    matrix = vectors([rows[i] for i in subset])
    centres = np.vstack(
        [np.asarray(matrix[[position[i] for i in held[c]]].mean(axis=0)).ravel() for c in cards]
    )
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    similarity = np.asarray(matrix[[position[i] for i in fresh]] @ centres.T)
    best = similarity.argmax(axis=1)
    out: dict[int, list[int]] = {}
    for n, i in enumerate(fresh):
        if similarity[n, best[n]] >= FOLLOW_SIMILARITY:
            out.setdefault(cards[best[n]], []).append(i)
    return out


def _common(values: Sequence[str]) -> str:
    counts = Counter(v.strip() for v in values if v.strip().casefold() not in GENERIC_VALUES)
    return counts.most_common(1)[0][0] if counts else ""


def _words(text: str) -> set[str]:
    return {w.strip(".-/") for w in _WORD.findall(text.casefold())} - _STOP


def top_terms(rows: Sequence[Row], chosen: Sequence[int], *, limit: int = TOP_TERMS) -> list[str]:
    """Words frequent in the group and rare in the rest of the line's incidents."""
    inside = Counter(w for i in chosen for w in _words(rows[i].short_description))
    if not inside:
        return []
    everywhere = Counter(w for row in rows for w in _words(row.short_description))
    size, total = len(chosen), len(rows)
    scored = [
        (inside[w] / size - (everywhere[w] - inside[w]) / max(total - size, 1), w)
        for w in inside
        if inside[w] >= 2 or size < 4
    ]
    return [w for s, w in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0][:limit]


def _weekly(rows: Sequence[Row], members: Sequence[int], window: Window) -> list[WeekCount]:
    first = window.baseline_start - timedelta(days=window.baseline_start.weekday())
    weeks = (window.as_of - first).days // 7 + 1
    counts = [0] * weeks
    for i in members:
        counts[(rows[i].opened_at.date() - first).days // 7] += 1
    return [
        {"week": (first + timedelta(weeks=n)).isoformat(), "count": c} for n, c in enumerate(counts)
    ]


def onset(weekly: Sequence[WeekCount], window: Window) -> date | None:
    """The first week of a sustained rise: from it on, every full week at least twice the
    weeks before it (and at least 3), when the weeks before were quieter."""
    counts = [w["count"] for w in weekly]
    last_monday = date.fromisoformat(weekly[-1]["week"]) if weekly else window.as_of
    # The current week is usually partial: it cannot be held to a full week's count.
    full = len(counts) - (1 if (window.as_of - last_monday).days < 6 else 0)
    for n in range(4, full - 1):
        before = sum(counts[:n]) / n
        if min(counts[n:full]) >= max(3, 2 * before):
            return date.fromisoformat(weekly[n]["week"])
    return None


def _samples(rows: Sequence[Row], chosen: Sequence[int]) -> tuple[list[int], list[SampleIncident]]:
    """The window incidents closest to the group's centre first: the representative ones."""
    order = list(chosen)
    if len(chosen) > 2:
        sub = vectors([rows[i] for i in chosen])
        centre = np.asarray(sub.mean(axis=0)).ravel()
        closeness = np.asarray(sub @ centre).ravel()
        order = [chosen[i] for i in np.argsort(-closeness, kind="stable")]
    picked = order[:SAMPLES]
    return order, [
        {
            "incident_id": rows[i].id,
            "number": rows[i].number,
            "opened_at": rows[i].opened_at.isoformat(),
            "short_description": rows[i].short_description,
            "priority": rows[i].priority,
        }
        for i in sorted(picked, key=lambda i: rows[i].opened_at, reverse=True)
    ]


def score_of(
    *, window_count: int, rate_ratio: float | None, high_priority_share: float, kind: str
) -> float:
    """Ranks cards within a line: volume, boosted by how sharply it rose and how urgent.

    count x (1 + log2 of the rate ratio, at least 1) x (1 + half the share of priority 1-2).
    A chronic problem (ratio about 1) scores its volume.
    """
    ratio = rate_ratio if rate_ratio is not None and math.isfinite(rate_ratio) else 8.0
    rise = 1.0 + math.log2(max(ratio, 1.0)) if kind == "rise" else 1.0
    return round(window_count * rise * (1.0 + 0.5 * high_priority_share), 2)


def _related(line: BusinessLine, terms: Sequence[str], service: str, ci: str) -> dict[str, Any]:
    """DILO pain points and meeting notes of the line that mention the system or the words."""
    words = [t for t in terms[:3] if len(t) >= 4]
    systems = [s for s in (service, ci) if s]
    pain_q = Q()
    for s in systems + words:
        pain_q |= Q(system__icontains=s) | Q(description__icontains=s)
    for s in systems:
        # "SAP ERP" as a service, "SAP" as people write it in a pain point.
        first = s.split()[0]
        if len(first) >= 3:
            pain_q |= Q(system__iexact=first)
    pains: list[RelatedPainPoint] = []
    meetings: list[RelatedMeeting] = []
    if pain_q:
        pains = [
            {
                "id": p.pk,
                "observation_id": p.observation_id,
                "description": p.description[:200],
                "system": p.system,
                "hours_lost_per_month": round(float(p.hours_lost_per_month or 0), 1),
            }
            for p in PainPoint.objects.filter(pain_q, observation__line=line).order_by(
                "-hours_lost_per_month", "pk"
            )[:5]
        ]
        meeting_q = Q()
        for s in systems + words:
            meeting_q |= Q(notes__icontains=s)
        for m in Meeting.objects.filter(meeting_q, line=line).order_by("-starts_at", "pk")[:5]:
            meetings.append(
                {
                    "id": m.pk,
                    "title": m.title,
                    "date": timezone.localtime(m.starts_at).date().isoformat(),
                    "snippet": _snippet(m.notes, systems + words),
                }
            )
    return {"pain_points": pains, "meetings": meetings}


def _snippet(text: str, needles: Sequence[str], width: int = 160) -> str:
    lower = text.casefold()
    at = min((p for n in needles if (p := lower.find(n.casefold())) >= 0), default=0)
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def describe(
    line: BusinessLine,
    rows: Sequence[Row],
    candidate: Candidate,
    *,
    window: Window,
    line_window: int,
    line_baseline: int,
) -> Finding:
    chosen = list(candidate.window)
    k, baseline = len(chosen), candidate.baseline_count
    members = candidate.members or chosen
    order, samples = _samples(rows, chosen)
    service = _common([rows[i].service for i in chosen])
    ci = _common([rows[i].configuration_item for i in chosen])
    category = _common([rows[i].category for i in chosen])
    terms = top_terms(rows, chosen)
    hours = round(sum(rows[i].resolve_hours or 0.0 for i in chosen), 1)
    people = len({rows[i].caller for i in chosen if rows[i].caller})
    priorities = Counter(str(rows[i].priority or "none") for i in chosen)
    high = (priorities["1"] + priorities["2"]) / k
    weekly = _weekly(rows, members, window)
    started = onset(weekly, window) if candidate.kind == "rise" else None
    representative = rows[order[0]].short_description.strip() or "Recurring incidents"
    title = f"{representative} ({service})" if service else representative
    suggestion = suggest(
        Problem(
            text=" ".join([*(rows[i].short_description for i in order[:20]), *terms]).casefold(),
            category=category,
            service=service,
            kind=candidate.kind,
            onset=started,
        )
    )
    ratio = _rounded(candidate.rate_ratio)
    before_month = baseline / window.baseline_days * 30
    summary = _summary(
        kind=candidate.kind,
        k=k,
        window_days=window.window_days,
        before_month=before_month,
        hours=hours,
        people=people,
        days=candidate.days,
        started=started,
    )
    evidence: Evidence = {
        "weekly": weekly,
        "samples": samples,
        "top_terms": terms,
        "service": service,
        "configuration_item": ci,
        "category": category,
        "priorities": dict(sorted(priorities.items())),
        "distinct_days": candidate.days,
        "line_window_count": line_window,
        "line_baseline_count": line_baseline,
        "test": TEST_IN_WORDS,
        **_related(line, terms, service, ci),  # type: ignore[typeddict-item]
    }
    return Finding(
        kind=candidate.kind,
        title=title[:300],
        summary=summary,
        suggested_action=suggestion.action,
        action_rule=suggestion.rule,
        window_start=window.start,
        window_end=window.as_of,
        window_count=k,
        previous_count=baseline,
        rate_ratio=ratio,
        ci_low=_rounded(candidate.ci_low),
        ci_high=_rounded(candidate.ci_high),
        p_value=float(f"{candidate.p_value:.3g}"),
        hours_lost=hours,
        people_affected=people,
        score=score_of(
            window_count=k, rate_ratio=ratio, high_priority_share=high, kind=candidate.kind
        ),
        evidence=evidence,
        window_ids=sorted(rows[i].id for i in chosen),
        member_ids=sorted(rows[i].id for i in members),
    )


def _rounded(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 2)


TEST_IN_WORDS = (
    "Rising: an exact one-sided binomial test of the group's window count out of its window "
    "and baseline counts, with the line's own window share as the expected proportion (the "
    "line's total volume is the exposure), Bonferroni-corrected for the groups tested, at 1 %, "
    "and at least a doubling of the rate. Chronic: at least 10 % of the line's window volume, "
    "at least 3 incidents in each of the window's four weeks, steady in the baseline too."
)


def _summary(
    *,
    kind: str,
    k: int,
    window_days: int,
    before_month: float,
    hours: float,
    people: int,
    days: int,
    started: date | None,
) -> str:
    if before_month < 0.75:
        before = "almost none a month before" if before_month < 0.25 else "about 1 a month before"
    else:
        before = f"about {round(before_month)} a month before"
    head = f"{k} incidents in {window_days} days against {before}"
    if kind == "chronic":
        head = f"{k} incidents in {window_days} days, steadily ({before})"
    parts = [head, f"{hours:g} hours lost", f"{people} people affected", f"on {days} days"]
    text = "; ".join(parts) + "."
    if started:
        text += f" The rise starts in the week of {started:%d %B %Y}."
    return text
