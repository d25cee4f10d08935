"""REST API of voicemail (mounted by centrex/api/main.py)."""

from ninja import Router

router = Router(tags=["voicemail"])
