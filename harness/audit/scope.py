"""What the spec allows: the rows in a persona's scope, and the rows an insert probe tries.

"own" is owned by the actor *and* in one of its tenants; "tenant" is in one of its tenants;
"all" is every row; "none" is nothing (README: the access spec). A member of both tenants gets the union.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.audit.model import Actor, RowLike, WorldRow
from harness.config import Config, TableSpec
from harness.world import World
from harness.world.templates import render

SCOPES = ("none", "own", "tenant", "all")


def in_scope(scope: str, actor: Actor, owner: str | None, tenants: frozenset[str]) -> bool:
    if scope == "all":
        return True
    mine = owner is not None and owner == actor.user_id
    if scope in ("own", "tenant") and mine and not tenants:
        return True  # in no tenant of the world but its own: a personal account's row (basejump-style)
    shared = bool(tenants & set(actor.tenants))
    if scope == "tenant":
        return shared
    if scope == "own":
        return shared and mine
    return False


def expected_rows(scope: str, actor: Actor, rows: list[WorldRow]) -> frozenset[str]:
    return frozenset(r.identity for r in rows if in_scope(scope, actor, r.owner, r.tenants))


def scope_label(observed: frozenset[str], actor: Actor, rows: list[WorldRow]) -> tuple[str, bool]:
    """The narrowest scope that holds what the actor got, and whether it got only part of it."""
    for scope in SCOPES:
        allowed = expected_rows(scope, actor, rows)
        if observed <= allowed:
            return scope, observed != allowed
    return "all", False


def insert_label(accepted: list[RowLike], tried: list[RowLike], actor: Actor) -> tuple[str, bool]:
    for scope in SCOPES:
        allowed = [r for r in tried if in_scope(scope, actor, r.owner, r.tenants)]
        if all(r in allowed for r in accepted):
            return scope, len(accepted) != len(allowed)
    return "all", False


@dataclass(frozen=True)
class InsertVariant:
    statement: str
    row: RowLike


def insert_variants(config: Config, world: World, table: str, actor: Actor) -> list[InsertVariant]:
    """The rows an insert probe tries for `actor` (empty when the table cannot be probed for insert)."""
    spec = config.tables[table]
    if spec.row:
        return _row_variants(config, spec, world, actor)
    if table in world.member_tables:
        return _member_variants(config, world, actor)
    if table in world.tenant_tables:
        fresh = RowLike(None, frozenset(), "a fresh tenant")
        statement = render(config.tenancy.tenant, tenant=world.spare_tenant, owner=actor.user_id or world.spare_user)
        return [InsertVariant(statement, fresh)]
    return []


def _row_variants(config: Config, spec: TableSpec, world: World, actor: Actor) -> list[InsertVariant]:
    assert spec.row is not None
    roles = config.tenancy.roles
    variants: list[InsertVariant] = []

    def add(owner: Actor | None, tenant: str, description: str) -> None:
        # {user} is the row's owner; in a table without one, the actor (or, for anon, a member)
        user = owner or (actor if actor.user_id else world.member_of(tenant)[0])
        if spec.tenant:
            tenants = frozenset([tenant])
        elif owner is not None:
            tenants = frozenset(owner.tenants)
        else:
            tenants = frozenset()
        statement = render(spec.row or "", user.user_id or "", world.tenants[tenant].id, user.role or roles[0])
        variants.append(InsertVariant(statement, RowLike(owner.user_id if owner else None, tenants, description)))

    if not spec.owner:
        if not spec.tenant:
            add(None, next(iter(world.tenants)), "a row")
        for tenant in world.tenants if spec.tenant else ():
            add(None, tenant, f"a row of tenant {tenant}")
        return variants
    me = world.by_user.get(actor.user_id or "")
    for tenant in actor.tenants:
        where = f" in tenant {tenant}" if len(actor.tenants) > 1 else ""
        if me is not None:
            add(me, tenant, f"its own row{where}")
        colleague = world.member_of(tenant, exclude=actor.user_id)[0]
        add(colleague, tenant, f"a row of another member of tenant {tenant} ({colleague.label})")
    for tenant in (t for t in world.tenants if t not in actor.tenants):
        for role in roles:
            victim = next(m for m in world.member_of(tenant) if m.role == role)
            add(victim, tenant, f"a row of a member of tenant {tenant} ({victim.label})")
        if me is not None and spec.tenant:
            add(me, tenant, f"its own row placed in tenant {tenant}")
    return variants


def _member_variants(config: Config, world: World, actor: Actor) -> list[InsertVariant]:
    role = config.tenancy.roles[0]
    variants = []
    for tenant in world.tenants:
        where = "its own tenant" if tenant in actor.tenants else f"tenant {tenant}"
        statement = render(config.tenancy.member, world.spare_user, world.tenants[tenant].id, role)
        variants.append(InsertVariant(statement, RowLike(world.spare_user, frozenset([tenant]),
                                                         f"a fresh user as a {role} of {where} ({tenant})")))
        if actor.user_id and not actor.tenants:
            statement = render(config.tenancy.member, actor.user_id, world.tenants[tenant].id, role)
            variants.append(InsertVariant(statement, RowLike(actor.user_id, frozenset([tenant]),
                                                             f"itself as a {role} of tenant {tenant}")))
    return variants
