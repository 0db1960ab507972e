"""Small plotly charts of a card, built on the server and embedded without plotly.js."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import plotly.graph_objects as go

from recommendations.evidence import WeekCount
from recommendations.queries import BeforeAfter

_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
_LAYOUT = {
    "height": 240,
    "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
    "plot_bgcolor": "#ffffff",
    "bargap": 0.15,
    "yaxis": {"title": {"text": "Incidents a week"}, "rangemode": "tozero"},
}


def _html(fig: go.Figure, div_id: str) -> str:
    html: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        # A fresh id on every render, so htmx's settle step never mixes two renders.
        div_id=f"{div_id}-{secrets.token_hex(3)}",
        config=_CONFIG,
    )
    return html


def weekly_html(weekly: Sequence[WeekCount], *, div_id: str) -> str:
    """The weekly incident counts of a card's evidence as bars (the stakeholder view)."""
    if not weekly:
        return ""
    fig = go.Figure(
        go.Bar(
            x=[point["week"] for point in weekly],
            y=[point["count"] for point in weekly],
            marker_color="#0969da",
            hovertemplate="Week of %{x}: %{y}<extra></extra>",
        )
    )
    fig.update_layout(**_LAYOUT)
    return _html(fig, div_id)


def before_after_html(numbers: BeforeAfter, *, div_id: str) -> str:
    """Incidents a week before (grey) and after (green) a card was done, the done date marked."""
    if not numbers["weeks"]:
        return ""
    weeks = numbers["weeks"]
    fig = go.Figure()
    # The week of the done date holds both: its bar is split where the work was done.
    for key, name, colour in (("before", "Before", "#8c959f"), ("after", "After", "#1a7f37")):
        fig.add_trace(
            go.Bar(
                name=name,
                x=[point["week"] for point in weeks],
                y=[point[key] for point in weeks],  # type: ignore[literal-required]
                marker_color=colour,
                hovertemplate="Week of %{x}: %{y}<extra>" + name + "</extra>",
            )
        )
    fig.add_hline(
        y=numbers["before_rate"],
        line_dash="dot",
        line_color="#9a6700",
        annotation_text="before rate",
        annotation_position="top left",
    )
    fig.update_layout(**_LAYOUT, legend={"orientation": "h", "y": -0.25}, barmode="stack")
    return _html(fig, div_id)
