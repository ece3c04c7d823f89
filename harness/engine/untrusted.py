"""Running SQL a project wrote (migrations, the seed) on a connection the harness keeps using.

Whatever the text does to its session must not break the harness's next query: `COPY … FROM STDIN`
leaves libpq waiting for data nobody sends, `SET ROLE`, `SET statement_timeout` or `SET search_path`
outlive the file, `pg_terminate_backend(pg_backend_pid())` closes the connection under us. Each one
becomes a psycopg error the caller turns into a finding, and the session is put back as it was.
"""

from __future__ import annotations

import psycopg
from psycopg import errors, pq

COPY_MESSAGE = (
    "COPY … FROM STDIN / TO STDOUT needs a client that sends or reads the rows (psql); migrations and "
    "the seed run without one, as under `supabase db push`: write the rows as INSERT … VALUES"
)
RESET_SESSION = b"reset role; reset session authorization; reset all"
RESET_ATTEMPTS = 20  # a `statement_timeout` of 1 ms can cancel the RESET itself


class UnsupportedCopy(psycopg.ProgrammingError):
    """A COPY from or to the client; the copy was ended and the statement failed."""


class LostSession(psycopg.OperationalError):
    """The connection ended while the project's SQL ran (it terminated its own backend, or the
    server went away)."""


def execute_untrusted(conn: psycopg.Connection, sql: bytes) -> None:
    """conn.execute(sql) for text the project wrote; a COPY with the client is ended and raised as
    UnsupportedCopy, a connection that died as LostSession (both psycopg errors)."""
    try:
        conn.execute(sql)
    except psycopg.ProgrammingError:
        if conn.pgconn.status == pq.ConnStatus.OK and _in_copy(conn):
            _end_copy(conn.pgconn)
            raise UnsupportedCopy(COPY_MESSAGE) from None
        raise
    except psycopg.OperationalError as exc:
        if conn.closed or conn.broken or conn.pgconn.status != pq.ConnStatus.OK:
            raise LostSession(f"the connection ended: {str(exc).strip()}") from None
        raise


def _in_copy(conn: psycopg.Connection) -> bool:
    return conn.pgconn.transaction_status == pq.TransactionStatus.ACTIVE


def _end_copy(pg: pq.abc.PGconn) -> None:
    """Fail a COPY FROM STDIN, swallow a COPY TO STDOUT, and read every result left of the query."""
    _abandon(pg)
    while True:
        result = pg.get_result()
        if result is None:
            return
        if result.status in (pq.ExecStatus.COPY_IN, pq.ExecStatus.COPY_OUT):
            _abandon(pg)


def _abandon(pg: pq.abc.PGconn) -> None:
    try:
        pg.put_copy_end(b"harness: " + COPY_MESSAGE.encode())
        while pg.flush() == 1:
            pass
    except psycopg.OperationalError:  # a COPY TO STDOUT: read its rows until it ends
        while pg.get_copy_data(0)[0] >= 0:
            pass


def reset_session(conn: psycopg.Connection) -> None:
    """Undo what a file did to the session (role, settings); idle and outside a transaction."""
    if conn.closed or conn.broken:
        return
    for _ in range(RESET_ATTEMPTS):
        try:
            conn.execute(RESET_SESSION)
            return
        except errors.QueryCanceled:  # the file's statement_timeout cancelled the reset
            continue
