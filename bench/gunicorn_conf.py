"""gunicorn settings of the load run: the master imports the whole URLconf (the views, plotly,
scikit-learn: tens of seconds on a busy machine) once, before it forks the workers, so no
worker is killed by the timeout while it imports on its first request."""

from __future__ import annotations

from typing import Any

preload_app = True
timeout = 120


def when_ready(server: Any) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
