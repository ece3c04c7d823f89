"""A migration runs `begin`, `commit`, `rollback`, `savepoint` or another transaction command itself.

Error for COMMIT / ROLLBACK / END (and PREPARE TRANSACTION), warning for a BEGIN / START TRANSACTION
or savepoint command.

Why it matters: the Supabase CLI already runs each migration file in one transaction. A `begin;` is
redundant (PostgreSQL only warns), but a `commit;` ends the CLI's transaction half-way: statements
after it run outside any transaction, so a failure leaves the migration half-applied and unrecorded,
and the next `db push` runs the first half again.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import TransactionStmtKind

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement

ENDING = {
    TransactionStmtKind.TRANS_STMT_COMMIT,
    TransactionStmtKind.TRANS_STMT_ROLLBACK,
    TransactionStmtKind.TRANS_STMT_PREPARE,
    TransactionStmtKind.TRANS_STMT_COMMIT_PREPARED,
    TransactionStmtKind.TRANS_STMT_ROLLBACK_PREPARED,
}


class TransactionControl(Rule):
    id = "transaction-control"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.TransactionStmt) or stmt.nested:
            return
        command = stmt.text.split(None, 1)[0].rstrip(";").lower() if stmt.text.strip() else "transaction"
        if node.kind in ENDING:
            yield self.hit(
                stmt,
                f"{command} ends the transaction the Supabase CLI runs this file in: statements after it are "
                "not atomic, and a failure leaves the migration half-applied",
            )
        else:
            yield self.hit(
                stmt,
                f"{command}: the Supabase CLI already runs each migration file in one transaction; remove it",
                severity=Severity.WARNING,
            )
