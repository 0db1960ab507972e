from __future__ import annotations

app_name = "dilo"
urlpatterns: list = []
