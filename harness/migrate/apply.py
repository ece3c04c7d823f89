"""Apply migration files as `supabase db push` does: one transaction per file, statement by statement,
recorded in `supabase_migrations.schema_migrations`. A failing statement becomes a `migration-error`
finding at the file, line and column PostgreSQL points to, with its message, detail and hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import psycopg

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

    def to_finding(self, rule: str, prefix: str = "") -> Finding:
        missing = missing_extension(self.message, self.detail)
        text = f"{prefix}{missing.message(self.message) if missing else self.message}"
        if self.detail:
            text += f" ({self.detail})"
        return Finding(
            check="migrate",
            rule=rule,
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
) -> ApplyError | None:
    """Run one file in its own transaction; None when it applied, else where it failed (rolled back).

    The file goes to the server in one round trip (the simple query protocol runs its statements
    in order, as one statement after another would); only when it fails is it run again statement by
    statement, to say which statement failed and where.
    """
    statements = split_statements(migration.sql)
    for stepwise in (False, True):
        try:
            with conn.transaction():
                if stepwise:
                    for statement in statements:
                        error = _execute(conn, statement, migration.sql, shown_path)
                        if error is not None:
                            raise _Abort(error)
                elif statements:
                    # "\n;\n": a statement may end in a -- comment
                    conn.execute("\n;\n".join(s.sql for s in statements).encode())
                if record:
                    conn.execute(RECORD, (migration.version, migration.name, [s.sql for s in statements]))
            return None
        except _Abort as abort:
            return abort.error
        except psycopg.Error:
            if stepwise:
                raise
    return None


class _Abort(Exception):
    def __init__(self, error: ApplyError) -> None:
        self.error = error


def _execute(conn: psycopg.Connection, statement: Statement, text: str, shown_path: str) -> ApplyError | None:
    try:
        conn.execute(statement.sql.encode())  # bytes: never read as a parameter template
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
) -> ApplyError | None:
    """Apply files in order; stop at the first that fails (as the Supabase CLI does)."""
    for migration in migrations:
        if before_each:
            before_each(migration)
        error = apply_file(conn, migration, shown(migration), record=record)
        if error is not None:
            return error
        if after_each:
            after_each(migration)
    return None
