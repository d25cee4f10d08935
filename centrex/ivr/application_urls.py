"""Pages of the applications part."""

from __future__ import annotations

urlpatterns: list = []
