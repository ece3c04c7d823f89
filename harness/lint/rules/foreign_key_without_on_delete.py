"""A foreign key to a user table (`auth.users`, `*.users`, `*.profiles`) has no ON DELETE action.

Why it matters: deleting a user (a GDPR request, the dashboard's "delete user") then fails with a
foreign key violation, or someone "fixes" it by hand in production. Decide: `on delete cascade` for
data that belongs to the user, `on delete set null` for data that outlives them.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.rules.unindexed_foreign_key import declared_keys
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name

USER_TABLE_NAMES = {"users", "profiles"}
NO_ACTION = "a"


def is_user_table(name: str) -> bool:
    return name == "auth.users" or name.split(".", 1)[1] in USER_TABLE_NAMES


class ForeignKeyWithoutOnDelete(Rule):
    id = "foreign-key-without-on-delete"
    severity = Severity.WARNING

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        for key in declared_keys(stmt.node):
            if key.kind == "foreign" and key.ref_table and is_user_table(key.ref_table) and key.on_delete == NO_ACTION:
                table = relation_name(stmt.node.relation)
                message = f"{key.describe(table)} references {key.ref_table} without ON DELETE; deleting a user fails"
                yield self.hit(stmt, message, table)
