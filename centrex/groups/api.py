"""REST API of groups (mounted by centrex/api/main.py)."""

from ninja import Router

router = Router(tags=["groups"])
