"""Where a PostgreSQL comes from: the embedded local engine (default), docker, or a URL."""

from harness.engine.local import LocalEngine
from harness.engine.server import PLATFORM_DB, Server

__all__ = ["LocalEngine", "PLATFORM_DB", "Server"]
