from __future__ import annotations

from django.apps import AppConfig


class ItrmConfig(AppConfig):
    name = "itrm"
    verbose_name = "itrm"
