"""A migration builds, drops or rebuilds an index `CONCURRENTLY`, or detaches a partition concurrently.

Why it matters: these commands cannot run inside a transaction block, and the Supabase CLI runs each
migration file in one: `supabase db push` fails with "cannot run inside a transaction block". (So
the usual advice to build indexes concurrently does not apply to Supabase migrations as written.)
To build an index on a large, busy table without blocking writes, run `create index concurrently`
outside the migration tool, then add `create index if not exists` in a migration so fresh databases
get it too.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import option


def concurrent_command(node: ast.Node) -> str | None:
    """The name of a command that cannot run in a transaction block because of CONCURRENTLY, if any."""
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return "create index concurrently"
    if isinstance(node, ast.DropStmt) and node.concurrent:
        return "drop index concurrently"
    if isinstance(node, ast.ReindexStmt) and option(node.params, "concurrently") is not None:
        return "reindex concurrently"
    if isinstance(node, ast.AlterTableStmt):
        for cmd in node.cmds or ():
            if cmd.subtype == AlterTableType.AT_DetachPartition and getattr(cmd.def_, "concurrent", False):
                return "detach partition concurrently"
    return None


class ConcurrentlyInMigration(Rule):
    id = "concurrently-in-migration"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        command = concurrent_command(stmt.node)
        if command is not None:
            yield self.hit(
                stmt,
                f"{command} cannot run inside a transaction block, and the Supabase CLI runs every "
                "migration file in one: the migration fails",
            )
