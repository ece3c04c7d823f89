"""Storage buckets in the access spec ([buckets."name"], CONTRACT.md §3).

The world puts one object of every member into each bucket, at the spec's path ({tenant}/{user}/
{name}), as rows of storage.objects written the way the storage API writes an upload. Every actor
then probes the statements the storage API runs under the user's JWT role — list/download (select),
upload (insert), upsert and move (update), remove (delete) — with the tables' discipline: no probe
reads a column of storage.objects except the id a SELECT returns, so the write policies alone decide
what a write reaches (the probe triggers of install.sql narrow a statement to one object). An
object's scope is its path: the member and tenant whose folder it is in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

import psycopg
from psycopg import sql

from harness.audit.catalog_facts import origin, query, read_policies
from harness.audit.compare import Cell, describe_row
from harness.audit.matrix import build_matrices
from harness.audit.model import Actor, Outcome, RowLike, WorldRow
from harness.audit.probes import Probe, ProbeRun, run_batch
from harness.audit.scope import expected_rows, in_scope, insert_label, scope_label
from harness.audit.verdicts import cell_findings
from harness.audit.world import AuditWorld as World, identity_sql
from harness.config import BucketSpec, Config, ConfigError
from harness.findings import Finding

OBJECTS = "storage.objects"
ALL = OBJECTS  # the key of the probes that address every object of every bucket
UPLOAD_COLUMNS = "bucket_id, name, owner, owner_id, metadata, version"


@dataclass
class BucketWorld:
    objects: dict[str, list[WorldRow]] = field(default_factory=dict)  # bucket -> its objects
    names: dict[str, str] = field(default_factory=dict)  # identity -> object name (path)
    rls: bool = True


def build_objects(conn: psycopg.Connection, config: Config, world: World) -> BucketWorld:
    """Inside the world's transaction: buckets, one object per member and bucket, the probe triggers."""
    result = BucketWorld()
    if not config.buckets:
        return result
    exists = conn.execute("select to_regclass('storage.objects') is not null and "
                          "to_regclass('storage.buckets') is not null").fetchone()
    if not exists or not exists[0]:
        raise ConfigError(f"{origin(config)}: [buckets] needs the storage schema (storage.objects), which the "
                          "database does not have")
    planned: dict[tuple[str, str], WorldRow] = {}
    objects = []
    for bucket, spec in config.buckets.items():
        for actor in world.by_user.values():
            for tenant in actor.tenants if "{tenant}" in spec.path else actor.tenants[:1]:
                name = object_name(spec, world, tenant, actor, f"{_slug(actor.label)}-{tenant.lower()}.pdf")
                planned[(bucket, name)] = WorldRow("", actor.user_id, frozenset([tenant]), actor.label)
                objects.append({"bucket": bucket, "name": name, "owner": actor.user_id})
    conn.execute(query("bucket_rows.sql"), {"buckets": list(config.buckets)})
    for identity_id, bucket, name in conn.execute(query("bucket_objects.sql"), {"objects": json.dumps(objects)}):
        identity = json.dumps([identity_id])
        row = replace(planned[(bucket, name)], identity=identity)
        result.objects.setdefault(bucket, []).append(row)
        result.names[identity] = name
    for trigger, phase, events in (("!harness_first", "first", "update or delete"),
                                   ("~harness_last", "last", "insert or update or delete")):
        conn.execute(sql.SQL(
            "create trigger {} before {} on storage.objects for each row "
            "execute function harness_audit.probe_trigger({}, 'name', 'bucket_id', 'id')"
        ).format(sql.Identifier(trigger), sql.SQL(events), sql.Literal(phase)))
    rls = conn.execute("select relrowsecurity from pg_class where oid = 'storage.objects'::regclass").fetchone()
    result.rls = bool(rls and rls[0])
    return result


def object_name(spec: BucketSpec, world: World, tenant: str, user: Actor | None, file: str) -> str:
    return (spec.path.replace("{tenant}", world.tenants[tenant].id)
            .replace("{user}", (user.user_id if user else None) or "").replace("{name}", file))


class BucketStatements:
    """The storage API's statements on storage.objects, written so that they read no column."""

    def __init__(self, world: World, objects: BucketWorld) -> None:
        self.world = world
        self.objects = objects
        identity = identity_sql("r", ("id",))
        self.select = Probe(ALL, "select", "select", sql.SQL(
            "select set_config('harness.hits', coalesce((select string_agg({}, e'\\n') from storage.objects as r), "
            "''), true)").format(identity).as_string(None))
        self.touch = "update storage.objects set last_accessed_at = now()"
        self.remove = "delete from storage.objects"

    def update(self, row: WorldRow | None = None) -> Probe:
        return Probe(ALL, "update", "update-row" if row else "update", self.touch, mode="noop",
                     target=row.identity if row else "")

    def delete(self, row: WorldRow | None = None) -> Probe:
        return Probe(ALL, "delete", "delete-row" if row else "delete", self.remove, mode="collect",
                     target=row.identity if row else "")

    def move(self, bucket: str, row: WorldRow, name: str, where: str, kind: str = "move") -> Probe:
        statement = sql.SQL("update storage.objects set name = {}").format(sql.Literal(name)).as_string(None)
        return Probe(bucket, "update", kind, statement, mode="move", target=row.identity, move=("name", where))

    def upload(self, bucket: str, name: str, uploader: Actor, row: RowLike, upsert: bool = False,
               target: str = "") -> Probe:
        owner = sql.Literal(uploader.user_id) if uploader.user_id else sql.SQL("null")
        statement = sql.SQL(
            "insert into storage.objects (" + UPLOAD_COLUMNS + ") values ({}, {}, {}::uuid, {}, "
            "'{{\"mimetype\": \"application/pdf\", \"size\": 2048}}'::jsonb, 'harness-upload')"
        ).format(sql.Literal(bucket), sql.Literal(name), owner, owner)
        if upsert:  # the storage API's upload with x-upsert: ON CONFLICT (name, bucket_id) DO UPDATE
            statement = sql.SQL("{} on conflict (name, bucket_id) do update set owner = excluded.owner, "
                                "owner_id = excluded.owner_id, metadata = excluded.metadata, "
                                "version = excluded.version").format(statement)
            return Probe(bucket, "update", "upsert", statement.as_string(None), mode="noop", target=target)
        return Probe(bucket, "insert", "insert", statement.as_string(None), mode="insert", row=row)


def plan_probes(config: Config, book: BucketStatements, actor: Actor) -> list[Probe]:
    if not config.buckets:
        return []
    probes = [book.select, book.update(), book.delete()]
    for bucket, spec in config.buckets.items():
        probes += _moves(book, spec, bucket, actor)
        probes += _uploads(book, spec, bucket, actor)
    return probes


def retries(book: BucketStatements, probes: list[Probe], outcomes: list[Outcome]) -> list[Probe]:
    """Object by object where an update or delete of every object failed as a whole."""
    again: list[Probe] = []
    every = [row for rows in book.objects.objects.values() for row in rows]
    for probe, outcome in zip(probes, outcomes):
        if outcome.ok or probe.kind not in ("update", "delete"):
            continue
        if outcome.state == "42501" and (outcome.message or "").startswith("permission denied for table"):
            continue
        again += [book.update(row) if probe.kind == "update" else book.delete(row) for row in every]
    return again


def run_probes(conn: psycopg.Connection, actor: Actor, probes: list[Probe], pre_request: str | None = None) -> list[Outcome]:
    """With the setting the storage API sets before it deletes (the platform's delete guard)."""
    return run_batch(conn, actor, probes, pre_request, settings={"storage.allow_delete_query": "true"})


def judge(config: Config, book: BucketStatements, run: ProbeRun) -> dict[str, list[Cell]]:
    """bucket -> the actor's cells (table storage.objects), one per operation."""
    actor = run.actor
    cells: dict[str, list[Cell]] = {}
    for bucket, spec in config.buckets.items():
        rows = book.objects.objects.get(bucket, [])
        mine = {r.identity for r in rows}
        select = _rows_cell(actor, "select", spec.scope(actor.persona, "select"), rows, _read(run, mine))
        update = _rows_cell(actor, "update", spec.scope(actor.persona, "update"), rows,
                            _write(run, "update", mine))
        _add_moves(update, run.pairs(bucket, "move") + run.pairs(bucket, "pull"), rows, actor)
        _add_upserts(update, run.pairs(bucket, "upsert"), rows, actor)
        delete = _rows_cell(actor, "delete", spec.scope(actor.persona, "delete"), rows,
                            _write(run, "delete", mine))
        cells[bucket] = [select, update, delete, _insert_cell(actor, spec.scope(actor.persona, "insert"),
                                                              run.pairs(bucket, "insert"))]
    return cells


def findings(config: Config, conn: psycopg.Connection, cells: dict[str, list[Cell]]) -> list[Finding]:
    policies = read_policies(conn, [OBJECTS])
    found = []
    for bucket, bucket_cells in cells.items():
        for finding in cell_findings(bucket_cells, policies):
            found.append(replace(finding, message=f"bucket {bucket}: {finding.message}",
                                 evidence={"bucket": bucket, **finding.evidence}))
    return found


def matrices(config: Config, cells: dict[str, list[Cell]], objects: BucketWorld) -> list[dict[str, Any]]:
    result = []
    for bucket in config.buckets:
        [table] = build_matrices(config, cells.get(bucket, []), [OBJECTS], {OBJECTS: objects.rls})
        result.append({**table, "bucket": bucket, "path": config.buckets[bucket].path,
                       "objects": len(objects.objects.get(bucket, []))})
    return result


Observed = tuple[frozenset[str] | None, list[tuple[Probe, Outcome]]]


def _read(run: ProbeRun, mine: set[str]) -> Observed:
    probe, outcome = run.pairs(ALL, "select")[-1]
    if outcome.ok:
        return outcome.hits & mine, []
    if outcome.state == "42501":
        return frozenset(), []
    return None, [(probe, outcome)]


def _write(run: ProbeRun, operation: str, mine: set[str]) -> Observed:
    outcome = run.pairs(ALL, operation)[-1][1]
    if outcome.ok:
        return outcome.hits & mine, []
    reached: set[str] = set()
    errors = []
    for probe, row_outcome in run.pairs(ALL, f"{operation}-row"):
        if probe.target not in mine:
            continue
        if row_outcome.ok:
            reached |= row_outcome.hits & mine
        elif row_outcome.passed_policies:
            reached.add(probe.target)
        elif not row_outcome.refused:
            errors.append((probe, row_outcome))
    return frozenset(reached), errors


def _rows_cell(actor: Actor, operation: str, spec: str, rows: list[WorldRow], observed: Observed) -> Cell:
    got, errors = observed
    cell = Cell(actor, OBJECTS, operation, spec, errors=errors)
    if got is None:
        return cell
    known = {r.identity: r for r in rows}
    allowed = expected_rows(spec, actor, rows)
    cell.leaks = [describe_row(known[i], actor, True) for i in sorted(got - allowed)]
    cell.denials = [describe_row(known[i], actor, True) for i in sorted(allowed - got)]
    cell.observed, cell.partial = scope_label(frozenset(got), actor, rows)
    return cell


def _add_moves(cell: Cell, pairs: list[tuple[Probe, Outcome]], rows: list[WorldRow], actor: Actor) -> None:
    known = {r.identity: r for r in rows}
    taken = {leak.get("key") for leak in cell.leaks}
    for probe, outcome in pairs:
        assert probe.move is not None
        row = known.get(probe.target)
        if row is None:
            continue
        if outcome.passed_policies and (not outcome.ok or probe.target in outcome.hits):
            if probe.kind == "move":
                cell.leaks.append({"key": probe.target, "owner": row.owner_label, "category": f"moved {probe.move[1]}",
                                   "column": "name", "statement": probe.statement})
                cell.moved = True
            elif probe.target not in taken:
                cell.leaks.append({**describe_row(row, actor, True), "taken_over_by_setting": "name",
                                   "statement": probe.statement})
                taken.add(probe.target)
        elif not outcome.ok and not outcome.refused:
            cell.errors.append((probe, outcome))


def _add_upserts(cell: Cell, pairs: list[tuple[Probe, Outcome]], rows: list[WorldRow], actor: Actor) -> None:
    """An upload with upsert that overwrites an object outside the update scope is an update leak."""
    known = {r.identity: r for r in rows}
    taken = {leak.get("key") for leak in cell.leaks}
    for probe, outcome in pairs:
        row = known.get(probe.target)
        if row is None or probe.target in taken or in_scope(cell.spec, actor, row.owner, row.tenants):
            continue
        if outcome.ok and probe.target in outcome.hits:
            cell.leaks.append({**describe_row(row, actor, True), "overwritten_by": "upload with upsert",
                               "statement": probe.statement})
            taken.add(probe.target)


def _insert_cell(actor: Actor, spec: str, pairs: list[tuple[Probe, Outcome]]) -> Cell:
    cell = Cell(actor, OBJECTS, "insert", spec, probed=bool(pairs))
    accepted, tried = [], []
    for probe, outcome in pairs:
        assert probe.row is not None
        if not outcome.passed_policies and not outcome.refused:
            cell.errors.append((probe, outcome))
            continue
        tried.append(probe.row)
        entry = {"row": probe.row.description, "statement": probe.statement, "category": probe.row.description}
        if outcome.passed_policies:
            accepted.append(probe.row)
            if not in_scope(spec, actor, probe.row.owner, probe.row.tenants):
                cell.leaks.append(entry)
        elif in_scope(spec, actor, probe.row.owner, probe.row.tenants):
            cell.denials.append({**entry, "error": outcome.message})
    cell.observed, cell.partial = insert_label(accepted, tried, actor)
    return cell


def _moves(book: BucketStatements, spec: BucketSpec, bucket: str, actor: Actor) -> list[Probe]:
    """Objects in the update scope sent to a folder outside it (a colleague's for "own", the other
    tenant's); one object outside the scope of each kind pulled into the actor's own folder; and an
    upload with upsert onto one object of each kind."""
    world = book.world
    scope = spec.scope(actor.persona, "update")
    rows = sorted(book.objects.objects.get(bucket, []), key=lambda r: r.identity)
    others = [t for t in world.tenants if t not in actor.tenants]
    destinations: list[tuple[str, Actor]] = [(t, world.member_of(t)[0]) for t in others]
    if scope == "own":
        destinations += [(t, world.member_of(t, exclude=actor.user_id)[0]) for t in actor.tenants]
    probes = []
    seen: set[tuple[frozenset[str], bool, bool]] = set()
    for row in rows:
        file = book.objects.names[row.identity].rsplit("/", 1)[-1]
        inside = in_scope(scope, actor, row.owner, row.tenants)
        kind = (row.tenants, row.owner == actor.user_id, inside)
        if kind in seen:  # one object of each kind: the policies see nothing else that differs
            continue
        seen.add(kind)
        probes.append(book.upload(bucket, book.objects.names[row.identity], actor,
                                  RowLike(row.owner, row.tenants, ""), upsert=True, target=row.identity))
        if inside and scope not in ("none", "all"):
            for tenant, member in destinations:
                if not in_scope(scope, actor, member.user_id, frozenset([tenant])):
                    name = object_name(spec, world, tenant, member, f"moved-{file}")
                    probes.append(book.move(bucket, row, name, f"to the folder of {member.label} in tenant {tenant}"))
        elif not inside and scope != "all" and actor.is_member:
            me = world.by_user.get(actor.user_id or "")
            name = object_name(spec, world, actor.tenants[0], me, f"pulled-{file}")
            probes.append(book.move(bucket, row, name, "into its own folder", kind="pull"))
    return probes


def _uploads(book: BucketStatements, spec: BucketSpec, bucket: str, actor: Actor) -> list[Probe]:
    """Its own folder, a colleague's, every role's member of the other tenant, and (with {tenant} and
    {user} in the path) its own folder inside the other tenant."""
    world = book.world
    me = world.by_user.get(actor.user_id or "")
    tries: list[tuple[str, Actor, str]] = []
    for tenant in actor.tenants:
        if me is not None:
            tries.append((tenant, me, f"an object in its own folder of tenant {tenant}"))
        colleague = world.member_of(tenant, exclude=actor.user_id)[0]
        tries.append((tenant, colleague, f"an object in the folder of {colleague.label} of its tenant {tenant}"))
    for tenant in (t for t in world.tenants if t not in actor.tenants):
        seen_roles: set[str | None] = set()
        for member in world.member_of(tenant):
            if member.role not in seen_roles:
                seen_roles.add(member.role)
                tries.append((tenant, member, f"an object in the folder of {member.label} of tenant {tenant}"))
        if me is not None and "{tenant}" in spec.path and "{user}" in spec.path:
            tries.append((tenant, me, f"an object in its own folder placed in tenant {tenant}"))
    probes = []
    for n, (tenant, member, description) in enumerate(tries):
        name = object_name(spec, world, tenant, member, f"upload-{n}-{_slug(actor.label)}.pdf")
        owner = member.user_id if "{user}" in spec.path else None
        probes.append(book.upload(bucket, name, actor, RowLike(owner, frozenset([tenant]), description)))
    return probes


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
