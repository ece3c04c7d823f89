"""A SECURITY DEFINER function does not pin its `search_path`.

Why it matters: the function runs with its owner's rights but resolves unqualified names through the
caller's search_path, so a caller who can create objects in a schema on that path can make it call
their own `=` operator or table. Add `set search_path = ''` (and qualify names) to the definition, or
`alter function ... set search_path` in the same migration.
"""

from __future__ import annotations

from typing import Any, Iterable

from pglast import ast

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import dotted, is_true, option


def sets_search_path(options: Iterable[Any] | None) -> bool:
    return any(
        isinstance(o, ast.DefElem)
        and o.defname == "set"
        and isinstance(o.arg, ast.VariableSetStmt)
        and o.arg.name == "search_path"
        for o in options or ()
    )


class SecurityDefinerSearchPath(Rule):
    id = "security-definer-search-path"
    severity = Severity.WARNING

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.pending: dict[str, Statement] = {}

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if isinstance(node, ast.CreateFunctionStmt):
            name = dotted(node.funcname)
            security = option(node.options, "security")
            if security is not None and is_true(security.arg) and not sets_search_path(node.options):
                self.pending[name] = stmt
            else:
                self.pending.pop(name, None)
        elif isinstance(node, ast.AlterFunctionStmt) and sets_search_path(node.actions):
            self.pending.pop(dotted(node.func.objname), None)
        return ()

    def end_file(self) -> Iterable[Hit]:
        for name, stmt in self.pending.items():
            yield self.hit(
                stmt, f"SECURITY DEFINER function {name}() does not set search_path; add `set search_path = ''`"
            )
        self.pending.clear()
