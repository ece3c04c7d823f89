"""The audit's world, built as a superuser inside the audit's own database: the world every command
shares (harness.world: tenants, members, one `row` per member), then the probe triggers on every
audited table and a snapshot of its rows. The member and tenant tables are the ones the [tenancy]
templates insert into (read from their SQL, never guessed from row counts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

import psycopg
from psycopg import sql

from harness.audit.catalog_facts import query
from harness.audit.model import TableFacts, WorldRow
from harness.catalog import prepare as prepare_catalog
from harness.config import Config, TableSpec
from harness.world import World, create_world, plan_world
from harness.world.people import metadata_keys

Progress = Callable[[str], None]


@dataclass
class AuditWorld(World):
    """The world (harness.world) plus what the audit probes: the tables, their rows, the no-op updates."""

    tables: dict[str, TableFacts] = field(default_factory=dict)
    rows: dict[str, list[WorldRow]] = field(default_factory=dict)
    # table -> db role -> (column, literal or None): what a no-op UPDATE sets (the trigger undoes it)
    noop: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)


def identity_sql(alias: str, keys: tuple[str, ...]) -> sql.Composable:
    """harness_audit.harness_audit_identity() of row `alias`, reading only the key columns."""
    if not keys:
        return sql.SQL("harness_audit.harness_audit_identity(to_jsonb({}), '{{}}'::text[])").format(sql.Identifier(alias))
    pairs = sql.SQL(", ").join(
        sql.SQL("{}, {}.{}").format(sql.Literal(k), sql.Identifier(alias), sql.Identifier(k)) for k in keys
    )
    return sql.SQL("harness_audit.harness_audit_identity(jsonb_build_object({}), {}::text[])").format(pairs, sql.Literal(list(keys)))


def table_sql(name: str) -> sql.Composable:
    schema, _, table = name.partition(".")
    return sql.Identifier(schema, table)


def build_world(conn: psycopg.Connection, config: Config, tables: dict[str, TableFacts],
                progress: Progress) -> AuditWorld:
    """Create everything inside the caller's transaction; the caller commits or rolls back."""
    conn.execute(query("install.sql").encode())
    texts = [t for (t,) in conn.execute(query("metadata_keys.sql")).fetchall()]
    planned = plan_world(config, metadata_keys(texts, config))
    built = create_world(conn, config, planned, rows=True, progress=progress)
    world = AuditWorld(**{f.name: getattr(built, f.name) for f in fields(World)}, tables=tables)
    _refresh_materialized_views(conn, config)
    for name, facts in tables.items():
        _install_probes(conn, config.tables[name], facts)
    world.rows = {name: _snapshot(conn, config, world, facts) for name, facts in tables.items()}
    world.noop = {name: _noop_columns(conn, config, facts) for name, facts in tables.items()}
    return world


def _refresh_materialized_views(conn: psycopg.Connection, config: Config) -> None:
    """They were filled when the migrations ran, before the world existed."""
    for name in sorted({view for view, relkind, *_ in read_views(conn, config) if relkind == "m"}):
        conn.execute(sql.SQL("refresh materialized view {}").format(table_sql(name)))


def read_views(conn: psycopg.Connection, config: Config) -> list[tuple[str, str, bool, str, list[str]]]:
    """(view, relkind, security invoker, audited table it reads, its columns), one per pair."""
    with conn.transaction():
        prepare_catalog(conn, config.project.api_schemas)
        rows = conn.execute(query("views.sql"), {"names": list(config.tables)}).fetchall()
    return [(view, relkind, invoker, table, list(columns)) for view, relkind, invoker, table, columns in rows]


def _install_probes(conn: psycopg.Connection, spec: TableSpec, facts: TableFacts) -> None:
    """The two probe triggers (install.sql); CREATE TRIGGER does not block readers of the catalog."""
    for name, phase, events in (("!harness_first", "first", "update or delete"),
                                ("~harness_last", "last", "insert or update or delete")):
        args = sql.SQL(", ").join(sql.Literal(a) for a in (phase, spec.owner or "", spec.tenant or "", *facts.key))
        conn.execute(sql.SQL(
            "create trigger {} before {} on {} for each row execute function harness_audit.probe_trigger({})"
        ).format(sql.Identifier(name), sql.SQL(events), table_sql(facts.name), args))


def _snapshot(conn: psycopg.Connection, config: Config, world: World, facts: TableFacts) -> list[WorldRow]:
    spec = config.tables[facts.name]
    owner = sql.SQL("r.{}::text").format(sql.Identifier(spec.owner)) if spec.owner else sql.SQL("null")
    tenant = sql.SQL("r.{}::text").format(sql.Identifier(spec.tenant)) if spec.tenant else sql.SQL("null")
    query_ = sql.SQL("select {}, {}, {} from {} as r").format(
        identity_sql("r", facts.key), owner, tenant, table_sql(facts.name))
    members = world.by_user
    rows = []
    for identity, owner_id, tenant_id in conn.execute(query_).fetchall():
        actor = members.get(owner_id) if owner_id else None
        if spec.tenant:
            label = world.tenant_label(tenant_id)
            tenants = frozenset([label] if label else [])
        elif actor is not None:
            tenants = frozenset(actor.tenants)
        else:
            tenants = frozenset()
        rows.append(WorldRow(identity, owner_id, tenants, actor.label if actor else None))
    return rows


def _noop_columns(conn: psycopg.Connection, config: Config, facts: TableFacts) -> dict[str, tuple[str, str | None]]:
    """Per API role, the column a no-op UPDATE sets: one it may update, not a key, not generated."""
    spec = config.tables[facts.name]
    settable = [c for c in facts.columns.values() if not c.generated]
    preferred = [spec.tenant, spec.owner]
    ordered = sorted(settable, key=lambda c: (c.name in facts.key, c.name not in preferred,
                                              preferred.index(c.name) if c.name in preferred else 0))
    chosen: dict[str, str] = {}
    for role in ("anon", "authenticated"):
        usable = [c for c in ordered if role in c.updatable_by] or ordered
        if usable:
            chosen[role] = usable[0].name
    if not chosen:
        return {}
    columns = sorted(set(chosen.values()))
    values = conn.execute(sql.SQL("select {} from {} limit 1").format(
        sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns),
        table_sql(facts.name),
    )).fetchone()
    by_column = dict(zip(columns, values)) if values else {}
    return {role: (column, by_column.get(column)) for role, column in chosen.items()}
