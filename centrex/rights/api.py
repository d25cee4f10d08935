"""REST API of rights (mounted by centrex/api/main.py)."""

from ninja import Router

router = Router(tags=["rights"])
