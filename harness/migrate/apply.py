"""Apply migration files as `supabase db push` does: one transaction per file, statement by statement,
recorded in `supabase_migrations.schema_migrations`. A failing statement becomes a `migration-error`
finding at the file, line and column PostgreSQL points to, with its message, detail and hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import psycopg

from harness.engine.time_limit import Deadline, Limit, time_limit
from harness.engine.untrusted import LostSession, execute_untrusted, reset_session
from harness.findings import Finding, Severity
from harness.migrate.missing_extension import missing_extension
from harness.migrate.statements import Statement, split_statements
from harness.sql.discovery import MigrationFile
from harness.sql.source import SourceText

RECORD = (
    "insert into supabase_migrations.schema_migrations (version, name, statements) values (%s, %s, %s)"
)


@dataclass(frozen=True)
class ApplyError:
    """Where and why a migration stopped."""

    file: str
    line: int
    column: int
    message: str
    detail: str | None
    hint: str | None
    context: str | None
    sqlstate: str | None
    statement: str
    timed_out: bool = False  # stopped by --timeout: the finding's rule is `timeout`

    def to_finding(self, rule: str, prefix: str = "") -> Finding:
        missing = missing_extension(self.message, self.detail)
        text = f"{prefix}{missing.message(self.message) if missing else self.message}"
        if self.detail:
            text += f" ({self.detail})"
        return Finding(
            check="migrate",
            rule="timeout" if self.timed_out else rule,
            severity=Severity.ERROR,
            message=text,
            file=self.file,
            line=self.line,
            column=self.column,
            evidence={
                "sqlstate": self.sqlstate,
                "detail": self.detail,
                "hint": self.hint,
                "context": self.context,
                "statement": _excerpt(self.statement),
                **({"missing_extension": missing.name} if missing else {}),
            },
        )


def _excerpt(sql: str, limit: int = 400) -> str:
    return sql if len(sql) <= limit else sql[:limit] + " …"


def apply_file(
    conn: psycopg.Connection,
    migration: MigrationFile,
    shown_path: str,
    record: bool = True,
    limit: Limit | None = None,
) -> ApplyError | None:
    """Run one file in its own transaction; None when it applied, else where it failed (rolled back).

    The file goes to the server in one round trip (the simple query protocol runs its statements
    in order, as one statement after another would); only when it fails is it run again statement by
    statement, to say which statement failed and where. A file still running when `limit` passes is
    stopped: an error with `timed_out`.
    """
    statements = split_statements(migration.sql)
    # As the Supabase CLI before every file: a dump's `set_config('search_path', '', false)` (or
    # any other session setting) must not leak into the next file.
    reset_session(conn)
    try:
        for stepwise in (False, True):
            try:
                with conn.transaction(), time_limit(conn, limit) as deadline:
                    if stepwise:
                        for statement in statements:
                            _step(conn, statement, migration.sql, shown_path, deadline)
                    elif statements:
                        # "\n;\n": a statement may end in a -- comment
                        execute_untrusted(conn, "\n;\n".join(s.sql for s in statements).encode())
                    if record:
                        _record(conn, migration, statements, shown_path)
                return None
            except _Abort as abort:
                if (conn.closed or conn.broken) and not abort.error.timed_out:
                    raise LostSession(abort.error.message) from None
                return abort.error
            except psycopg.Error:
                if stepwise or conn.closed or conn.broken:
                    if deadline.passed and statements:
                        return _stopped(statements[0], migration.sql, shown_path, deadline, "its session was ended")
                    raise
                if deadline.passed and statements:  # running it again would take as long again
                    return _stopped(statements[0], migration.sql, shown_path, deadline,
                                    "the file runs in one round trip, so the statement is not known")
    finally:
        reset_session(conn)  # a file's SET ROLE or SET statement_timeout must not outlive it
    return None


def _step(conn: psycopg.Connection, statement: Statement, text: str, shown_path: str, deadline: Deadline) -> None:
    """One statement of the stepwise pass; raises _Abort with where and why it failed."""
    try:
        error = _execute(conn, statement, text, shown_path)
    except LostSession:
        if not deadline.passed:
            raise
        error = _stopped(statement, text, shown_path, deadline, "its session was ended")
    if error is not None and deadline.passed and not error.timed_out:
        error = _stopped(statement, text, shown_path, deadline, error.message)
    if error is not None:
        raise _Abort(error)


def _stopped(statement: Statement, text: str, shown_path: str, deadline: Deadline, why: str) -> ApplyError:
    """The file ran past --timeout and was stopped in `statement`."""
    line, column = SourceText(text).position(statement.offset)
    return ApplyError(
        file=shown_path, line=line, column=column,
        message=f"{deadline.describe(shown_path)} in this statement ({why})",
        detail=None, hint=None, context=None, sqlstate="57014", statement=statement.sql, timed_out=True,
    )


def _record(conn: psycopg.Connection, migration: MigrationFile, statements: list[Statement], shown_path: str) -> None:
    """The history row, in the file's transaction, as the CLI writes it; the file's own session
    changes (a SET ROLE to a role that may not write the history) make it fail as it fails there."""
    try:
        conn.execute(RECORD, (migration.version, migration.name, [s.sql for s in statements]))
    except psycopg.Error as exc:
        last = statements[-1] if statements else Statement(sql="", offset=0)
        line, column = SourceText(migration.sql).position(last.offset)
        raise _Abort(ApplyError(
            file=shown_path, line=line, column=column,
            message="recording the migration in supabase_migrations.schema_migrations failed after its "
                    f"last statement (as it would under `supabase db push`): {exc.diag.message_primary or str(exc).strip()}",
            detail=exc.diag.message_detail, hint=exc.diag.message_hint, context=exc.diag.context,
            sqlstate=exc.diag.sqlstate, statement=RECORD,
        )) from None


class _Abort(Exception):
    def __init__(self, error: ApplyError) -> None:
        self.error = error


def _execute(conn: psycopg.Connection, statement: Statement, text: str, shown_path: str) -> ApplyError | None:
    try:
        execute_untrusted(conn, statement.sql.encode())  # bytes: never read as a parameter template
    except LostSession:
        raise
    except psycopg.Error as exc:
        diag = exc.diag
        offset = statement.offset
        position = diag.statement_position
        if position and position.isdigit():
            # PostgreSQL counts characters from 1 within the statement we sent.
            offset += int(position) - 1
        line, column = SourceText(text).position(offset)
        return ApplyError(
            file=shown_path,
            line=line,
            column=column,
            message=diag.message_primary or str(exc).strip(),
            detail=diag.message_detail,
            hint=diag.message_hint,
            context=diag.context,
            sqlstate=diag.sqlstate,
            statement=statement.sql,
        )
    return None


def apply_all(
    conn: psycopg.Connection,
    migrations: list[MigrationFile],
    shown: Callable[[MigrationFile], str],
    record: bool = True,
    before_each: Callable[[MigrationFile], None] | None = None,
    after_each: Callable[[MigrationFile], None] | None = None,
    limit: Limit | None = None,
) -> ApplyError | None:
    """Apply files in order; stop at the first that fails (as the Supabase CLI does)."""
    for migration in migrations:
        if before_each:
            before_each(migration)
        error = apply_file(conn, migration, shown(migration), record=record, limit=limit)
        if error is not None:
            return error
        if after_each:
            after_each(migration)
    return None
