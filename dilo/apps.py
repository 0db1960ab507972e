from __future__ import annotations

from django.apps import AppConfig


class DiloConfig(AppConfig):
    name = "dilo"
    verbose_name = "DILO: a day in the life of"
