"""The dashboard's charts: each one a table of numbers (drawn, summarised for screen readers,
and downloadable as CSV) and a plotly figure of the same numbers.

Figures are plain dicts rendered with ``validate=False``: plotly's figure classes validate
every property in Python, which would cost more than the rest of the page.
"""

from __future__ import annotations

import html
import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import plotly.io as pio
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dashboards.forms import add_months
from dashboards.models import PROACTIVE_FIELDS
from dashboards.queries import Dashboard, Totals, contact_by_month, health_level_of
from stakeholders.charts import grid_layout, grid_traces
from stakeholders.health import HealthLevel
from stakeholders.models import Stance

Cell = str | int | float | None

# How each proactive touchpoint of the roll-ups is drawn; the fields and their order are the
# model's, so the stacked bars always add up to the proactive share's numerator.
_PROACTIVE_STYLE = {
    "meetings_attended": ("Meetings attended", "#0969da"),
    "dilo_sessions": ("DILO sessions", "#54aeff"),
    "cards_shared": ("Cards shared", "#8250df"),
    "cards_accepted": ("Cards accepted", "#bf87ff"),
    "cards_done": ("Cards done", "#1a7f37"),
}
PROACTIVE_SERIES = tuple((key, *_PROACTIVE_STYLE[key]) for key in PROACTIVE_FIELDS)
REACTIVE_COLOUR = "#cf222e"
HEALTH_SCORE = {HealthLevel.AT_RISK: 0, HealthLevel.DUE: 1, HealthLevel.HEALTHY: 2}
HEALTH_COLOURS = [[0, "#cf222e"], [0.5, "#e09a1a"], [1, "#1a7f37"]]


@dataclass
class Chart:
    name: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list[Cell]]
    figure: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def table_html(self) -> SafeString:
        """The numbers as an HTML table, built here rather than in a template loop: a long
        table costs a template a few thousand node renders."""
        head = "".join(f'<th scope="col">{_cell(h)}</th>' for h in self.headers)
        body = "".join(
            f'<tr><th scope="row">{_cell(row[0])}</th>'
            + "".join(f"<td>{_cell(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return mark_safe(  # noqa: S308 - every cell is escaped above
            f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def html(self) -> str:
        if self.figure is None:
            return ""
        rendered: str = pio.to_html(
            self.figure,
            full_html=False,
            include_plotlyjs=False,
            validate=False,
            # A fresh id per render: htmx's settle step would strip plotly's classes otherwise.
            div_id=f"chart-{self.name}-{secrets.token_hex(3)}",
            config={"displaylogo": False, "responsive": True},
        )
        return rendered


def _cell(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return html.escape(value)
    return str(value)


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": 360,
        "margin": {"l": 50, "r": 50, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def _work_traces(x: list[Any], totals: list[Totals]) -> list[dict[str, Any]]:
    """Reactive incidents and the proactive touchpoints side by side, the proactive kinds
    stacked on each other (explicit bases: plotly's grouped mode does not stack by itself),
    and the proactive share as a line on the right axis."""
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Incidents (reactive)",
            "x": x,
            "y": [t["incidents"] for t in totals],
            "offsetgroup": "reactive",
            "marker": {"color": REACTIVE_COLOUR},
            "customdata": [round(t["hours_to_resolve"], 1) for t in totals],
            "hovertemplate": "%{y} incidents, %{customdata} h to resolve",
        }
    ]
    base = [0.0] * len(totals)
    for key, label, colour in PROACTIVE_SERIES:
        values = [t[key] for t in totals]  # type: ignore[literal-required]
        traces.append(
            {
                "type": "bar",
                "name": label,
                "x": x,
                "y": values,
                "base": list(base),
                "offsetgroup": "proactive",
                "marker": {"color": colour},
            }
        )
        base = [b + v for b, v in zip(base, values, strict=True)]
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Proactive share",
            "x": x,
            "y": [percent(t["share"]) for t in totals],
            "yaxis": "y2",
            "line": {"color": "#24292f"},
            "hovertemplate": "%{y}% proactive",
        }
    )
    return traces


def _work_layout() -> dict[str, Any]:
    return _layout(
        barmode="group",
        yaxis={"title": {"text": "Touchpoints"}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": "Proactive share (%)"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "showgrid": False,
        },
    )


WORK_HEADERS = [
    "Incidents",
    "Hours to resolve",
    "Meetings attended",
    "DILO sessions",
    "Cards shared",
    "Cards accepted",
    "Cards done",
    "Proactive share (%)",
]


def _work_cells(t: Totals) -> list[Cell]:
    return [
        int(t["incidents"]),
        round(t["hours_to_resolve"], 1),
        *(int(t[key]) for key, _, _ in PROACTIVE_SERIES),  # type: ignore[literal-required]
        percent(t["share"]),
    ]


def work(data: Dashboard) -> Chart:
    months = list(data.months)
    totals = list(data.months.values())
    share = percent(data.total["share"])
    return Chart(
        name="work",
        title="Reactive and proactive work, all selected lines",
        summary=(
            f"From {month_label(data.filters.start)} to {month_label(data.filters.end)}: "
            f"{int(data.total['incidents'])} incidents against {data.total['proactive']} "
            f"proactive touchpoints; proactive share "
            f"{'not measurable' if share is None else f'{share}%'}."
        ),
        headers=["Month", *WORK_HEADERS],
        rows=[[f"{m:%Y-%m}", *_work_cells(t)] for m, t in zip(months, totals, strict=True)],
        figure={
            "data": _work_traces([month_label(m) for m in months], totals),
            "layout": _work_layout(),
        },
    )


def work_by_line(data: Dashboard) -> Chart:
    names: list[str] = []
    labels: list[str] = []
    totals: list[Totals] = []
    rows: list[list[Cell]] = []
    for line_row in data.lines:
        for month, t in line_row.months.items():
            names.append(line_row.line.name)
            labels.append(f"{month:%b %y}")
            totals.append(t)
            rows.append([line_row.line.name, f"{month:%Y-%m}", *_work_cells(t)])
    busiest = max(data.lines, key=lambda r: r.total["incidents"], default=None)
    most_proactive = max(data.lines, key=lambda r: r.total["share"] or 0, default=None)
    summary = "No line chosen."
    if busiest and most_proactive:
        summary = (
            f"{len(data.lines)} lines. Most incidents: {busiest.line.name} "
            f"({int(busiest.total['incidents'])}); highest proactive share: "
            f"{most_proactive.line.name} ({percent(most_proactive.total['share']) or 0}%)."
        )
    layout = _work_layout()
    layout["xaxis"] = {"type": "multicategory", "tickangle": -90}
    layout["height"] = 420
    return Chart(
        name="work-by-line",
        title="Reactive and proactive work, per line and month",
        summary=summary,
        headers=["Line", "Month", *WORK_HEADERS],
        rows=rows,
        figure={"data": _work_traces([names, labels], totals), "layout": layout},
    )


def coverage(data: Dashboard) -> Chart:
    today = timezone.localdate()
    rows: list[list[Cell]] = []
    overdue: list[str] = []
    for r in data.lines:
        last = r.line.last_contact()
        days = (today - last).days if last else None
        late = days is None or days > r.line.contact_cadence_days
        if late:
            overdue.append(r.line.name)
        rows.append(
            [
                r.line.name,
                int(r.total["meetings_held"]),
                int(r.total["meetings_attended"]),
                percent(r.attendance),
                last.isoformat() if last else None,
                r.line.contact_cadence_days,
                "yes" if late else "no",
                r.health.label,
            ]
        )
    held = data.total["meetings_held"]
    rate = percent(data.total["meetings_attended"] / held) if held else None
    summary = (
        f"IT attended {int(data.total['meetings_attended'])} of {int(held)} meetings held "
        f"({'—' if rate is None else f'{rate}%'}). "
        + (
            f"No contact for longer than the cadence: {', '.join(overdue)}."
            if overdue
            else "Every line had contact within its cadence."
        )
    )
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [row[3] or 0 for row in rows],
                "y": [row[0] for row in rows],
                "marker": {
                    "color": [REACTIVE_COLOUR if row[6] == "yes" else "#0969da" for row in rows]
                },
                "customdata": [[row[2], row[1]] for row in rows],
                "hovertemplate": "%{x}%: %{customdata[0]} of %{customdata[1]}<extra></extra>",
                "name": "Attendance rate",
            }
        ],
        "layout": _layout(
            height=max(200, 28 * len(rows) + 60),
            xaxis={"title": {"text": "Meetings attended (%)"}, "range": [0, 100]},
            yaxis={"autorange": "reversed"},
            hovermode="closest",
            margin={"l": 140, "r": 20, "t": 10, "b": 40},
        ),
    }
    return Chart(
        name="coverage",
        title="Meeting coverage",
        summary=summary,
        headers=[
            "Line",
            "Meetings held",
            "Meetings attended",
            "Attendance rate (%)",
            "Last contact",
            "Cadence (days)",
            "Overdue",
            "Health now",
        ],
        rows=rows,
        figure=figure,
        notes=overdue,
    )


def funnel(data: Dashboard) -> Chart:
    t = data.total
    stages = [
        ("New", t["cards_created"]),
        ("Reviewed", t["cards_reviewed"]),
        ("Shared", t["cards_shared"]),
        ("Accepted", t["cards_accepted"]),
        ("Done", t["cards_done"]),
    ]
    answered = t["cards_accepted"] + t["cards_declined"]
    acceptance = percent(t["cards_accepted"] / answered) if answered else None
    to_share, to_answer = data.medians["card_to_share"], data.medians["share_to_answer"]
    rows: list[list[Cell]] = [[name, int(n)] for name, n in stages]
    rows += [
        ["Declined", int(t["cards_declined"])],
        ["Acceptance rate (%)", acceptance],
        ["Median days, card to share", to_share],
        ["Median days, share to answer", to_answer],
    ]

    def show(value: float | None, unit: str) -> str:
        return "—" if value is None else f"{value}{unit}"

    return Chart(
        name="funnel",
        title="Card funnel",
        summary=(
            ", ".join(f"{int(n)} {name.lower()}" for name, n in stages)
            + f". Acceptance rate {show(acceptance, '%')}; median {show(to_share, ' days')} "
            f"from card to share and {show(to_answer, ' days')} from share to answer."
        ),
        headers=["Measure", "Value"],
        rows=rows,
        figure={
            "data": [
                {
                    "type": "funnel",
                    "y": [name for name, _ in stages],
                    "x": [int(n) for _, n in stages],
                    "textinfo": "value+percent initial",
                    "marker": {"color": "#8250df"},
                }
            ],
            "layout": _layout(
                height=300, hovermode="closest", margin={"l": 90, "r": 20, "t": 10, "b": 20}
            ),
        },
    )


def avoided(data: Dashboard) -> Chart:
    months = list(data.months)
    values = [round(t["incidents_avoided"], 1) for t in data.months.values()]
    done = [int(t["cards_done"]) for t in data.months.values()]
    return Chart(
        name="avoided",
        title="Incidents avoided after done cards",
        summary=(
            f"{sum(done)} cards done in the period; an estimated "
            f"{round(data.total['incidents_avoided'])} incidents avoided since "
            "(each card's weekly problem rate from its first incident, at most 12 weeks "
            "before it was done, projected over the weeks since, less the incidents that "
            "still came)."
        ),
        headers=["Month", "Cards done", "Incidents avoided"],
        rows=[[f"{m:%Y-%m}", d, v] for m, d, v in zip(months, done, values, strict=True)],
        figure={
            "data": [
                {
                    "type": "bar",
                    "name": "Incidents avoided",
                    "x": [month_label(m) for m in months],
                    "y": values,
                    "customdata": done,
                    "marker": {"color": "#1a7f37"},
                    "hovertemplate": "%{y} avoided by %{customdata} cards done",
                }
            ],
            "layout": _layout(height=280),
        },
    )


def rises(data: Dashboard) -> Chart:
    rows: list[list[Cell]] = [
        [
            card.line.name,
            card.title,
            round(card.score, 2),
            card.window_count,
            None if card.rate_ratio is None else round(card.rate_ratio, 1),
            card.get_status_display(),
        ]
        for card in data.rises
    ]
    top = data.rises[0] if data.rises else None
    return Chart(
        name="rises",
        title="Top rising problems this month",
        summary=(
            f"{len(rows)} rising problems; the highest scored: {top.title} ({top.line.name})."
            if top
            else "No rising problem seen this month."
        ),
        headers=["Line", "Problem", "Score", "Incidents in window", "Rate ratio", "Status"],
        rows=rows,
    )


def pain_map(data: Dashboard) -> Chart:
    """The power/interest grid of the chosen lines' stakeholders, each point sized by the
    incidents its line raised in the period (the line's IT pain)."""
    burden = {r.line.name: int(r.total["incidents"]) for r in data.lines}
    heaviest = max(burden.values(), default=0)

    def size(person: Mapping[str, Any]) -> float:
        share = burden.get(person["line__name"], 0) / heaviest if heaviest else 0
        return round(8 + 26 * math.sqrt(share), 1)

    traces = grid_traces(data.stakeholders, show_line=True, size=size)
    figure = {"data": traces, "layout": grid_layout()}
    rows: list[list[Cell]] = [
        [
            p["name"],
            p["line__name"],
            p["influence"],
            p["interest"],
            str(Stance(p["stance"]).label),
            burden.get(p["line__name"], 0),
        ]
        for p in data.stakeholders
    ]
    pained = sorted(burden.items(), key=lambda item: -item[1])[:3]
    return Chart(
        name="map",
        title="Stakeholder map weighted by IT pain",
        summary=(
            f"{len(rows)} stakeholders; points are larger where their line raised more incidents. "
            "Heaviest lines: " + ", ".join(f"{name} ({n})" for name, n in pained) + "."
        ),
        headers=["Stakeholder", "Line", "Influence", "Interest", "Stance", "Line incidents"],
        rows=rows,
        figure=figure,
    )


def health(data: Dashboard) -> Chart:
    today = timezone.localdate()
    months = list(data.months)
    z: list[list[int]] = []
    rows: list[list[Cell]] = []
    for r in data.lines:
        contacts = contact_by_month(r)
        levels = []
        for month in months:
            end = min(add_months(month, 1) - timedelta(days=1), today)
            levels.append(
                health_level_of(contacts[month], month_end=end, cadence=r.line.contact_cadence_days)
                if month <= today
                else None
            )
        z.append([HEALTH_SCORE[level] if level else None for level in levels])  # type: ignore[misc]
        rows.append([r.line.name, *(level.label if level else None for level in levels)])
    last = [row[-1] for row in rows]
    at_risk = [str(row[0]) for row in rows if row[-1] == HealthLevel.AT_RISK.label]
    return Chart(
        name="health",
        title="Relationship health, lines by months",
        summary=(
            f"In {month_label(months[-1])}: {last.count(HealthLevel.HEALTHY.label)} healthy, "
            f"{last.count(HealthLevel.DUE.label)} contact due, {len(at_risk)} at risk"
            + (f" ({', '.join(at_risk)})." if at_risk else ".")
        ),
        headers=["Line", *(f"{m:%Y-%m}" for m in months)],
        rows=rows,
        figure={
            "data": [
                {
                    "type": "heatmap",
                    "x": [month_label(m) for m in months],
                    "y": [r.line.name for r in data.lines],
                    "z": z,
                    "zmin": 0,
                    "zmax": 2,
                    "colorscale": HEALTH_COLOURS,
                    "xgap": 2,
                    "ygap": 2,
                    "colorbar": {
                        "tickvals": [0, 1, 2],
                        "ticktext": ["At risk", "Contact due", "Healthy"],
                    },
                    "hovertemplate": "%{y}, %{x}<extra></extra>",
                }
            ],
            "layout": _layout(
                height=max(220, 26 * len(rows) + 80),
                yaxis={"autorange": "reversed"},
                hovermode="closest",
                margin={"l": 140, "r": 20, "t": 10, "b": 40},
            ),
        },
    )


CHARTS: dict[str, Callable[[Dashboard], Chart]] = {
    "work": work,
    "work-by-line": work_by_line,
    "coverage": coverage,
    "funnel": funnel,
    "avoided": avoided,
    "rises": rises,
    "map": pain_map,
    "health": health,
}


def all_charts(data: Dashboard) -> list[Chart]:
    return [build(data) for build in CHARTS.values()]
