"""REST API of the contact center (mounted at /api/v1 by centrex/api/main.py). Each part of
the app has its own router module, gathered here."""

from ninja import Router

router = Router(tags=["contact center"])

from centrex.contact_center import recording_api  # noqa: E402 - recordings part

router.add_router("", recording_api.router)

from centrex.contact_center import supervision_api  # noqa: E402 - supervision part

router.add_router("", supervision_api.router)

from centrex.contact_center import agent_api  # noqa: E402 - agents part

router.add_router("", agent_api.router)

from centrex.contact_center import queue_api  # noqa: E402 - queues part

router.add_router("", queue_api.router)
