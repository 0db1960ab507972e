from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.personas import Personas

# Playwright's sync API keeps an event loop running in the main thread for the whole
# session once the browser starts, and Django then refuses every synchronous ORM call of
# later fixtures. The portal has no async code, so the guard is lifted for the test run.
# (tests/test_settings.py removes it again for `check --deploy`, which rightly objects.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tests run Celery tasks in-process, even with REDIS_URL set; the integration tests
    (marked ``integration``) switch to a real worker themselves."""
    from itrm.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Hashing with PBKDF2 costs ~0.3 s a user; tests need no real hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db: None) -> Personas:
    return Personas.create()


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client logged in as ``user`` (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


HTMX = {"HTTP_HX_REQUEST": "true"}
