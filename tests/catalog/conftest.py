from __future__ import annotations

import sys
from pathlib import Path

# The audit tests' helpers (a throwaway server, projects on disk) serve the catalog tests too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "audit"))

from audit_support import pg_server

__all__ = ["pg_server"]
