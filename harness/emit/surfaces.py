"""The suites of the API's other doors: one per RPC function and one per storage bucket of the access
spec, asserted for the same personas as the tables' suites, with the audit's scope rules.

    rpc.<schema>.<function>.test.sql   every persona calls it aimed at its own tenant and itself,
                                       another member of its tenant, and the other tenant
    bucket.<name>.test.sql             select, upload, update (and move), delete of the members'
                                       objects at the bucket's path
"""

from __future__ import annotations

from importlib import resources

from harness.audit.model import Actor
from harness.audit.scope import in_scope
from harness.config import BucketSpec, FunctionSpec, TableSpec
from harness.emit.matrix import _rows_assertion, _switch, categories, quote
from harness.emit.world import TENANTS, EmitWorld

SURFACES_FILE = "_setup/harness_surfaces.psql"


def surface_files(emit: EmitWorld, header: str, world_file: str) -> dict[str, str]:
    config = emit.config
    if not (config.functions or config.buckets):
        return {}
    files = {SURFACES_FILE: header + "\n" + resources.files("harness.emit").joinpath("sql/surfaces.sql").read_text(
        encoding="utf-8")}
    for name, spec in config.functions.items():
        files[f"rpc.{name}.test.sql"] = _suite(header, world_file, f"rpc {name}", _function_intro(spec),
                                               ["select pg_temp.harness_watch_tables();"],
                                               [_function_block(emit, spec, a) for a in emit.actors])
    for name, bucket in config.buckets.items():
        setup = ["lock table storage.objects in share row exclusive mode;",
                 f"select pg_temp.harness_bucket({quote(name)}, {quote(bucket.path)});"]
        files[f"bucket.{name}.test.sql"] = _suite(header, world_file, f"bucket {name}", _bucket_intro(name, bucket),
                                                  setup, [_bucket_block(emit, name, bucket, a) for a in emit.actors])
    return files


def _suite(header: str, world_file: str, title: str, intro: list[str], setup: list[str],
           blocks: list[tuple[str, str, list[str]]]) -> str:
    count = sum(len(assertions) for _, _, assertions in blocks)
    lines = [header + "--", *(f"-- {line}".rstrip() for line in intro), "begin;", f"select plan({count});", "",
             f"\\ir {world_file}", f"\\ir {SURFACES_FILE}", *setup]
    for block_title, switch, assertions in blocks:
        lines += ["", f"-- {block_title}", switch, *assertions]
    lines += ["", "select * from finish();", "rollback;", ""]
    return "\n".join(lines)


def _function_intro(spec: FunctionSpec) -> list[str]:
    judged = " and ".join(f"{what} column {column}" for what, column in (("owner", spec.owner), ("tenant", spec.tenant))
                          if column)
    return [f"{spec.name}: whose data a call may return or change, asserted for a member of every role",
            "in tenant A and in tenant B, a signed-in user with no membership, and anon, each aimed at its own",
            "tenant and itself, another member of its tenant, and the other tenant (the world: _setup/world.psql).",
            f"Returned rows are judged by their {judged}." if judged else "Only what a call changes is judged.",
            "Every call is rolled back; an AFTER trigger on every table of the spec records what it changed.",
            f"call: {spec.call}"]


def _targets(emit: EmitWorld, actor: Actor) -> list[tuple[str, Actor, str]]:
    world = emit.world
    found = []
    for tenant in actor.tenants:
        found.append((tenant, actor, f"its own tenant {tenant} and itself"))
        colleague = world.member_of(tenant, exclude=actor.user_id)[0]
        found.append((tenant, colleague, f"{colleague.label}, another member of its tenant"))
    for tenant in (t for t in TENANTS if t not in actor.tenants):
        victim = world.member_of(tenant)[0]
        found.append((tenant, victim, f"tenant {tenant} ({victim.label})"))
    return found


def _function_block(emit: EmitWorld, spec: FunctionSpec, actor: Actor) -> tuple[str, str, list[str]]:
    who = actor.describe()
    scope = spec.scope(actor.persona)
    assertions = []
    for tenant, target, words in _targets(emit, actor):
        call = (f"pg_temp.harness_call({quote(spec.call)}, {quote(spec.owner)}, {quote(spec.tenant)}, "
                f"{quote(tenant)}, {quote(target.label)}, {quote(scope)})")
        assertions.append(f"select is(({call}).outside, '{{}}'::text[],\n"
                          f"  {quote(f'{who} calling {spec.name} aimed at {words} gets and changes nothing outside its {scope} scope')});")
        if in_scope(scope, actor, target.user_id, frozenset([tenant])):
            if spec.owner or spec.tenant:
                assertions.append(f"select ok(coalesce(({call}).returned > 0, false),\n"
                                  f"  {quote(f'{who} calling {spec.name} aimed at {words} gets its rows')});")
            else:
                assertions.append(f"select is(({call}).error, null,\n"
                                  f"  {quote(f'{who} may call {spec.name} aimed at {words}')});")
    return f"{who}: execute {scope}", _switch(emit, actor), assertions


def _bucket_intro(name: str, bucket: BucketSpec) -> list[str]:
    scopes = ", ".join(f"{persona} {'/'.join(f'{op} {scope}' for op, scope in ops.items())}"
                       for persona, ops in bucket.access.items())
    return [f"bucket {name}: objects at {bucket.path}, one per member of tenants A and B, asserted for a",
            "member of every role in tenant A and in tenant B, a signed-in user with no membership, and anon",
            "(the world: _setup/world.psql). Updates and deletes of storage.objects read no column, uploads never",
            "use RETURNING, every probe is rolled back, and moves rename objects into folders out of scope.",
            f"access: {scopes or 'nobody may do anything'}"]


def _bucket_block(emit: EmitWorld, name: str, bucket: BucketSpec, actor: Actor) -> tuple[str, str, list[str]]:
    who = actor.describe()
    spec = TableSpec("storage.objects", None, "owner" if "{user}" in bucket.path else None, "tenant", "id",
                     bucket.access)  # only for the categories of objects: the path says whose an object is
    assertions = []
    for operation in ("select", "update", "delete"):
        scope = bucket.scope(actor.persona, operation)
        assertions += [_rows_assertion("storage.objects", operation, scope, actor, category, who)
                       for category in categories(spec, actor)]
        if operation == "select":
            assertions += _uploads(emit, name, bucket, actor, who)
        if operation == "update":
            assertions += _moves(emit, bucket, actor, who) + _takeovers(bucket, spec, actor, who)
    scopes = ", ".join(f"{op} {bucket.scope(actor.persona, op)}" for op in ("select", "insert", "update", "delete"))
    return f"{who}: {scopes}", _switch(emit, actor), [a.replace(" row", " object") for a in assertions]


def _uploads(emit: EmitWorld, name: str, bucket: BucketSpec, actor: Actor, who: str) -> list[str]:
    scope = bucket.scope(actor.persona, "insert")
    world = emit.world
    tries: list[tuple[str, Actor, str]] = []
    for tenant in actor.tenants:
        tries.append((tenant, actor, f"into its own folder of tenant {tenant}"))
        colleague = world.member_of(tenant, exclude=actor.user_id)[0]
        tries.append((tenant, colleague, f"into the folder of {colleague.label} of its tenant"))
    for tenant in (t for t in TENANTS if t not in actor.tenants):
        victim = world.member_of(tenant)[0]
        tries.append((tenant, victim, f"into the folder of {victim.label} of tenant {tenant}"))
        if actor.tenants and "{tenant}" in bucket.path and "{user}" in bucket.path:
            tries.append((tenant, actor, f"into its own folder placed in tenant {tenant}"))
    found = []
    for n, (tenant, member, words) in enumerate(tries):
        statement = (f"pg_temp.harness_upload({quote(name)}, {quote(bucket.path)}, {quote(tenant)}, "
                     f"{quote(member.label)}, {quote(f'upload-{n}.pdf')})")
        owner = member.user_id if "{user}" in bucket.path else None
        if in_scope(scope, actor, owner, frozenset([tenant])):
            found.append(f"select lives_ok({statement},\n  {quote(f'{who} can upload {words}')});")
        else:
            found.append(f"select throws_ok({statement}, '42501', null,\n  {quote(f'{who} cannot upload {words}')});")
    return found


def _moves(emit: EmitWorld, bucket: BucketSpec, actor: Actor, who: str) -> list[str]:
    """No object it may update can be renamed into a folder out of its scope (the audit's moves)."""
    scope = bucket.scope(actor.persona, "update")
    if scope not in ("own", "tenant") or not actor.tenants:
        return []
    world = emit.world
    mine = actor.tenants[0]
    other = next(t for t in TENANTS if t != mine)
    category, words = ("own", "its own objects") if scope == "own" else (f"tenant {mine}", f"objects of tenant {mine}")
    destinations = [(other, world.member_of(other)[0])]
    if scope == "own":
        destinations.append((mine, world.member_of(mine, exclude=actor.user_id)[0]))
    return [f"select pg_temp.harness_cannot_move_object({quote(bucket.path)}, {quote(category)}, {quote(tenant)}, "
            f"{quote(member.label)},\n  {quote(f'{who} cannot move {words} into the folder of {member.label} of tenant {tenant}')});"
            for tenant, member in destinations]


def _takeovers(bucket: BucketSpec, spec: TableSpec, actor: Actor, who: str) -> list[str]:
    """No object outside its update scope can be renamed into its own folder: a sound WITH CHECK
    refuses the unchanged object of a no-op update and would hide a USING that reaches it (the
    audit's pulls)."""
    scope = bucket.scope(actor.persona, "update")
    if scope == "all" or not actor.tenants:
        return []
    found = []
    for category in categories(spec, actor):
        if category.token == "outside" or in_scope(scope, actor, category.owner, category.tenants):
            continue
        words = category.cannot.replace("rows", "objects").replace("row", "object")
        found.append(f"select pg_temp.harness_cannot_move_object({quote(bucket.path)}, {quote(category.token)}, "
                     f"{quote(actor.tenants[0])}, {quote(actor.label)},\n"
                     f"  {quote(f'{who} cannot take over {words} (renamed into its own folder)')});")
    return found
