"""The catalog rules (`harness/catalog/rules/*.sql`) on the live project, through an executor.

Locally the rules run in one session: `prelude.sql` creates temporary views that they share and
the API schemas are a session setting (`harness.api_schemas`). Neither can be done through the
Management API (each request may get another connection, and a read-only transaction creates
nothing), so each rule is rewritten on its parse tree into one self-contained SELECT: the prelude's
views become CTEs in front of the rule's own, and `current_setting('harness.api_schemas')` becomes
the literal list. The rows, and so the findings, are the ones the local runner makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pglast
from pglast import ast, visitors
from pglast.stream import RawStream

from harness import catalog
from harness.findings import Finding, HarnessError
from harness.remote.executor import CatalogQueries, Executor

API_SCHEMAS_SETTING = "harness.api_schemas"


class _InlineSetting(visitors.Visitor):
    """current_setting('harness.api_schemas'[, missing_ok]) -> 'public,...'::text."""

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def visit_FuncCall(self, ancestors: Any, node: ast.FuncCall) -> Any:
        name = [part.sval for part in node.funcname]
        if name[-1] != "current_setting" or not node.args:
            return None
        first = node.args[0]
        literal = isinstance(first, ast.A_Const) and isinstance(first.val, ast.String)
        if literal and first.val.sval == API_SCHEMAS_SETTING:
            return ast.TypeCast(arg=ast.A_Const(val=ast.String(sval=self.value)),
                                typeName=ast.TypeName(names=(ast.String(sval="text"),)))
        return None


def _prelude_ctes(text: str, label: str) -> list[ast.CommonTableExpr]:
    """Each `create temporary view name (columns) as query` of the prelude, as a CTE."""
    ctes = []
    for raw in pglast.parse_sql(text):
        view = raw.stmt
        if not isinstance(view, ast.ViewStmt) or view.view.relpersistence != "t":
            raise HarnessError(f"{label}: only temporary views can be run on a live project; found "
                               f"{type(view).__name__}")
        ctes.append(ast.CommonTableExpr(ctename=view.view.relname, aliascolnames=view.aliases,
                                        ctequery=view.query))
    return ctes


def self_contained(rule: str, prelude: str, api_schemas: Iterable[str], label: str = "rule") -> str:
    """One SELECT that is `rule` with the prelude's views inlined and the API schemas spelled out."""
    statements = pglast.parse_sql(rule)
    if len(statements) != 1 or not isinstance(statements[0].stmt, ast.SelectStmt):
        raise HarnessError(f"{label}: a catalog rule must be one SELECT")
    select = statements[0].stmt
    ctes = _prelude_ctes(prelude, "prelude.sql")
    if select.withClause is None:
        select.withClause = ast.WithClause(ctes=tuple(ctes), recursive=False)
    else:
        select.withClause.ctes = (*ctes, *select.withClause.ctes)
    _InlineSetting(",".join(api_schemas))(select)
    return str(RawStream()(select))


def rule_queries(queries: CatalogQueries, api_schemas: Iterable[str]) -> list[tuple[str, str]]:
    """(rule file, self-contained query) for every rule, each registered with `queries`."""
    schemas = list(api_schemas)
    prelude = catalog.PRELUDE.read_text(encoding="utf-8")
    out = []
    for path in catalog.rule_files():
        label = f"harness/catalog/rules/{path.name}"
        text = self_contained(path.read_text(encoding="utf-8"), prelude, schemas, label)
        out.append((path.name, queries.add(text, label)))
    return out


def run_catalog_rules(run: Executor, queries: CatalogQueries, api_schemas: Iterable[str]) -> list[Finding]:
    findings: list[Finding] = []
    for _name, text in rule_queries(queries, api_schemas):
        findings.extend(catalog.finding_from_row(row) for row in run(text))
    return findings


def rule_names() -> list[str]:
    return [Path(path).name for path in catalog.rule_files()]
