"""The access matrix of one table as pgTAP assertions: per persona (from both tenants), per operation,
per category of rows, what the spec allows (the README: "The access spec").

The scope rules are the audit's (`in_scope`), and so is the choice of rows an insert tries
(`insert_variants`), so the suites and `harness audit` hold the database to the same matrix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from harness.audit.model import Actor
from harness.audit.scope import in_scope, insert_variants
from harness.config import TableSpec
from harness.emit.world import TENANTS, EmitWorld, parse_probe

ROWS_OPERATIONS = ("select", "update", "delete")


@dataclass(frozen=True)
class Block:
    """What one persona may do with one table: the statement that becomes it, then its assertions."""

    title: str
    switch: str
    assertions: tuple[str, ...]  # one statement each, one TAP line each


@dataclass(frozen=True)
class TableMatrix:
    table: str
    spec: TableSpec
    preamble: tuple[str, ...]  # assertions made as the superuser, before any persona
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]  # what the suite does not probe, and why

    @property
    def count(self) -> int:
        return len(self.preamble) + sum(len(b.assertions) for b in self.blocks)


@dataclass(frozen=True)
class Category:
    """A group of rows as the emitted SQL names it (pg_temp.harness_in_category), and in words."""

    token: str
    owner: str | None  # a representative row's owner, for in_scope
    tenants: frozenset[str]
    can: str  # "its own row", "the rows of tenant B"
    cannot: str  # "its own row", "rows of tenant B"


def quote(text: str | None) -> str:
    """An SQL string literal (or null)."""
    return "null" if text is None else "'" + text.replace("'", "''") + "'"


def table_matrix(emit: EmitWorld, table: str) -> TableMatrix:
    spec = emit.config.tables[table]
    schema, _, name = table.partition(".")
    world_rows = _world_rows(emit, table)
    preamble = (
        f"select tests.rls_enabled({quote(schema)}, {quote(name)});",
        (f"select is(pg_temp.harness_world({quote(table)}), {_array(world_rows)},\n"
         f"  {quote(_world_description(table, world_rows))});"),
    )
    notes = []
    if not any(insert_variants(emit.probe_config, emit.world, table, a) for a in emit.actors):
        notes.append("insert is not probed: the table has no `row` template and no [tenancy] template writes it")
    if not world_rows:
        notes.append("the world has no row of this table (no `row` template): only rows from before it are probed")
    blocks = tuple(_block(emit, table, spec, actor) for actor in emit.actors)
    return TableMatrix(table, spec, preamble, blocks, tuple(notes))


def _world_rows(emit: EmitWorld, table: str) -> list[str]:
    """Labels of the rows the world makes in `table` (the setup labels rows by who they are for)."""
    if table in emit.tenant_tables:
        return [f"tenant {t}" for t in TENANTS]
    if table in emit.member_tables or emit.config.tables[table].row:
        return sorted(a.label for a in emit.members)
    return []


def _world_description(table: str, rows: list[str]) -> str:
    if not rows:
        return f"the world has no row in {table}"
    if rows[0].startswith("tenant "):
        return f"the world has a row of tenant A and one of tenant B in {table}"
    return f"the world has one row per member of tenants A and B in {table}"


def _array(items: list[str], per_line: int = 4) -> str:
    if not items:
        return "'{}'::text[]"
    lines = [", ".join(quote(i) for i in items[n:n + per_line]) for n in range(0, len(items), per_line)]
    if len(lines) == 1:
        return f"array[{lines[0]}]"
    return "array[\n    " + ",\n    ".join(lines) + "]"


def _block(emit: EmitWorld, table: str, spec: TableSpec, actor: Actor) -> Block:
    who = actor.describe()
    scopes = ", ".join(f"{op} {spec.scope(actor.persona, op)}" for op in ("select", "insert", "update", "delete"))
    assertions: list[str] = []
    for operation in ROWS_OPERATIONS:
        scope = spec.scope(actor.persona, operation)
        for category in categories(spec, actor):
            assertions.append(_rows_assertion(table, operation, scope, actor, category, who))
        if operation == "select":
            assertions.extend(_insert_assertions(emit, table, actor, who))
        if operation == "update":
            assertions.extend(_move_assertions(emit, table, spec, actor, who))
            assertions.extend(_takeover_assertions(spec, actor, who, table))
    return Block(f"{who}: {scopes}", _switch(emit, actor), tuple(assertions))


def _switch(emit: EmitWorld, actor: Actor) -> str:
    if actor.user_id is None:
        return "select tests.authenticate_as_anon();"
    if _has_extra_claims(emit):
        return f"select pg_temp.harness_authenticate_as({quote(actor.label)});"
    return f"select tests.authenticate_as({quote(actor.label)});"


def _has_extra_claims(emit: EmitWorld) -> bool:
    """Does [tenancy] claims carry top-level claims besides app_metadata / user_metadata?"""
    claims = emit.config.tenancy.claims
    if not claims:
        return False
    sample = claims.replace("{user}", "u").replace("{tenant}", "t").replace("{role}", "r")
    return bool(set(json.loads(sample)) - {"app_metadata", "user_metadata"})


def categories(spec: TableSpec, actor: Actor) -> list[Category]:
    """The groups of rows an assertion is about, seen from `actor`."""
    if not spec.owner and not spec.tenant:
        return [Category("every row", None, frozenset(), "every row", "any row")]
    found: list[Category] = []
    others = list(TENANTS)
    if actor.tenants:
        mine = actor.tenants[0]
        others.remove(mine)
        if spec.owner:
            found.append(Category("own", actor.user_id, frozenset([mine]), "its own row", "its own row"))
            found.append(Category(f"others in {mine}", "someone else", frozenset([mine]),
                                  f"the rows of other members of tenant {mine}",
                                  f"rows of other members of tenant {mine}"))
        else:
            found.append(Category(f"tenant {mine}", None, frozenset([mine]), f"the rows of tenant {mine}",
                                  f"rows of tenant {mine}"))
    for tenant in others:
        found.append(Category(f"tenant {tenant}", None, frozenset([tenant]), f"the rows of tenant {tenant}",
                              f"rows of tenant {tenant}"))
    found.append(Category("outside", None, frozenset(), "the rows outside tenants A and B",
                          "rows outside tenants A and B"))
    return found


def _rows_assertion(table: str, operation: str, scope: str, actor: Actor, category: Category, who: str) -> str:
    reached = f"pg_temp.harness_reached({quote(operation)}, {quote(table)}, {quote(category.token)})"
    if in_scope(scope, actor, category.owner, category.tenants):
        expected = f"pg_temp.harness_rows_in({quote(table)}, {quote(category.token)})"
        description = f"{who} can {operation} {category.can}"
    else:
        expected = "'{}'::text[]"
        description = f"{who} cannot {operation} {category.cannot}"
    return f"select is({reached}, {expected},\n  {quote(description)});"


def _insert_assertions(emit: EmitWorld, table: str, actor: Actor, who: str) -> list[str]:
    spec = emit.config.tables[table]
    scope = spec.scope(actor.persona, "insert")
    found = []
    for variant in insert_variants(emit.probe_config, emit.world, table, actor):
        member, tenant = parse_probe(variant.statement)
        statement = f"pg_temp.harness_insert({quote(table)}, {quote(member)}, {quote(tenant)})"
        if in_scope(scope, actor, variant.row.owner, variant.row.tenants):
            found.append(f"select lives_ok({statement},\n  {quote(f'{who} can insert {variant.row.description}')});")
        else:
            found.append(f"select throws_ok({statement}, '42501', null,\n"
                         f"  {quote(f'{who} cannot insert {variant.row.description}')});")
    return found


def _move_assertions(emit: EmitWorld, table: str, spec: TableSpec, actor: Actor, who: str) -> list[str]:
    """No row the actor may update can be sent out of its scope (the README, the access spec: update): its owner
    set to a member of the other tenant (for "own", also to a colleague), its tenant to the other
    tenant, wherever the row would then be out of scope. Mirrors the audit's move probes."""
    scope = spec.scope(actor.persona, "update")
    if scope not in ("own", "tenant") or not actor.tenants:
        return []
    world = emit.world
    mine = actor.tenants[0]
    other = next(t for t in TENANTS if t != mine)
    rows, rows_words = ("own", "its own row") if scope == "own" else (f"tenant {mine}", f"rows of tenant {mine}")
    owners = [world.member_of(other)[0]]
    if scope == "own":
        owners.append(world.member_of(mine, exclude=actor.user_id)[0])
    found = []
    if spec.owner:
        for owner in owners:
            tenants = frozenset([mine]) if spec.tenant else frozenset(owner.tenants)
            if not in_scope(scope, actor, owner.user_id, tenants):
                description = (f"{who} cannot move {rows_words} to {owner.label} of tenant {owner.tenants[0]} "
                               f"(update of {spec.owner})")
                found.append(f"select pg_temp.harness_cannot_move({quote(table)}, {quote(rows)}, "
                             f"{quote(owner.label)},\n  {quote(description)});")
    if spec.tenant:
        description = f"{who} cannot move {rows_words} to tenant {other} (update of {spec.tenant})"
        found.append(f"select pg_temp.harness_cannot_move({quote(table)}, {quote(rows)}, {quote(f'tenant {other}')},\n"
                     f"  {quote(description)});")
    return found


def _takeover_assertions(spec: TableSpec, actor: Actor, who: str, table: str) -> list[str]:
    """No row outside the actor's update scope can be taken into it (the README, the access spec: an update may touch "no other
    row can" be updated): its owner set to the actor, its tenant to the actor's tenant. A no-op update
    of such a row fails any sound WITH CHECK, which would hide a USING that reaches it; a takeover
    gives the WITH CHECK a row it accepts. Mirrors the audit's pull probes."""
    scope = spec.scope(actor.persona, "update")
    if scope == "all" or not actor.tenants or actor.user_id is None:
        return []
    mine = actor.tenants[0]
    found = []
    for category in categories(spec, actor):
        if category.token == "outside" or in_scope(scope, actor, category.owner, category.tenants):
            continue
        if spec.owner:
            description = f"{who} cannot take over {category.cannot} (update of {spec.owner} to itself)"
            found.append(f"select pg_temp.harness_cannot_move({quote(table)}, {quote(category.token)}, "
                         f"{quote(actor.label)},\n  {quote(description)});")
        if spec.tenant:
            description = f"{who} cannot take over {category.cannot} (update of {spec.tenant} to tenant {mine})"
            found.append(f"select pg_temp.harness_cannot_move({quote(table)}, {quote(category.token)}, "
                         f"{quote(f'tenant {mine}')},\n  {quote(description)});")
    return found
