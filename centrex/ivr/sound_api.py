"""REST API of the sounds part (registered in centrex/api/main.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["sounds"])
