"""Shared fixtures and helpers of the incident page tests (no tests here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import ImportBatch, Incident
from stakeholders.models import BusinessLine

FILES = Path(__file__).parent / "files"
BASE = timezone.make_aware(datetime(2024, 3, 1, 9, 0))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Uploads land in the test's own directory, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(name="manager")
def manager_client(personas, client_for) -> Client:
    """A client logged in as the manager (imported as ``manager_client``, used as ``manager``)."""
    return client_for(personas.manager)


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes())


def text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def upload(client: Client, file: SimpleUploadedFile, **fields: Any) -> Any:
    data = {
        "file": file,
        "source": "servicenow",
        "time_zone": "Europe/London",
        "create_lines": "on",
        **fields,
    }
    return client.post(reverse("incidents:import_new"), data)


def uploaded(client: Client, file: SimpleUploadedFile, **fields: Any) -> ImportBatch:
    response = upload(client, file, **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def mapping_post(batch: ImportBatch, **extra: str) -> dict[str, str]:
    """The mapping form as the page preselects it, with ``extra`` changes."""
    data = dict(batch.mapping)
    data.update(date_order=batch.date_order, save_as="")
    data.update(extra)
    return data


def make_incidents(
    count: int, *, line: BusinessLine | None = None, **fields: Any
) -> list[Incident]:
    """``count`` incidents, three to each opened_at (so ties are broken by id)."""
    return Incident.objects.bulk_create(
        Incident(
            source="servicenow",
            number=f"INC{i:07d}",
            opened_at=BASE + timedelta(hours=i // 3),
            line=line,
            row_hash="0" * 32,
            **fields,
        )
        for i in range(count)
    )
