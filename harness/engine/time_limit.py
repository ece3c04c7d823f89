"""`--timeout`: how long one migration file, the seed, one suite or one probe may run.

A statement_timeout would not do: the project's own SQL can `SET statement_timeout = 0`. The limit is a
timer on our side that cancels the running statement, again every second until the block ends (a
cancel that arrives between two statements is lost); a text that catches the cancel
(`exception when query_canceled`) has its backend terminated a few seconds later. Whatever it does, it
stops.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import psycopg

RECANCEL_S = 1.0
CANCELS_BEFORE_TERMINATE = 3


@dataclass(frozen=True)
class Limit:
    seconds: float | None  # None or 0: no limit
    terminate: Callable[[int], None] | None = None  # ends a backend by pid, from another session


class Deadline:
    """Set once the limit has passed; the caller then reports a `timeout` finding."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._passed = threading.Event()

    @property
    def passed(self) -> bool:
        return self._passed.is_set()

    def describe(self, what: str) -> str:
        return f"{what} ran longer than {self.seconds:g} s, the time limit (--timeout), and was stopped"


@contextmanager
def time_limit(conn: psycopg.Connection, limit: Limit | None) -> Iterator[Deadline]:
    """Stop what `conn` runs once the limit has passed."""
    seconds = limit.seconds if limit else None
    deadline = Deadline(seconds or 0.0)
    if not limit or not seconds:
        yield deadline
        return
    done = threading.Event()
    pid = conn.info.backend_pid

    def watch() -> None:
        if done.wait(seconds):
            return
        deadline._passed.set()
        cancels = 0
        while not done.is_set():
            try:
                if cancels < CANCELS_BEFORE_TERMINATE or limit.terminate is None:
                    conn.cancel()
                else:
                    limit.terminate(pid)
            except (psycopg.Error, OSError):
                return
            cancels += 1
            done.wait(RECANCEL_S)

    watcher = threading.Thread(target=watch, name="harness-time-limit", daemon=True)
    watcher.start()
    try:
        yield deadline
    finally:
        done.set()
        watcher.join()
