"""Templates are compiled once, and a changed template is read again (development reloads)."""

from __future__ import annotations

from django.template import engines
from django.template.autoreload import reset_loaders
from django.template.loader import get_template


def _cached_loader():
    (partials,) = engines["django"].engine.template_loaders
    (cached,) = partials.loaders
    return cached


def test_templates_are_compiled_once_and_the_cache_empties_on_reload():
    first = get_template("base.html")
    assert get_template("base.html").template is first.template
    assert _cached_loader().get_template_cache

    reset_loaders()

    assert not _cached_loader().get_template_cache
    assert get_template("base.html").template is not first.template
