"""ASGI entry point: one process serves the web, the API and (later) the event streams."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")
application = get_asgi_application()
