"""Django settings: one module, driven by environment variables (see docs/configuration.md)."""

from centrex.settings.base import *
