from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest that went through django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def template_for(request: HtmxHttpRequest, page: str, fragment: str) -> str:
    """One view, two renderings: the whole page, or only its fragment for htmx."""
    return f"{page}#{fragment}" if request.htmx and not request.htmx.boosted else page
