from __future__ import annotations

from django.apps import AppConfig


class DiloConfig(AppConfig):
    name = "dilo"
