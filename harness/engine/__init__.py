"""Where a PostgreSQL comes from: the embedded local engine (default), docker, or a URL.

`LocalEngine`, `Server` and `PLATFORM_DB` are imported on first use, so importing a light module of
this package (the time limits, the binaries' lookup) does not start psycopg and the engines.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {"LocalEngine": "harness.engine.local", "PLATFORM_DB": "harness.engine.server", "Server": "harness.engine.server"}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'harness.engine' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)


__all__ = sorted(_EXPORTS)
