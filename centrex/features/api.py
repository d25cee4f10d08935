"""REST API of features (mounted by centrex/api/main.py)."""

from ninja import Router

router = Router(tags=["features"])
