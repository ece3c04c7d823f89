"""The drift logic, directly against real catalogs: the one the fixture project's migrations build,
and clones of it with one drift of each kind planted. No HTTP here (see test_client.py)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from harness.engine.server import Server
from harness.findings import Severity
from harness.remote.drift import Scope, compare
from harness.remote.surface import Grant, Relation, Surface

from .conftest import plant, surface_of

SCOPE = Scope(("public",))


def drift(pg_server: Server, migrated: str, live: str) -> list[Any]:
    mine = surface_of(pg_server, migrated)
    theirs = surface_of(pg_server, live, mine.session["search_path"])
    return compare(mine, theirs, SCOPE)


def test_a_project_that_matches_its_migrations_has_no_drift(
    pg_server: Server, migrated: str, live_database: str
) -> None:
    assert drift(pg_server, migrated, live_database) == []


# (what is planted on the live project, table, object, the migrations' version, the live version)
Check = Callable[[Any], bool]
PLANTED: dict[str, tuple[str, str, str, Check, Check]] = {
    "policy USING changed": (
        'alter policy "members read notes" on public.notes using (true)',
        "public.notes", 'policy "members read notes"',
        lambda a: "my_organisation()" in a["using"], lambda b: b["using"] == "true"),
    "policy dropped": (
        'drop policy "members write notes" on public.notes',
        "public.notes", 'policy "members write notes"',
        lambda a: a["command"] == "INSERT", lambda b: b is None),
    "policy added": (
        'create policy "anyone reads organisations" on public.organisations for select to anon using (true)',
        "public.organisations", 'policy "anyone reads organisations"',
        lambda a: a is None, lambda b: b["roles"] == ["anon"] and b["using"] == "true"),
    "RLS disabled": (
        "alter table public.notes disable row level security",
        "public.notes", "row level security", lambda a: a is True, lambda b: b is False),
    "RLS no longer forced": (
        "alter table public.members no force row level security",
        "public.members", "forced row level security", lambda a: a is True, lambda b: b is False),
    "RLS forced": (
        "alter table public.notes force row level security",
        "public.notes", "forced row level security", lambda a: a is False, lambda b: b is True),
    "grant added to anon": (
        "grant select on public.notes to anon",
        "public.notes", "grants to anon", lambda a: a == [], lambda b: b == ["SELECT"]),
    "column grant added": (
        "grant update (body) on public.notes to authenticated",
        "public.notes", "grants to authenticated",
        lambda a: "UPDATE (body)" not in a, lambda b: "UPDATE (body)" in b),
    "grant on a view added to anon": (
        "grant select on public.note_counts to anon",
        "public.note_counts", "grants to anon", lambda a: a == [], lambda b: b == ["SELECT"]),
    "policy-called function redefined": (
        ("create or replace function public.my_organisation() returns uuid language sql stable security definer "
         "set search_path = '' as $$ select organisation_id from public.members limit 1 $$"),
        "public.members", "function my_organisation()",
        lambda a: "auth.uid()" in a["body"], lambda b: "limit 1" in b["body"]),
    "policy-called function made invoker": (
        "alter function public.my_organisation() security invoker",
        "public.members", "function my_organisation()",
        lambda a: a["security definer"] is True, lambda b: b["security definer"] is False),
    "storage policy changed": (
        'alter policy "members read their note files" on storage.objects using (true)',
        "storage.objects", 'policy "members read their note files"',
        lambda a: "auth.uid()" in a["using"], lambda b: b["using"] == "true"),
    "private table's RLS disabled": (
        "alter table private.audit_log disable row level security",
        "private.audit_log", "row level security", lambda a: a is True, lambda b: b is False),
    "table created on the live project only": (
        "create table public.scratch (id int)",
        "public.scratch", "table", lambda a: a is None, lambda b: b["row level security"] is False),
    "table missing on the live project": (
        "drop view public.note_counts; drop table public.notes",
        "public.notes", "table", lambda a: a["policies"] != {}, lambda b: b is None),
}


@pytest.mark.parametrize("kind", list(PLANTED))
def test_each_kind_of_drift_is_one_finding_with_both_versions(
    kind: str, pg_server: Server, migrated: str, live_database: str
) -> None:
    sql, table, obj, migrations_side, live_side = PLANTED[kind]
    plant(pg_server, live_database, sql)
    findings = drift(pg_server, migrated, live_database)
    if kind == "table missing on the live project":  # the view over it goes too
        findings = [f for f in findings if f.table == table]
    assert len(findings) == 1, [f.message for f in findings]
    finding = findings[0]
    assert (finding.check, finding.rule, finding.severity) == ("audit", "policy-drift", Severity.ERROR)
    assert finding.table == table
    assert finding.evidence["object"] == obj
    assert migrations_side(finding.evidence["migrations"]), finding.evidence
    assert live_side(finding.evidence["live"]), finding.evidence


def test_a_changed_policy_names_what_differs_in_its_message(
    pg_server: Server, migrated: str, live_database: str
) -> None:
    plant(pg_server, live_database, 'alter policy "members read notes" on public.notes to authenticated, anon')
    [finding] = drift(pg_server, migrated, live_database)
    assert finding.evidence["differs"] == ["roles"]
    assert 'migrations ["authenticated"], live ["anon", "authenticated"]' in finding.message


def test_a_function_names_every_table_whose_policies_call_it(
    pg_server: Server, migrated: str, live_database: str
) -> None:
    plant(pg_server, live_database, "alter function public.my_organisation() set search_path = public")
    [finding] = drift(pg_server, migrated, live_database)
    assert finding.evidence["called_by"] == ["public.members", "public.notes", "public.organisations"]
    assert finding.evidence["differs"] == ["settings"]


def test_several_drifts_are_all_found(
    pg_server: Server, migrated: str, live_database: str
) -> None:
    plant(pg_server, live_database, """
        alter table public.notes disable row level security;
        grant insert on public.organisations to anon;
        drop policy "members read their colleagues" on public.members;
    """)
    found = sorted((f.table, f.evidence["object"]) for f in drift(pg_server, migrated, live_database))
    assert found == [("public.members", 'policy "members read their colleagues"'),
                     ("public.notes", "row level security"),
                     ("public.organisations", "grants to anon")]


# Differences between the two catalogs that are not drift of the project's policies.
NOT_DRIFT = {
    # The live platform differs from the local stand-in for it in many ways; only policies count there.
    "platform tables the migrations leave alone": """
        alter table auth.identities disable row level security;
        grant select on storage.buckets to anon;
        create table storage.platform_only (id int);
        create or replace function auth.uid() returns uuid language sql stable as $$ select null::uuid $$;
    """,
    "a function body that differs only in line endings and trailing blanks": (
        "create or replace function public.my_organisation() returns uuid language sql stable security definer "
        "set search_path = '' as $$\r\n  select m.organisation_id from public.members as m where m.id = "
        "(select auth.uid())   \r\n$$"),
    "an extension's own relations": "create extension if not exists pg_stat_statements schema public",
}


@pytest.mark.parametrize("difference", list(NOT_DRIFT))
def test_differences_that_are_not_drift_give_no_finding(
    difference: str, pg_server: Server, migrated: str, live_database: str
) -> None:
    plant(pg_server, live_database, NOT_DRIFT[difference], as_admin=difference.startswith("platform"))
    assert drift(pg_server, migrated, live_database) == []


def _table(grants: set[Grant]) -> Relation:
    return Relation("public.t", "public", "table", "postgres", rls=True, grants=frozenset(grants))


def _surface(version: str, grants: set[Grant]) -> Surface:
    return Surface({"public.t": _table(grants)}, {}, {"server_version_num": version})


def test_a_privilege_only_one_server_version_knows_is_not_drift() -> None:
    granted = {Grant("anon", "SELECT")}
    maintain = granted | {Grant("anon", "MAINTAIN")}
    assert compare(_surface("150008", granted), _surface("170002", maintain), SCOPE) == []
    [finding] = compare(_surface("170002", granted), _surface("170002", maintain), SCOPE)
    assert finding.evidence["only_live"] == ["MAINTAIN"]


def test_the_owners_own_rights_and_the_platforms_roles_are_not_compared() -> None:
    local = Surface({"public.t": _table({Grant("postgres", "SELECT"), Grant("anon", "SELECT")})}, {}, {})
    live = Surface({"public.t": Relation("public.t", "public", "table", "supabase_admin", rls=True,
                                         grants=frozenset({Grant("supabase_admin", "SELECT"),
                                                           Grant("anon", "SELECT")}))}, {}, {})
    assert compare(local, live, SCOPE) == []

