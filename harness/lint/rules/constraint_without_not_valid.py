"""A migration adds a CHECK or FOREIGN KEY constraint to a table that existed before the change set
without `NOT VALID`, or validates it in the same file that added it.

Why it matters: adding the constraint scans every row while holding a lock that blocks writes to the
table (and, for a foreign key, to the referenced table), so API requests queue behind the migration.
`add constraint ... not valid` is instant; `validate constraint` in a later migration scans with a
lock that lets reads and writes go on. In the same file both run in the CLI's one transaction, so the
scan still happens under the strong lock. Tables the change set itself created are not reported.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from harness.findings import Severity
from harness.lint.rules.base import ExistingTableRule, Hit, LintContext
from harness.lint.statement import Statement

VALIDATED = {ConstrType.CONSTR_CHECK: "check", ConstrType.CONSTR_FOREIGN: "foreign key"}


class ConstraintWithoutNotValid(ExistingTableRule):
    id = "constraint-without-not-valid"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.not_valid: set[tuple[str, str, str]] = set()  # (file, table, constraint) added NOT VALID

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        con = cmd.def_
        if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(con, ast.Constraint):
            kind = VALIDATED.get(con.contype)
            if kind is not None and con.skip_validation:
                self.not_valid.add((stmt.file, table, con.conname or ""))
            elif kind is not None:
                name = f" {con.conname}" if con.conname else ""
                yield self.hit(
                    stmt,
                    f"adds {kind} constraint{name} to {table} without NOT VALID: every row is checked while "
                    "writes wait; add it NOT VALID, validate it in a later migration",
                    table,
                )
        elif cmd.subtype == AlterTableType.AT_ValidateConstraint and (stmt.file, table, cmd.name) in self.not_valid:
            yield self.hit(
                stmt,
                f"validates {cmd.name} in the migration that added it NOT VALID: one transaction, so the "
                "scan still runs under the lock that blocks writes; validate it in a later migration",
                table,
            )
