"""Every model is in the Django admin, and each list and add page renders."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

PROJECT_APPS = {"stakeholders", "meetings", "dilo", "incidents", "recommendations"}


def test_every_project_model_is_registered():
    models = {m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    missing = {m.__name__ for m in models} - {m.__name__ for m in admin.site._registry}
    assert not missing


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS],
    ids=lambda m: m.__name__,
)
def test_admin_pages_render(db, client, model):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code in {
        200,
        403,
    }
