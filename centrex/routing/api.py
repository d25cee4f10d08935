"""REST API of routing (mounted by centrex/api/main.py)."""

from ninja import Router

router = Router(tags=["routing"])
