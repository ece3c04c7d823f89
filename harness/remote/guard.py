"""What the remote executor agrees to send: one plain SELECT over the system catalogs.

Checked on the parse tree (pglast, PostgreSQL's own grammar), before anything leaves the machine:
exactly one statement, a SELECT with no INTO and no row locks, no data-modifying CTE, relations
only from `pg_catalog` / `information_schema` (or the query's own CTEs), no function outside
`pg_catalog`, and none of the catalog functions that act (signal, lock, set, sleep, read files,
run SQL given as text). The Management API's `read_only` flag is the second line; this is the first.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import pglast
from pglast import ast
from pglast.parser import ParseError

from harness.remote.errors import RefusedQueryError

CATALOG_SCHEMAS = frozenset({"pg_catalog", "information_schema"})
# Catalog relations that hold secrets or table data rather than the schema: never read.
SECRET_RELATIONS = frozenset({
    "pg_authid", "pg_shadow", "pg_user_mapping", "pg_user_mappings", "pg_statistic", "pg_statistic_ext_data",
    "pg_stats", "pg_stats_ext", "pg_stats_ext_exprs", "pg_largeobject", "pg_hba_file_rules", "pg_file_settings",
})
# Catalog functions with an effect beyond reading the catalog.
ACTING_FUNCTIONS = frozenset({
    "set_config", "nextval", "setval", "pg_notify", "pg_cancel_backend", "pg_terminate_backend",
    "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal", "pg_promote", "pg_log_backend_memory_contexts",
    "pg_import_system_collations", "pg_current_xact_id", "txid_current", "pg_stat_file", "pg_read_file",
    "pg_read_binary_file", "pg_logical_emit_message", "pg_drop_replication_slot", "pg_backup_start",
    "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_create_restore_point",
    "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
    "table_to_xml", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xml_and_xmlschema",
    "database_to_xml", "database_to_xml_and_xmlschema", "xpath_table",
})
ACTING_PREFIXES = re.compile(
    r"^(pg_advisory|pg_try_advisory|pg_sleep|lo_|pg_ls_|pg_stat_reset|pg_create_|pg_replication_|pg_file_|"
    r"dblink|pg_wal_replay|pg_copy_|pg_sync_|pg_stat_statements_reset)"
)
DATA_MODIFYING = (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)


def check_catalog_query(text: str) -> None:
    """Raise `RefusedQueryError` unless `text` is one read-only SELECT over the system catalogs."""
    try:
        statements = pglast.parse_sql(text)
    except ParseError as exc:
        raise _refused(f"it does not parse ({exc})") from None
    if len(statements) != 1:
        raise _refused(f"it has {len(statements)} statements, not one")
    statement = statements[0].stmt
    if not isinstance(statement, ast.SelectStmt):
        raise _refused(f"it is a {type(statement).__name__}, not a SELECT")
    nodes = list(_walk(statement))
    ctes = {node.ctename for node in nodes if isinstance(node, ast.CommonTableExpr)}
    for node in nodes:
        _check_node(node, ctes)


def _check_node(node: Any, ctes: set[str]) -> None:
    if isinstance(node, DATA_MODIFYING):
        raise _refused(f"it contains a {type(node).__name__}")
    if isinstance(node, ast.SelectStmt):
        if node.intoClause is not None:
            raise _refused("it is SELECT INTO, which creates a table")
        if node.lockingClause:
            raise _refused("it locks rows (FOR UPDATE / FOR SHARE)")
    elif isinstance(node, ast.RangeVar):
        _check_relation(node, ctes)
    elif isinstance(node, ast.FuncCall):
        _check_function(tuple(part.sval for part in node.funcname))


def _check_relation(node: ast.RangeVar, ctes: set[str]) -> None:
    schema, name = node.schemaname, node.relname
    if name in SECRET_RELATIONS:
        raise _refused(f"it reads {name}, which holds secrets or table data")
    if schema is None and (name in ctes or name.startswith("pg_")):
        return
    if schema in CATALOG_SCHEMAS:
        return
    raise _refused(f"it reads {schema + '.' if schema else ''}{name}, which is not a system catalog")


def _check_function(name: tuple[str, ...]) -> None:
    schema, function = (name[0] if len(name) > 1 else None), name[-1].lower()
    if schema is not None and schema not in ("pg_catalog",):
        raise _refused(f"it calls {'.'.join(name)}, a function outside pg_catalog")
    if function in ACTING_FUNCTIONS or ACTING_PREFIXES.match(function):
        raise _refused(f"it calls {function}(), which does more than read")


def _walk(node: Any) -> Iterator[Any]:
    """Every node of a pglast tree, depth first."""
    if isinstance(node, ast.Node):
        yield node
        for attribute in node:
            yield from _walk(getattr(node, attribute))
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _walk(item)


def _refused(why: str) -> RefusedQueryError:
    return RefusedQueryError(f"refused to send a query to the live project: {why}; only the harness's own "
                             "read-only catalog queries are sent")
