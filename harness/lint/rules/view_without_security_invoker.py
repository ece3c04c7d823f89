"""A view in an API schema is created without `security_invoker`.

Error when the view reads a table that has RLS enabled, warning otherwise. Judged by the final state
of the change set: setting it later (`alter view ... set (security_invoker = on)`, in the same
migration or a later one) counts, and so does turning it off later (`security_invoker = false`),
which is reported where it happens.

Why it matters: a view runs with its owner's rights unless `with (security_invoker = true)`, so it
reads tables past their row level security, and Supabase grants new views in `public` to `anon` and
`authenticated`: every row of the protected table leaks through the view.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import option, relation_name


def invoker_statement(node: ast.Node) -> str | None:
    """The view a CREATE VIEW or an ALTER VIEW ... SET/RESET (security_invoker ...) defines the rights of."""
    if isinstance(node, ast.ViewStmt):
        return relation_name(node.view)
    if isinstance(node, ast.AlterTableStmt):
        for cmd in node.cmds or ():
            if isinstance(cmd.def_, tuple) and option(cmd.def_, "security_invoker") is not None:
                return relation_name(node.relation)
    return None


class ViewWithoutSecurityInvoker(Rule):
    id = "view-without-security-invoker"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.defined: dict[str, Statement] = {}  # view -> the statement that last set its rights

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        view = invoker_statement(stmt.node)
        if view is not None:
            self.defined[view] = stmt
        return ()

    def end_project(self) -> Iterable[Hit]:
        model = self.ctx.model
        for view in model.relations.values():
            if view.kind != "view" or view.security_invoker or not self.ctx.in_api(view.name):
                continue
            where = self.defined.get(view.name, view.statement)
            protected = sorted(name for name in view.reads if name in model.relations and model.relations[name].rls)
            if protected:
                yield self.hit(
                    where,
                    f"view {view.name} reads {', '.join(protected)} with its owner's rights, "
                    f"past row level security; add with (security_invoker = true)",
                    view.name,
                )
            else:
                yield self.hit(
                    where,
                    f"view {view.name} runs with its owner's rights; add with (security_invoker = true)",
                    view.name,
                    Severity.WARNING,
                )
