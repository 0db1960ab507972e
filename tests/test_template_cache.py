"""Templates are compiled once, and a changed template is read again (development reloads)."""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.template.autoreload import reset_loaders
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template


def _cached_loader() -> Any:
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    loaders: list[Any] = backend.engine.template_loaders
    (partials,) = loaders
    (cached,) = partials.loaders
    return cached


def _compiled(name: str) -> Any:
    wrapper: Any = get_template(name)
    return wrapper.template


def test_templates_are_compiled_once_and_the_cache_empties_on_reload():
    first = _compiled("base.html")
    assert _compiled("base.html") is first
    assert _cached_loader().get_template_cache

    reset_loaders()

    assert not _cached_loader().get_template_cache
    assert _compiled("base.html") is not first
