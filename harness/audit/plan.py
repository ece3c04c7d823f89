"""Which probes an actor gets: a first batch for every table, then a second batch only where the
first could not tell (a statement that failed as a whole is retried row by row)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.audit.model import Actor, Outcome
from harness.audit.probes import Probe, Statements
from harness.audit.scope import in_scope, insert_variants
from harness.config import Config


@dataclass(frozen=True)
class ViewTarget:
    """A view over an audited table, and the view columns that identify the table's rows."""

    view: str
    base: str
    columns: tuple[str, ...]
    by_key: bool  # the columns are the base table's key (else its owner / tenant columns)
    invoker: bool


def first_batch(book: Statements, config: Config, actor: Actor, views: list[ViewTarget]) -> list[Probe]:
    world = book.world
    batch: list[Probe] = []
    for name, facts in world.tables.items():
        spec = config.tables[name]
        batch.append(book.select(facts))
        batch.append(book.update(facts, actor))
        batch.extend(_moves(book, config, name, actor, spec.scope(actor.persona, "update")))
        batch.extend(_pulls(book, config, name, actor, spec.scope(actor.persona, "update")))
        batch.append(book.delete(facts))
        batch.extend(book.insert(name, v.statement, v.row) for v in insert_variants(config, world, name, actor))
    batch.extend(book.view(v.view, v.base, v.columns) for v in views)
    return batch


def second_batch(book: Statements, actor: Actor, probes: list[Probe], outcomes: list[Outcome]) -> list[Probe]:
    """Row-by-row retries of updates and deletes that failed as a whole; retries of lost races."""
    world = book.world
    batch: list[Probe] = []
    for probe, outcome in zip(probes, outcomes):
        if outcome.ok:
            continue
        if outcome.retryable:
            batch.append(probe)
        elif probe.kind in ("update", "delete") and not _no_privilege(outcome):
            facts = world.tables[probe.table]
            for row in world.rows[probe.table]:
                if probe.kind == "update":
                    batch.append(book.update(facts, actor, row))
                else:
                    batch.append(book.delete(facts, row))
    return batch


def _no_privilege(outcome: Outcome) -> bool:
    """No table privilege at all: every row would fail the same way."""
    return outcome.state == "42501" and (outcome.message or "").startswith("permission denied for table")


def _moves(book: Statements, config: Config, name: str, actor: Actor, scope: str) -> list[Probe]:
    """Try to send every row the actor may update out of its scope (the README, the access spec: update): set the
    owner column to a member of the other tenant (or, for "own", to a colleague) or the tenant column
    to the other tenant, wherever the row would then be outside the scope."""
    if scope in ("none", "all"):
        return []
    world = book.world
    spec, facts = config.tables[name], world.tables[name]
    others = [t for t in world.tenants if t not in actor.tenants]
    owners: list[tuple[Actor, str]] = [(world.member_of(t)[0], f"tenant {t}") for t in others]
    if scope == "own":
        owners += [(world.member_of(t, exclude=actor.user_id)[0], f"tenant {t}") for t in actor.tenants]

    def settable(column: str | None) -> bool:
        return bool(column) and column not in facts.key and not facts.columns[column or ""].generated

    probes = []
    for row in sorted(world.rows[name], key=lambda r: r.identity):
        if not in_scope(scope, actor, row.owner, row.tenants):
            continue
        moves: list[tuple[str, str, str, str | None, frozenset[str]]] = []  # column, value, where, new owner, tenants
        if settable(spec.owner):
            for owner, where in owners:
                tenants = row.tenants if spec.tenant else frozenset(owner.tenants)
                moves.append((spec.owner or "", owner.user_id or "", f"to {owner.label} of {where}", owner.user_id,
                              tenants))
        if settable(spec.tenant):
            moves += [(spec.tenant or "", world.tenants[t].value, f"to tenant {t}", row.owner, frozenset([t]))
                      for t in others]
        probes += [book.move(facts, row, column, value, where)
                   for column, value, where, owner_id, tenants in moves
                   if not in_scope(scope, actor, owner_id, tenants)]
    return probes


def _pulls(book: Statements, config: Config, name: str, actor: Actor, scope: str) -> list[Probe]:
    """Try to take a row the actor may not update into its own scope (the README, the access spec: update: "no
    other row can" be updated). A no-op update of such a row can fail only because the WITH CHECK
    rejects the unchanged row, which hides a USING that lets the actor reach it: setting the owner
    column to the actor (or the tenant column to its tenant) gives the WITH CHECK a row it accepts.
    One row of each kind (the tenants it is in, and whether a colleague owns it) is enough."""
    if scope == "all" or not actor.is_member or actor.user_id is None:
        return []
    world = book.world
    spec, facts = config.tables[name], world.tables[name]

    def settable(column: str | None) -> bool:
        return bool(column) and column not in facts.key and not facts.columns[column or ""].generated

    values: list[tuple[str, str]] = []
    if settable(spec.owner):
        values.append((spec.owner or "", actor.user_id))
    if settable(spec.tenant):
        values.append((spec.tenant or "", world.tenants[actor.tenants[0]].value))
    if not values:
        return []
    seen: set[tuple[frozenset[str], bool]] = set()
    probes = []
    for row in sorted(world.rows[name], key=lambda r: r.identity):
        kind = (row.tenants, row.owner is not None and row.owner != actor.user_id)
        if in_scope(scope, actor, row.owner, row.tenants) or kind in seen:
            continue
        seen.add(kind)
        probes += [book.pull(facts, row, column, value) for column, value in values]
    return probes
