"""What the migrated catalog says about the audited relations, and the spec checked against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from harness.audit.model import Column, TableFacts
from harness.config import Config, ConfigError, TableSpec

SQL = Path(__file__).resolve().parent / "sql"


def query(name: str) -> str:
    return (SQL / name).read_text(encoding="utf-8")


def read_table_facts(conn: psycopg.Connection, config: Config) -> dict[str, TableFacts]:
    """Facts for every table of the spec; a spec naming something that is not there is a ConfigError."""
    names = list(config.tables)
    rows = conn.execute(query("table_facts.sql"), {"names": names}).fetchall()
    found: dict[str, TableFacts] = {}
    for name, relkind, rls, forced, primary_key, columns in rows:
        spec = config.tables[name]
        facts = TableFacts(
            name=name,
            relkind=relkind,
            rls=rls,
            forced=forced,
            key=_key(spec, tuple(primary_key)),
            columns={c["name"]: _column(c) for c in columns},
        )
        _check_spec(config, spec, facts)
        found[name] = facts
    missing = [n for n in names if n not in found]
    if missing:
        raise ConfigError(
            f"{origin(config)}: [tables.\"{missing[0]}\"] names a table that does not exist after the "
            "migrations (check the schema and the spelling)"
        )
    return found


def _column(data: dict[str, Any]) -> Column:
    return Column(
        name=data["name"],
        type=data["type"],
        generated=bool(data["generated"]),
        updatable_by=frozenset(data["updatable_by"]),
    )


def _key(spec: TableSpec, primary_key: tuple[str, ...]) -> tuple[str, ...]:
    if spec.key:
        return tuple(part.strip() for part in spec.key.split(",") if part.strip())
    return primary_key


def _check_spec(config: Config, spec: TableSpec, facts: TableFacts) -> None:
    where = f"{origin(config)}: [tables.\"{spec.name}\"]"
    if facts.relkind not in ("r", "p"):
        raise ConfigError(f"{where} is not a table (the audit probes tables; views over them are probed too)")
    for label, column in (("owner", spec.owner), ("tenant", spec.tenant), *(("key", k) for k in facts.key)):
        if column and column not in facts.columns:
            raise ConfigError(f"{where} {label} = {column!r}: the table has no such column "
                              f"(it has: {', '.join(facts.columns)})")
    if spec.row and _has_returning(spec.row):
        raise ConfigError(f"{where} row: remove RETURNING; insert probes must not read the new row "
                          "(that would test the SELECT policies instead)")


def _has_returning(template: str) -> bool:
    import re

    return re.search(r"\breturning\b", template, re.IGNORECASE) is not None


def origin(config: Config) -> str:
    """The configuration file's name, as error messages begin."""
    return config.source.name if config.source else "configuration"


def api_tables(conn: psycopg.Connection, config: Config) -> list[str]:
    schemas = list(config.project.api_schemas)
    return [name for (name,) in conn.execute(query("api_tables.sql"), {"schemas": schemas}).fetchall()]


def read_policies(conn: psycopg.Connection, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """table -> its policies as pg_policies shows them."""
    policies: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for table, name, permissive, roles, cmd, qual, with_check in conn.execute(
        query("policies.sql"), {"names": names}
    ).fetchall():
        policies[table].append({
            "name": name, "permissive": permissive, "roles": list(roles), "command": cmd,
            "using": qual, "with_check": with_check,
        })
    return policies


def applying_policies(policies: list[dict[str, Any]], db_role: str, operation: str) -> list[dict[str, Any]]:
    """The policies PostgreSQL considers for `operation` by `db_role` (its own, ALL, and PUBLIC's)."""
    command = operation.upper()
    return [
        p for p in policies
        if p["command"] in (command, "ALL") and (db_role in p["roles"] or "public" in p["roles"])
    ]
