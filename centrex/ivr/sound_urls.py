"""Pages of the sounds part."""

from __future__ import annotations

urlpatterns: list = []
