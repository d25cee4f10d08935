"""The managed Asterisk runtime (development, tests, CI and the demo)."""

from centrex.pbx.runtime.build import BuildError, build, is_built
from centrex.pbx.runtime.instance import Instance, RuntimeFailure, free_ports

__all__ = ["BuildError", "Instance", "RuntimeFailure", "build", "free_ports", "is_built"]
