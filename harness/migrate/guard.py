"""A migration that ends sessions: its own (`pg_terminate_backend(pg_backend_pid())`) or everyone
else's. Either is a `migration-error` found on the first pass, where nothing else runs yet, so the
outcome does not depend on which of the later checks it would have hit. A server that is gone
altogether is the harness's fault, not the project's: exit 2."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

import psycopg

from harness.engine.server import Server
from harness.engine.untrusted import LostSession
from harness.findings import HarnessError
from harness.sql.discovery import MigrationFile
from harness.sql.source import SourceText
from harness.migrate.apply import ApplyError, apply_file

_TERMINATE = re.compile(r"pg_terminate_backend|pg_cancel_backend", re.IGNORECASE)
CANARY_APP = "harness-canary"


@contextmanager
def canary_session(server: Server, dbname: str) -> Iterator[psycopg.Connection]:
    """An idle session on the database the migrations run in, as the other checks' sessions are."""
    conn = psycopg.connect(server.conninfo(dbname), autocommit=True, application_name=CANARY_APP)
    try:
        yield conn
    finally:
        conn.close()


def server_alive(server: Server) -> bool:
    try:
        psycopg.connect(server.conninfo(server.admin_db), connect_timeout=5).close()
        return True
    except psycopg.OperationalError:
        return False


def lost_server(server: Server, what: str) -> HarnessError:
    return HarnessError(
        f"the PostgreSQL server stopped while {what} (killed, out of memory or out of disk?): "
        "this is the harness's environment, not the project; run it again"
    )


def apply_file_guarded(
    server: Server, conn: psycopg.Connection, migration: MigrationFile, shown: str, canary: psycopg.Connection
) -> ApplyError | None:
    """apply_file, plus: a lost session is a finding (or exit 2 when the server is gone), and so is a
    file after which the idle canary session no longer answers."""
    try:
        error = apply_file(conn, migration, shown, limit=server.limit())
    except LostSession as lost:
        if not server_alive(server):
            raise lost_server(server, f"applying {shown}") from None
        return _ended(migration, shown, f"the migration ended the harness's own session ({lost})")
    if error is not None:
        return error
    try:
        canary.execute("select 1")
    except psycopg.Error:
        if not server_alive(server):
            raise lost_server(server, f"applying {shown}") from None
        return _ended(migration, shown, "the migration terminated other sessions (pg_terminate_backend): "
                      "the gate's other checks run beside the migrations, so it cannot be tested; "
                      "never end sessions from a migration")
    return None


def _ended(migration: MigrationFile, shown: str, message: str) -> ApplyError:
    match = _TERMINATE.search(migration.sql)
    line, column = SourceText(migration.sql).position(match.start() if match else 0)
    return ApplyError(file=shown, line=line, column=column, message=message, detail=None, hint=None,
                      context=None, sqlstate="57P01", statement=match.group(0) if match else "")
