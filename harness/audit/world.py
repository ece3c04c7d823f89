"""The two-tenant world, built as a superuser inside the audit's own database.

Tenants and members come from the [tenancy] templates, one `row` per member comes from each table's
template, and the probe triggers go on every audited table. Which tables the tenancy templates
write (the tenant table and the member table) is observed, not guessed: their row counts grow.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from harness.audit import people as P
from harness.audit.catalog_facts import origin, query
from harness.audit.model import DUAL, Actor, TableFacts, Tenant, WorldRow
from harness.catalog import prepare as prepare_catalog
from harness.config import Config, ConfigError, TableSpec

Progress = Callable[[str], None]


@dataclass
class World:
    tenants: dict[str, Tenant]
    actors: list[Actor]
    tables: dict[str, TableFacts]
    rows: dict[str, list[WorldRow]] = field(default_factory=dict)
    member_tables: set[str] = field(default_factory=set)
    tenant_tables: set[str] = field(default_factory=set)
    multi_membership: bool = False
    spare_user: str = ""  # an auth user who is nobody's member: the "fresh user" of member inserts
    spare_tenant: str = ""  # a tenant id nobody has: the "fresh tenant" of tenant inserts
    # table -> db role -> (column, literal or None): what a no-op UPDATE sets (the trigger undoes it)
    noop: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)

    @property
    def members(self) -> dict[str, Actor]:
        return {a.user_id: a for a in self.actors if a.user_id and a.tenants}

    def member_of(self, tenant: str, exclude: str | None = None) -> list[Actor]:
        return [a for a in self.actors if a.tenants == (tenant,) and a.forged is None and a.user_id != exclude]

    def tenant_label(self, tenant_id: str | None) -> str | None:
        return next((t.label for t in self.tenants.values() if t.id == tenant_id), None)


def identity_sql(alias: str, keys: tuple[str, ...]) -> sql.Composable:
    """harness_audit.identity() of row `alias`, reading only the key columns."""
    if not keys:
        return sql.SQL("harness_audit.identity(to_jsonb({}), '{{}}'::text[])").format(sql.Identifier(alias))
    pairs = sql.SQL(", ").join(
        sql.SQL("{}, {}.{}").format(sql.Literal(k), sql.Identifier(alias), sql.Identifier(k)) for k in keys
    )
    return sql.SQL("harness_audit.identity(jsonb_build_object({}), {}::text[])").format(pairs, sql.Literal(list(keys)))


def table_sql(name: str) -> sql.Composable:
    schema, _, table = name.partition(".")
    return sql.Identifier(schema, table)


def build_world(conn: psycopg.Connection, config: Config, tables: dict[str, TableFacts],
                progress: Progress) -> World:
    """Create everything inside the caller's transaction; the caller commits or rolls back."""
    if not config.tenancy.roles:
        raise ConfigError(f"{origin(config)}: [tenancy] roles is empty: the audit needs at least one member role")
    conn.execute(query("install.sql").encode())
    tenants = P.make_tenants()
    texts = [t for (t,) in conn.execute(query("metadata_keys.sql")).fetchall()]
    people = P.plan_people(config, tenants, P.metadata_keys(texts, config))
    world = World(tenants=tenants, actors=[], tables=tables, spare_user=str(uuid.uuid4()),
                  spare_tenant=str(uuid.uuid4()))
    tenancy = config.tenancy
    progress("building the audit's world: tenants A and B, their members, the outsiders")

    before = _counts(conn, tables)
    _run_all(conn, config, [(P.render(tenancy.tenant, tenant=t.id), f"[tenancy] tenant for tenant {t.label}")
                    for t in tenants.values()])
    after_tenants = _counts(conn, tables)
    world.tenant_tables = {n for n in tables if after_tenants[n] > before[n]}

    spare = {"id": world.spare_user, "email": f"fresh@{P.EMAIL_DOMAIN}", "app_metadata": {}, "user_metadata": {}}
    conn.execute(query("auth_users.sql"), {"people": json.dumps(
        [{"id": p.actor.user_id, "email": p.email, "app_metadata": p.app_metadata,
          "user_metadata": p.user_metadata} for p in people] + [spare]
    )})

    singles = [p.actor for p in people if p.actor.kind != DUAL and p.actor.tenants]
    _run_all(conn, config, [_membership(config, tenants, a, a.tenants[0]) for a in singles])
    after_members = _counts(conn, tables)
    world.member_tables = {n for n in tables if after_members[n] > after_tenants[n]} - world.tenant_tables

    duals = [p.actor for p in people if p.actor.kind == DUAL]
    world.multi_membership = bool(singles) and _can_join_twice(conn, config, tenants, singles[0])
    if world.multi_membership:
        _run_all(conn, config, [_membership(config, tenants, a, t) for a in duals for t in a.tenants])
    world.actors = [p.actor for p in people if world.multi_membership or p.actor.kind != DUAL] + [P.anon_actor()]

    _seed_rows(conn, config, world)
    _refresh_materialized_views(conn, config)
    for name, facts in tables.items():
        _install_probes(conn, config.tables[name], facts)
    world.rows = {name: _snapshot(conn, config, world, facts) for name, facts in tables.items()}
    world.noop = {name: _noop_columns(conn, config, facts) for name, facts in tables.items()}
    return world


def _membership(config: Config, tenants: dict[str, Tenant], actor: Actor, tenant: str) -> tuple[str, str]:
    statement = P.render(config.tenancy.member, actor.user_id or "", tenants[tenant].id, actor.role or "")
    return statement, f"[tenancy] member for {actor.label} in tenant {tenant}"


def _can_join_twice(conn: psycopg.Connection, config: Config, tenants: dict[str, Tenant], member: Actor) -> bool:
    """Does the member template run a second time for one user (a membership table, not a profile)?"""
    other = next(t for t in tenants if t not in member.tenants)
    statement, _ = _membership(config, tenants, member, other)
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(statement.encode())
    except psycopg.Error:
        return False
    return True


def _seed_rows(conn: psycopg.Connection, config: Config, world: World) -> None:
    """One `row` per member (per membership where the table names its tenant directly)."""
    for name, spec in config.tables.items():
        if not spec.row or name in world.member_tables or name in world.tenant_tables:
            continue
        statements = []
        for actor in world.members.values():
            for tenant in actor.tenants if spec.tenant else actor.tenants[:1]:
                statements.append((
                    P.render(spec.row, actor.user_id or "", world.tenants[tenant].id, actor.role or ""),
                    f"[tables.\"{name}\"] row for {actor.label}",
                ))
        _run_all(conn, config, statements)


def _run_all(conn: psycopg.Connection, config: Config, statements: list[tuple[str, str]]) -> None:
    """All at once; when that fails, one by one to name the template that fails."""
    if not statements:
        return
    try:
        with conn.transaction():
            conn.execute(";\n".join(s for s, _ in statements).encode())
        return
    except psycopg.Error:
        pass
    for statement, what in statements:
        try:
            with conn.transaction():
                conn.execute(statement.encode())
        except psycopg.Error as exc:
            message = (exc.diag.message_primary or str(exc)).strip()
            raise ConfigError(
                f"{origin(config)}: {what} failed as a superuser, so the audit cannot build its world: {message}\n"
                f"  statement: {statement.strip()}"
            ) from None


def _counts(conn: psycopg.Connection, tables: Iterable[str]) -> dict[str, int]:
    names = list(tables)
    if not names:
        return {}
    counts = sql.SQL(", ").join(sql.SQL("(select count(*) from {})").format(table_sql(n)) for n in names)
    row = conn.execute(sql.SQL("select {}").format(counts)).fetchone() or ()
    return dict(zip(names, row))


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
    members = world.members
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
