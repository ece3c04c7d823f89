"""What happened against what the spec allows, per actor, table and operation (a `Cell`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from harness.audit.model import Actor, Outcome, RowLike, WorldRow
from harness.audit.plan import ViewTarget
from harness.audit.probes import Probe, ProbeRun
from harness.audit.scope import expected_rows, in_scope, insert_label, scope_label
from harness.audit.world import AuditWorld
from harness.config import Config

OK, LEAK, DENIED, ERROR, NOT_PROBED = "ok", "leak", "denied", "error", "not probed"
WORST_FIRST = (ERROR, LEAK, DENIED, OK, NOT_PROBED)


@dataclass
class Cell:
    actor: Actor
    table: str
    operation: str
    spec: str
    leaks: list[dict[str, Any]] = field(default_factory=list)  # rows (or tries) beyond the spec
    denials: list[dict[str, Any]] = field(default_factory=list)  # rows (or tries) the spec allows, refused
    errors: list[tuple[Probe, Outcome]] = field(default_factory=list)
    observed: str = "none"  # the narrowest scope that holds what the actor got
    partial: bool = False  # it got only part of that scope
    moved: bool = False  # update: rows were moved out of scope
    probed: bool = True
    base: str | None = None  # a view cell: the audited table behind it

    @property
    def status(self) -> str:
        if not self.probed:
            return NOT_PROBED
        if self.errors:
            return ERROR
        if self.leaks:
            return LEAK
        if self.denials:
            return DENIED
        return OK


def describe_row(row: WorldRow, actor: Actor, has_owner: bool) -> dict[str, Any]:
    shared = row.tenants & set(actor.tenants)
    if shared and row.owner is not None and row.owner == actor.user_id:
        category = "its own"
    elif shared:
        which = " and ".join(sorted(shared))
        category = f"other members of tenant {which}" if has_owner else f"tenant {which}"
    elif row.tenants:
        category = f"tenant {' and '.join(sorted(row.tenants))}"
    else:
        category = "no tenant"
    return {"key": row.identity, "owner": row.owner_label, "tenant": "+".join(sorted(row.tenants)) or None,
            "category": category}


def compare_run(config: Config, world: AuditWorld, run: ProbeRun, views: list[ViewTarget]) -> list[Cell]:
    cells: list[Cell] = []
    actor = run.actor
    for name in world.tables:
        rows = world.rows[name]
        spec = config.tables[name]
        has_owner = bool(spec.owner)
        cells.append(_rows_cell(actor, name, "select", spec.scope(actor.persona, "select"), rows, has_owner,
                                _read(run.pairs(name, "select"))))
        update = _rows_cell(actor, name, "update", spec.scope(actor.persona, "update"), rows, has_owner,
                            _write(run.pairs(name, "update"), run.pairs(name, "update-row")))
        _add_moves(update, run.pairs(name, "move"), rows)
        _add_pulls(update, run.pairs(name, "pull"), rows, actor, has_owner)
        cells.append(update)
        cells.append(_rows_cell(actor, name, "delete", spec.scope(actor.persona, "delete"), rows, has_owner,
                                _write(run.pairs(name, "delete"), run.pairs(name, "delete-row"))))
        cells.append(_insert_cell(config, world, actor, name, spec.scope(actor.persona, "insert"),
                                  run.pairs(name, "insert")))
    for view in views:
        cells.append(_view_cell(config, world, actor, view, run.pairs(view.view, "view")))
    for cell in cells:
        spec = config.tables[cell.base or cell.table]
        if spec.at_most(actor.persona, cell.operation):  # "tenant*": missing rows of the scope are no denial
            cell.denials = []
            cell.spec += "*"
    return cells


Observed = tuple[frozenset[str] | None, list[tuple[Probe, Outcome]]]


def _read(pairs: list[tuple[Probe, Outcome]]) -> Observed:
    probe, outcome = pairs[-1]  # a retried probe's last outcome counts
    if outcome.ok:
        return outcome.hits, []
    if outcome.no_access:  # "none: nothing or a permission error" (on the relation, not elsewhere)
        return frozenset(), []
    return None, [(probe, outcome)]


def _write(whole: list[tuple[Probe, Outcome]], by_row: list[tuple[Probe, Outcome]]) -> Observed:
    outcome = whole[-1][1]  # a retried probe's last outcome counts
    if outcome.ok:
        return outcome.hits, []
    if not by_row:
        return frozenset(), []  # no privilege on the table at all
    reached: set[str] = set()
    errors = []
    for row_probe, row_outcome in by_row:
        if row_outcome.ok:
            reached |= row_outcome.hits
        elif row_outcome.passed_policies:
            reached.add(row_probe.target)
        elif not row_outcome.refused:
            errors.append((row_probe, row_outcome))
    return frozenset(reached), errors


def _rows_cell(actor: Actor, table: str, operation: str, spec: str, rows: list[WorldRow], has_owner: bool,
               observed: Observed) -> Cell:
    got, errors = observed
    cell = Cell(actor, table, operation, spec, errors=errors)
    if got is None:
        return cell
    known = {r.identity: r for r in rows}
    got = frozenset(i for i in got if i in known)
    allowed = expected_rows(spec, actor, rows)
    cell.leaks = [describe_row(known[i], actor, has_owner) for i in sorted(got - allowed)]
    cell.denials = [describe_row(known[i], actor, has_owner) for i in sorted(allowed - got)]
    cell.observed, cell.partial = scope_label(got, actor, rows)
    return cell


def _add_moves(cell: Cell, moves: list[tuple[Probe, Outcome]], rows: list[WorldRow]) -> None:
    known = {r.identity: r for r in rows}
    for probe, outcome in moves:
        assert probe.move is not None
        column, destination = probe.move
        if outcome.passed_policies and (not outcome.ok or probe.target in outcome.hits):
            row = known.get(probe.target)
            cell.leaks.append({"key": probe.target, "owner": row.owner_label if row else None,
                               "category": f"moved {destination}", "column": column,
                               "statement": probe.statement})
            cell.moved = True
        elif not outcome.ok and not outcome.refused:
            cell.errors.append((probe, outcome))


def _add_pulls(cell: Cell, pulls: list[tuple[Probe, Outcome]], rows: list[WorldRow], actor: Actor,
               has_owner: bool) -> None:
    """A row outside the update scope that an UPDATE could reach (and take over) is an update leak."""
    known = {r.identity: r for r in rows}
    already = {leak.get("key") for leak in cell.leaks}
    for probe, outcome in pulls:
        assert probe.move is not None
        row = known.get(probe.target)
        if row is None:
            continue
        if outcome.passed_policies and (not outcome.ok or probe.target in outcome.hits):
            if probe.target not in already:
                cell.leaks.append({**describe_row(row, actor, has_owner), "taken_over_by_setting": probe.move[0],
                                   "statement": probe.statement})
                already.add(probe.target)
        elif not outcome.ok and not outcome.refused:
            cell.errors.append((probe, outcome))


def _insert_cell(config: Config, world: AuditWorld, actor: Actor, table: str, spec: str,
                 pairs: list[tuple[Probe, Outcome]]) -> Cell:
    cell = Cell(actor, table, "insert", spec, probed=bool(pairs))
    accepted, tried = [], []
    for probe, outcome in pairs:
        assert probe.row is not None
        if not outcome.ok and not outcome.passed_policies and not outcome.refused:
            cell.errors.append((probe, outcome))
            continue
        # What the row really became (the table's triggers may have set its owner), else what was asked.
        row = _stored_row(config, world, table, probe.row, outcome) or probe.row
        tried.append(row)
        allowed = in_scope(spec, actor, row.owner, row.tenants)
        entry = {"row": row.description, "statement": probe.statement}
        if outcome.accepted_insert:
            accepted.append(row)
            if not allowed:
                cell.leaks.append({**entry, "category": row.description})
        elif allowed:
            error = outcome.message if not outcome.ok else "the statement inserted no row"
            cell.denials.append({**entry, "category": row.description, "error": error})
    cell.observed, cell.partial = insert_label(accepted, tried, actor)
    return cell


def _stored_row(config: Config, world: AuditWorld, table: str, asked: RowLike, outcome: Outcome) -> RowLike | None:
    """The owner and tenant the last probe trigger saw on the inserted row, when it differs from
    what the probe asked for (a trigger that sets owner = auth.uid() turns "a row of another member"
    into "its own row")."""
    spec = config.tables[table]
    for hit in outcome.hits:
        name, owner, tenant = json.loads(hit)
        if name != table:
            continue
        owner = str(owner) if owner is not None else None
        member = world.by_user.get(owner or "")
        if spec.tenant:
            label = world.tenant_label(str(tenant) if tenant is not None else None)
            tenants = frozenset([label] if label else [])
        else:
            tenants = frozenset(member.tenants) if member else frozenset()
        stored = RowLike(owner if spec.owner else None, tenants, asked.description)
        if (stored.owner, stored.tenants) != (asked.owner, asked.tenants):
            who = member.label if member else "nobody in the world" if owner else "no owner"
            where = " and ".join(sorted(tenants)) or "no tenant"
            return RowLike(stored.owner, tenants, f"{asked.description}, stored as a row of {who} in {where}")
        return None
    return None


def _view_cell(config: Config, world: AuditWorld, actor: Actor, view: ViewTarget,
               pairs: list[tuple[Probe, Outcome]]) -> Cell:
    spec_scope = config.tables[view.base].scope(actor.persona, "select")
    cell = Cell(actor, view.view, "select", spec_scope, base=view.base)
    got, cell.errors = _read(pairs)
    if got is None:
        return cell
    rows = world.rows[view.base]
    has_owner = bool(config.tables[view.base].owner)
    if view.by_key:
        known = {r.identity: r for r in rows}
        seen = [known[i] for i in sorted(got) if i in known]
    else:
        seen = [_row_from_columns(config, world, view, hit) for hit in sorted(got)]
    cell.leaks = [describe_row(r, actor, has_owner) for r in seen
                  if not in_scope(spec_scope, actor, r.owner, r.tenants)]
    cell.observed, cell.partial = scope_label(frozenset(r.identity for r in seen), actor, rows + seen)
    return cell


def _row_from_columns(config: Config, world: AuditWorld, view: ViewTarget, hit: str) -> WorldRow:
    """A view row that shows only the owner and/or tenant columns of its base table."""
    spec = config.tables[view.base]
    values = dict(zip(view.columns, json.loads(hit)))
    owner = str(values[spec.owner]) if spec.owner and values.get(spec.owner) is not None else None
    member = world.by_user.get(owner or "")
    if spec.tenant and spec.tenant in values:
        label = world.tenant_label(str(values[spec.tenant]) if values[spec.tenant] is not None else None)
        tenants = frozenset([label] if label else [])
    else:
        tenants = frozenset(member.tenants) if member else frozenset()
    return WorldRow(hit, owner, tenants, member.label if member else None)
