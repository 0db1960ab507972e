"""The power/interest grid as a plotly figure, built on the server."""

from __future__ import annotations

import functools
import secrets
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from django.urls import reverse

from stakeholders.models import Quadrant, Stakeholder, Stance

STANCE_COLOURS: dict[str, str] = {
    Stance.CHAMPION: "#1a7f37",
    Stance.SUPPORTER: "#6cc644",
    Stance.NEUTRAL: "#8c959f",
    Stance.SCEPTIC: "#e09a1a",
    Stance.BLOCKER: "#cf222e",
}

# Where each quadrant's label sits: (x, y, anchor) in data coordinates.
_QUADRANT_LABELS = [
    (Quadrant.KEEP_SATISFIED, 0.6, 5.45, "left"),
    (Quadrant.MANAGE_CLOSELY, 5.4, 5.45, "right"),
    (Quadrant.MONITOR, 0.6, 0.55, "left"),
    (Quadrant.KEEP_INFORMED, 5.4, 0.55, "right"),
]

# Opens the stakeholder's page when a point is clicked; plotly fills in {plot_id}.
CLICK_TO_OPEN = """
var grid = document.getElementById('{plot_id}');
grid.on('plotly_click', function (event) {
  var point = event.points && event.points[0];
  if (point && point.customdata) { window.location.assign(point.customdata[0]); }
});
"""


def _jitter(pk: int, axis: str) -> float:
    """A small, stable offset so people with the same scores do not hide each other."""
    return ((zlib.crc32(f"{pk}:{axis}".encode()) % 1000) / 1000 - 0.5) * 0.5


def power_interest_figure(stakeholders: Iterable[Stakeholder], *, show_line: bool) -> go.Figure:
    by_stance: dict[str, list[Stakeholder]] = {stance: [] for stance in Stance.values}
    for person in stakeholders:
        by_stance[person.stance].append(person)

    fig = go.Figure()
    for stance, people in by_stance.items():
        if not people:
            continue
        fig.add_trace(
            go.Scatter(
                name=Stance(stance).label,
                mode="markers",
                x=[p.interest + _jitter(p.pk, "x") for p in people],
                y=[p.influence + _jitter(p.pk, "y") for p in people],
                marker={"size": 13, "color": STANCE_COLOURS[stance], "line": {"width": 1}},
                customdata=[
                    [p.get_absolute_url(), p.name, p.title, p.line.name if show_line else ""]
                    for p in people
                ],
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{customdata[2]}"
                    + ("<br>%{customdata[3]}" if show_line else "")
                    + "<extra>"
                    + str(Stance(stance).label)
                    + "</extra>"
                ),
            )
        )
    for quadrant, x, y, anchor in _QUADRANT_LABELS:
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{quadrant.label}</b>",
            showarrow=False,
            xanchor=anchor,
            font={"color": "#57606a", "size": 12},
        )
    fig.add_shape(
        type="rect",
        x0=3.5,
        x1=5.5,
        y0=3.5,
        y1=5.5,
        fillcolor="#fff1f0",
        line_width=0,
        layer="below",
    )
    fig.add_vline(x=3.5, line_dash="dot", line_color="#afb8c1")
    fig.add_hline(y=3.5, line_dash="dot", line_color="#afb8c1")
    axis = {"range": [0.4, 5.6], "tickvals": [1, 2, 3, 4, 5], "zeroline": False, "showgrid": False}
    fig.update_layout(
        xaxis={**axis, "title": {"text": "Interest"}},
        yaxis={**axis, "title": {"text": "Influence (power)"}},
        height=460,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="#ffffff",
        clickmode="event",
        hovermode="closest",
    )
    return fig


@functools.cache
def grid_layout() -> dict[str, Any]:
    """The grid's layout (quadrants, labels, axes), taken once per process from the figure above
    so that every grid looks alike."""
    layout: dict[str, Any] = power_interest_figure([], show_line=True).to_plotly_json()["layout"]
    layout.pop("template", None)  # plotly.js's defaults suffice; the template is 10 kB a page
    return layout


def grid_traces(
    people: Iterable[Mapping[str, Any]],
    *,
    show_line: bool,
    size: Callable[[Mapping[str, Any]], float] | None = None,
) -> list[dict[str, Any]]:
    """The grid's points, one trace per stance, as plain dicts: plotly's trace classes would
    validate each of hundreds of points in Python, which costs more than the rest of a page.

    Each person is a mapping with pk, name, title, influence, interest, stance, line__name.
    """
    by_stance: dict[str, list[Mapping[str, Any]]] = {stance: [] for stance in Stance.values}
    for person in people:
        by_stance[person["stance"]].append(person)
    # One reverse() for all: the pattern is fixed, and hundreds of reverse() calls are not free.
    url = reverse("stakeholders:stakeholder_detail", args=[0]).replace("/0/", "/{}/")
    return [
        {
            "type": "scatter",
            "name": str(Stance(stance).label),
            "mode": "markers",
            "x": [p["interest"] + _jitter(p["pk"], "x") for p in group],
            "y": [p["influence"] + _jitter(p["pk"], "y") for p in group],
            "marker": {
                "size": [size(p) for p in group] if size else 13,
                "color": STANCE_COLOURS[stance],
                "line": {"width": 1},
                "opacity": 0.8 if size else 1,
            },
            "customdata": [
                [url.format(p["pk"]), p["name"], p["title"], p["line__name"] if show_line else ""]
                for p in group
            ],
            "hovertemplate": "<b>%{customdata[1]}</b><br>%{customdata[2]}"
            + ("<br>%{customdata[3]}" if show_line else "")
            + f"<extra>{Stance(stance).label}</extra>",
        }
        for stance, group in by_stance.items()
        if group
    ]


def grid_html(stakeholders: Iterable[Stakeholder], *, div_id: str, show_line: bool) -> str:
    people = [
        {
            "pk": p.pk,
            "name": p.name,
            "title": p.title,
            "influence": p.influence,
            "interest": p.interest,
            "stance": p.stance,
            "line__name": p.line.name if show_line else "",
        }
        for p in stakeholders
    ]
    figure = {"data": grid_traces(people, show_line=show_line), "layout": grid_layout()}
    html: str = pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        validate=False,
        # A fresh id on every render: htmx's settle step copies attributes between old and
        # new elements of the same id, which would strip the classes plotly adds.
        div_id=f"{div_id}-{secrets.token_hex(3)}",
        post_script=CLICK_TO_OPEN,
        config={"displaylogo": False, "responsive": True},
    )
    return html
