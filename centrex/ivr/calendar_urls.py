"""Pages of the calendars part."""

from __future__ import annotations

urlpatterns: list = []
