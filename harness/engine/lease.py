"""Scratch databases on a server the harness does not own (`--db-url`) carry the run's lease.

Each run picks a lease id, holds an advisory lock on it for its whole life (one idle session), and
names every database it creates `hlease_<id>_…`. A run killed with SIGKILL cannot drop its databases;
the next run on that server drops every `hlease_` database whose lock nobody holds (its run is gone),
and never touches another name or a live run's databases. Advisory locks belong to a database, so the
lock is always taken in the server's admin database.
"""

from __future__ import annotations

import re
import secrets

import psycopg
from psycopg import sql

PREFIX = "hlease_"
_NAME = re.compile(rf"^{PREFIX}([0-9a-f]{{12}})_")
LOCK_CLASS = 0x4841524E  # "HARN": the first key of pg_advisory_lock(int, int)


def lease_key(lease_id: str) -> tuple[int, int]:
    return LOCK_CLASS, int(lease_id[:8], 16) - 2**31


class Lease:
    """Held from `acquire` until `release` (or the process's death, which ends the session)."""

    def __init__(self, conninfo: str) -> None:
        self.id = secrets.token_hex(6)
        self.prefix = f"{PREFIX}{self.id}_"
        self._conninfo = conninfo
        self._conn: psycopg.Connection | None = None

    def acquire(self) -> None:
        self._conn = psycopg.connect(self._conninfo, autocommit=True, application_name="harness-lease")
        self._conn.execute("select pg_advisory_lock(%s, %s)", lease_key(self.id))

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def sweep_expired(conn: psycopg.Connection) -> list[str]:
    """Drop the `hlease_` databases whose run is gone (their lock is free); the names dropped."""
    names = [name for (name,) in conn.execute(
        "select datname from pg_database where datname like %s", (PREFIX.replace("_", r"\_") + "%",))]
    dropped = []
    for name in names:
        match = _NAME.match(name)
        if match is None:
            continue
        key = lease_key(match.group(1))
        (free,) = conn.execute("select pg_try_advisory_lock(%s, %s)", key).fetchone() or (False,)
        if not free:
            continue  # a live run holds it
        try:
            conn.execute(sql.SQL("alter database {} is_template false").format(sql.Identifier(name)))
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
            dropped.append(name)
        except psycopg.Error:
            pass  # not ours to drop after all (owner, permissions): leave it
        finally:
            conn.execute("select pg_advisory_unlock(%s, %s)", key)
    return dropped
