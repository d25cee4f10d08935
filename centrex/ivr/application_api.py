"""REST API of the applications part (registered in centrex/api/main.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["applications"])
