"""Opening plpgsql bodies (DO blocks, functions): the SQL inside them and whether a catalog check guards it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pglast
from pglast import ast

from harness.lint.facts import parse_fragment
from harness.sql.nodes import iter_nodes, last_name

CATALOG_SCHEMAS = {"pg_catalog", "information_schema"}
CATALOG_FUNCTIONS = {
    "to_regclass",
    "to_regtype",
    "to_regproc",
    "to_regprocedure",
    "to_regnamespace",
    "to_regrole",
    "to_regoper",
}
# Exception handlers that make "create it unless it exists" safe to run twice.
GUARD_CONDITION_RE = re.compile(r"^(duplicate_\w+|undefined_\w+|others|unique_violation|42\w{3}|23505)$", re.IGNORECASE)


@dataclass(frozen=True)
class Fragment:
    """A piece of SQL inside a plpgsql body."""

    lineno: int  # line within the body; 1 is the line of the opening quote
    kind: str  # "sql" (a statement), "execute" (EXECUTE's argument), "expr" (any other expression)
    query: str
    mode: int  # pglast parse mode: 0 statement, 2 expression, 3-5 assignment
    guarded: bool


def fragments(sql: str) -> list[Fragment]:
    """Every SQL fragment of the plpgsql bodies in `sql` (a DO or CREATE FUNCTION statement).

    Raises pglast's ParseError when the body is not valid plpgsql.
    """
    found: list[Fragment] = []
    _walk(pglast.parse_plpgsql(sql), False, 1, found)
    return found


def _walk(item: Any, guarded: bool, lineno: int, out: list[Fragment]) -> None:
    if isinstance(item, list):
        for element in item:
            _walk(element, guarded, lineno, out)
        return
    if not isinstance(item, dict):
        return
    for tag, body in item.items():
        if not isinstance(body, dict):
            continue
        line = body.get("lineno", lineno)
        if tag == "PLpgSQL_expr":
            out.append(Fragment(line, "expr", body.get("query", ""), body.get("parseMode", 2), guarded))
        elif tag == "PLpgSQL_stmt_execsql":
            query = body["sqlstmt"]["PLpgSQL_expr"]["query"]
            out.append(Fragment(line, "sql", query, 0, guarded))
        elif tag in ("PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors"):
            query = body["query"]["PLpgSQL_expr"]["query"]
            out.append(Fragment(line, "execute", query, 2, guarded))
            _walk([v for k, v in body.items() if k != "query"], guarded, line, out)
        elif tag == "PLpgSQL_stmt_if":
            _walk(list(body.values()), guarded or _if_checks_catalog(body), line, out)
        elif tag == "PLpgSQL_stmt_block" and _catches_duplicates(body.get("exceptions")):
            _walk(body.get("body", []), True, line, out)
            _walk(body.get("exceptions"), guarded, line, out)
        else:
            _walk(list(body.values()), guarded, line, out)


def _if_checks_catalog(body: dict[str, Any]) -> bool:
    conditions = [body.get("cond")]
    for elsif in body.get("elsif_list", []):
        conditions.append(elsif.get("PLpgSQL_if_elsif", {}).get("cond"))
    return any(cond and is_catalog_check(cond["PLpgSQL_expr"]["query"]) for cond in conditions)


def is_catalog_check(expression: str) -> bool:
    """Whether an IF condition looks the object up in the catalog (pg_*, information_schema, to_reg*)."""
    lowered = expression.lower()
    if "pg_" not in lowered and "information_schema" not in lowered and "to_reg" not in lowered:
        return False
    parsed = parse_fragment(expression, 2)
    if parsed is None:
        return False
    for node in iter_nodes(parsed):
        if isinstance(node, ast.RangeVar) and (node.schemaname in CATALOG_SCHEMAS or node.relname.startswith("pg_")):
            return True
        if isinstance(node, ast.FuncCall) and last_name(node.funcname) in CATALOG_FUNCTIONS:
            return True
    return False


def _catches_duplicates(exceptions: Any) -> bool:
    if not exceptions:
        return False
    handlers = exceptions.get("PLpgSQL_exception_block", {}).get("exc_list", [])
    for handler in handlers:
        for condition in handler.get("PLpgSQL_exception", {}).get("conditions", []):
            name = condition.get("PLpgSQL_condition", {}).get("condname", "")
            if GUARD_CONDITION_RE.match(name):
                return True
    return False


def literal_sql(expression: str) -> str | None:
    """The SQL text of an EXECUTE argument made only of string literals, else None (dynamic SQL)."""
    parsed = parse_fragment(expression, 2)
    if not parsed or not isinstance(parsed[0], ast.SelectStmt) or len(parsed[0].targetList or ()) != 1:
        return None
    return _literal(parsed[0].targetList[0].val)


def _literal(node: Any) -> str | None:
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return node.val.sval
    if isinstance(node, ast.A_Expr) and last_name(node.name) == "||":
        left, right = _literal(node.lexpr), _literal(node.rexpr)
        if left is not None and right is not None:
            return left + right
    return None
