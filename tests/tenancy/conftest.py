from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "audit"))

from audit_support import pg_server  # noqa: E402

__all__ = ["pg_server"]
