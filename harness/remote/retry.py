"""How long to wait before trying a request again: bounded attempts, exponential backoff, and the
server's own `Retry-After` when it gives one."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    base_delay_s: float = 1.0  # the wait after the first failure; doubled after each further one
    max_delay_s: float = 30.0  # no single wait is longer; a Retry-After beyond it is not waited for

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (1 for the first retry) when the server names none."""
        return min(self.max_delay_s, self.base_delay_s * float(2 ** (retry - 1)))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds from now: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = datetime.fromtimestamp(time.time() if now is None else now, tz=timezone.utc)
    return max(0.0, (when - current).total_seconds())
