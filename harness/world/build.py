"""Plan the world from the configuration (pure: fixed ids), then create it in a database as a superuser.

The one builder of the audit, explain and the pytest plugin (the emitted suites render the same plan
as SQL). Tenants come from `[tenancy] tenant`, members from `[tenancy] member` (their tables are the
ones those templates insert into, read from the SQL), one `row` per member from each table's template
when asked for. Each member's token carries the app_metadata its auth.users row has once the world
exists, so claims that the project's own triggers maintain are in the token as GoTrue would issue it.
"""

from __future__ import annotations

from typing import Any

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg
from psycopg import sql

from harness.config import Config, ConfigError
from harness.world import people as P
from harness.world.model import DUAL, OWNER, Actor, Tenant, World, fixed_id
from harness.world.prerequest import read_pre_request
from harness.world.templates import inserted_tables, render

Progress = Callable[[str], None]
SQL = Path(__file__).parent / "sql"


class WorldError(ConfigError):
    """A template failed as a superuser; the message names it and the statement."""


def _query(name: str) -> str:
    return (SQL / name).read_text(encoding="utf-8")


def _quiet(_: str) -> None:
    pass


def plan_world(config: Config, metadata_keys: list[str] | None = None) -> World:
    """Who the world holds, before any database exists. `metadata_keys`: the user_metadata keys the
    forged-claims attackers fill (the audit reads them from the catalog)."""
    tenants = P.make_tenants()
    keys = metadata_keys if metadata_keys is not None else P.metadata_keys([], config)
    people = P.plan_people(config, tenants, keys)
    if config.tenancy.primary_owner:
        tenants = {label: replace(t, owner=str(fixed_id(f"user:{P.owner_label(label)}")))
                   for label, t in tenants.items()}
    tenant_tables = set(inserted_tables(config.tenancy.tenant))
    member_tables = set(inserted_tables(config.tenancy.member)) - tenant_tables
    return World(tenants=tenants, actors=[p.actor for p in people] + [P.anon_actor()],
                 member_tables=member_tables, tenant_tables=tenant_tables,
                 spare_user=str(fixed_id("user:fresh")), spare_tenant=str(fixed_id("tenant:fresh")))


def create_world(conn: psycopg.Connection, config: Config, world: World, *, rows: bool = False,
                 progress: Progress = _quiet) -> World:
    """Create `world` inside the caller's transaction (the caller commits or rolls back) and return
    it as it came to be: members of both tenants only where the member template runs twice for one
    user, tokens with the app_metadata the database holds, the pre-request function. `rows`: seed
    one `row` per member of every table that has the template."""
    if not config.tenancy.roles:
        raise WorldError(f"{_origin(config)}: [tenancy] roles is empty: the world needs at least one member role")
    tenancy = config.tenancy
    progress("building the world: tenants A and B, their members, the outsiders")
    people = [a for a in world.actors if a.user_id]
    owners = [a for a in people if a.kind == OWNER]
    _auth_users(conn, owners)  # the primary owners first: the tenant template names them
    if tenancy.tenant.strip():
        _run_all(conn, config, [(render(tenancy.tenant, tenant=t.id, owner=t.owner or ""),
                                 f"[tenancy] tenant for tenant {t.label}") for t in world.tenants.values()])
    _auth_users(conn, [a for a in people if a.kind != OWNER],
                {"id": world.spare_user, "email": f"fresh@{P.EMAIL_DOMAIN}", "app_metadata": {}, "user_metadata": {}})
    singles = [a for a in people if a.kind not in (DUAL, OWNER) and a.tenants]
    if tenancy.member.strip():
        _run_all(conn, config, [_membership(config, world.tenants, a, a.tenants[0]) for a in singles])
    duals = [a for a in people if a.kind == DUAL]
    multi = bool(singles) and bool(tenancy.member.strip()) and _can_join_twice(conn, config, world.tenants, singles[0])
    if multi:
        _run_all(conn, config, [_membership(config, world.tenants, a, t) for a in duals for t in a.tenants])
    actors = _issued_tokens(conn, [a for a in world.actors if multi or a.kind != DUAL])
    tenants = _tenant_keys(conn, world)
    built = replace(world, tenants=tenants, actors=actors, multi_membership=multi, pre_request=read_pre_request(conn))
    if rows:
        _seed_rows(conn, config, built)
    return built


def _auth_users(conn: psycopg.Connection, actors: list[Actor], *extra: dict[str, object]) -> None:
    people = [{"id": a.user_id, "email": a.claims.get("email", ""), "app_metadata": a.claims.get("app_metadata", {}),
               "user_metadata": a.claims.get("user_metadata", {})} for a in actors] + list(extra)
    if people:
        conn.execute(_query("auth_users.sql"), {"people": json.dumps(people)})


def _tenant_keys(conn: psycopg.Connection, world: World) -> dict[str, Tenant]:
    """Each tenant's primary key where it is not the id the template was given (a bigint key beside
    the uuid the template wrote): columns that reference the tenant hold the key."""
    tables = sorted(world.tenant_tables)
    if not tables:
        return world.tenants
    key = conn.execute(_query("primary_key.sql"), {"table": tables[0]}).fetchone()
    if key is None:
        return world.tenants
    schema, _, name = tables[0].partition(".")
    # the row whose some column holds the id, and its key
    found: dict[str, str] = dict(conn.execute(sql.SQL(
        "select e.value, r.{}::text from {} as r, jsonb_each_text(to_jsonb(r)) as e where e.value = any(%s)"
    ).format(sql.Identifier(key[0]), sql.Identifier(schema, name)), [[t.id for t in world.tenants.values()]]).fetchall())
    return {label: replace(t, key=found[t.id]) if found.get(t.id) not in (None, t.id) else t
            for label, t in world.tenants.items()}


def _issued_tokens(conn: psycopg.Connection, actors: list[Actor]) -> list[Actor]:
    """Each signed-in actor's claims with app_metadata as auth.users holds it now."""
    ids = [a.user_id for a in actors if a.user_id]
    stored: dict[Any, Any] = dict(conn.execute(_query("app_metadata.sql"), {"ids": ids}).fetchall()) if ids else {}
    issued = []
    for actor in actors:
        metadata = stored.get(actor.user_id or "")
        if metadata is not None and metadata != actor.claims.get("app_metadata"):
            actor = replace(actor, claims={**actor.claims, "app_metadata": metadata})
        issued.append(actor)
    return issued


def _membership(config: Config, tenants: dict[str, Tenant], actor: Actor, tenant: str) -> tuple[str, str]:
    statement = render(config.tenancy.member, actor.user_id or "", tenants[tenant].id, actor.role or "")
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
        for actor in world.by_user.values():
            for tenant in actor.tenants if spec.tenant else actor.tenants[:1]:
                statements.append((
                    render(spec.row, actor.user_id or "", world.tenants[tenant].id, actor.role or ""),
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
            raise WorldError(
                f"{_origin(config)}: {what} failed as a superuser, so the world cannot be built: {message}\n"
                f"  statement: {statement.strip()}"
            ) from None


def _origin(config: Config) -> str:
    return config.source.name if config.source else "configuration"
