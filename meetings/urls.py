from __future__ import annotations

app_name = "meetings"
urlpatterns: list = []
