"""`{% evidence_chart card %}`: the weekly counts of a card's evidence as a plotly bar chart."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from recommendations.charts import weekly_html
from recommendations.models import Card

register = template.Library()


@register.simple_tag
def evidence_chart(card: Card) -> SafeString:
    weekly = card.evidence.get("weekly", []) if isinstance(card.evidence, dict) else []
    # weekly_html builds the figure with plotly from numbers only: nothing user-typed in it.
    return mark_safe(weekly_html(weekly, div_id=f"evidence-{card.pk}"))  # noqa: S308
