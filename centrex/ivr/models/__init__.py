"""Models of the voice applications, one module per part (sounds, calendars, applications)."""

from centrex.ivr.models.applications import *  # noqa: F403
from centrex.ivr.models.calendars import *  # noqa: F403
from centrex.ivr.models.sounds import *  # noqa: F403
