"""The DDL watch behind the foreign-policy check: reading only what a file touched finds exactly
what reading every table before and after every file finds (the watch falls back to that reading
where event triggers cannot be created)."""

from __future__ import annotations

import secrets

import pytest

from harness.config import load_config
from harness.engine.server import Server
from harness.findings import Finding
from harness.migrate import foreign_policy
from harness.migrate.run import migrate_template, run_migrate

BASE = """
create role {role} nologin;
create table public.orgs (id uuid primary key default gen_random_uuid(), name text not null);
create table public.members (user_id uuid primary key, org_id uuid not null);
alter table public.orgs enable row level security;
create function public.my_org() returns uuid language sql stable security definer
  set search_path = '' as $$ select null::uuid $$;
create policy "members read" on public.orgs for select to authenticated using (id = (select public.my_org()));
create policy "reviewers read" on public.orgs for select to {role}
  using (id in (select m.org_id from public.members m));
"""

LATER = {
    "renamed role": "alter role {role} rename to {role}_renamed;",
    "renamed table a policy reads": "alter table public.members rename to people;",
    "function dropped with its policies": "drop function public.my_org() cascade;",
    "replica role": "set local session_replication_role = replica;\n"
                    'drop policy "members read" on public.orgs;',
    "storage policy": 'create policy "own files" on storage.objects for select to authenticated using (true);\n'
                      'alter policy "own files" on storage.objects using (false);',
    "policy and table in one file": 'alter table public.orgs force row level security;\n'
                                    "create table public.notes (id int);\n"
                                    "alter table public.notes enable row level security;\n"
                                    'create policy "n" on public.notes using (true);',
    "harmless": "create table public.other (id int);\ncreate index on public.other (id);",
}

EXPECTED = {
    "renamed role": {"public.orgs"},
    "renamed table a policy reads": {"public.orgs"},
    "function dropped with its policies": {"public.orgs"},
    "replica role": {"public.orgs"},
    "storage policy": set(),  # a new policy on storage.objects is the documented pattern, not foreign
    "policy and table in one file": {"public.orgs"},
    "harmless": set(),
}


def _foreign(server: Server, make_project, kind: str, name: str) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    """The foreign-policy findings of BASE then LATER[kind]; roles are cluster-wide, so each run has its own."""
    role = f"reviewer_{secrets.token_hex(4)}"
    root = make_project({"20260101000000_base.sql": BASE.format(role=role),
                         "20260102000000_later.sql": LATER[kind].format(role=role)}, name=name)
    result = migrate_template(server, load_config(root))  # roles make the history not idempotent
    if result.template is not None:
        server.drop_database(result.template)
    with server.connect(server.admin_db) as conn:
        conn.execute(f"drop role if exists {role}")
        conn.execute(f"drop role if exists {role}_renamed")
    findings: list[Finding] = result.findings
    assert not [f for f in findings if f.rule != "foreign-policy"], findings
    return sorted((f.table, f.message) for f in findings if f.rule == "foreign-policy")


@pytest.mark.parametrize("kind", sorted(LATER))
def test_the_watch_finds_what_a_full_reading_finds(pg_server: Server, make_project, monkeypatch, kind: str) -> None:  # type: ignore[no-untyped-def]
    watched = _foreign(pg_server, make_project, kind, "watched")
    assert {table for table, _ in watched} == EXPECTED[kind], watched
    monkeypatch.setattr(foreign_policy, "_install_watch", lambda conn: False)  # as a role without superuser
    assert _foreign(pg_server, make_project, kind, "full") == watched


def test_the_watch_leaves_nothing_in_the_template(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_base.sql": BASE.replace("create role {role} nologin;", "")
                                                      .replace("{role}", "authenticated")})
    result = run_migrate(pg_server, load_config(root))
    assert result.template is not None
    with pg_server.connect(result.template) as conn:
        left = conn.execute("select evtname from pg_event_trigger where evtname like 'harness%' union all "
                            "select nspname from pg_namespace where nspname like 'harness%'").fetchall()
    pg_server.drop_database(result.template)
    assert left == []


def test_commands_that_name_no_object_pass_through_the_watch(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_base.sql": BASE.replace("create role {role} nologin;", "")
                                                      .replace("{role}", "authenticated"),
                         "20260102000000_grants.sql": "grant usage on schema public to anon;\n"
                                                      "grant select on public.orgs to authenticated;\n"
                                                      "alter default privileges in schema public grant select on tables to anon;"})
    result = migrate_template(pg_server, load_config(root))
    assert result.findings == [] and result.template is not None
    pg_server.drop_database(result.template)


def test_the_watch_is_incremental_although_migrations_run_without_superuser(pg_server: Server) -> None:
    """postgres may not create event triggers; the harness's superuser installs and reads the watch,
    and the migrations under test cannot see its log."""
    name = pg_server.clone(pg_server.platform_db, "watch")
    try:
        with pg_server.connect(name) as conn, pg_server.connect_admin(name) as admin:
            assert not conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]
            alone = foreign_policy.PolicyWatch(conn)
            assert not alone.incremental
            watch = foreign_policy.PolicyWatch(conn, admin=admin)
            assert watch.incremental
            with pytest.raises(Exception, match="permission denied"):
                conn.execute("delete from harness_ddl_watch.touched")
            conn.execute("create table public.watched (id int)")
            assert watch._touched() == {conn.execute("select 'public.watched'::regclass::oid").fetchone()[0]}
            watch.close()
    finally:
        pg_server.drop_database(name)
