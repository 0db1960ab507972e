from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.personas import Personas


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
