"""The shared world (harness.world): tokens carry the app_metadata the project's triggers maintain,
and every persona request runs PostgREST's db-pre-request function first (the pytest plugin's
`as_persona`, explain and the audit use the same code)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.config import Tenancy, load_config
from harness.engine.server import Server
from harness.personas import PersonaConnection
from harness.world import create_world, plan_world

CLAIMS_PROJECT = """
create schema app;
create table app.groups (id uuid primary key);
create table app.memberships (
  user_id uuid references auth.users (id), group_id uuid references app.groups (id), role text,
  primary key (user_id, group_id)
);
-- the claims cache of group-based RBAC: every membership change rewrites the user's app_metadata
create function app.sync_claims() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  update auth.users u
     set raw_app_meta_data = coalesce(u.raw_app_meta_data, '{}') || jsonb_build_object('groups',
         (select jsonb_object_agg(m.group_id::text, jsonb_build_array(m.role))
            from app.memberships m where m.user_id = new.user_id))
   where u.id = new.user_id;
  return new;
end
$$;
create trigger sync_claims after insert or update on app.memberships
  for each row execute function app.sync_claims();
create function app.pre_request() returns void language sql as $$
  select set_config('app.seen', coalesce(auth.jwt() -> 'app_metadata' ->> 'provider', 'none'), true)
$$;
grant usage on schema app to anon, authenticated;
"""

TENANCY = Tenancy(
    tenant="insert into app.groups (id) values ('{tenant}')",
    member="insert into app.memberships (user_id, group_id, role) values ('{user}', '{tenant}', '{role}')",
    roles=("viewer", "owner"), claims=None,
)


def test_tokens_carry_trigger_maintained_claims_and_requests_run_the_pre_request(pg_server: Server) -> None:
    config = replace(load_config(Path(__file__).resolve().parent.parent), tenancy=TENANCY, tables={})
    with pg_server.scratch_database(pg_server.platform_db, "world") as database:
        with pg_server.connect(database) as conn:
            conn.execute(CLAIMS_PROJECT)
            conn.execute(f"alter role authenticator in database {database} set pgrst.db_pre_request = 'app.pre_request'")
            try:
                with conn.transaction():
                    world = create_world(conn, config, plan_world(config))
            finally:
                conn.execute(f"alter role authenticator in database {database} reset pgrst.db_pre_request")
        assert world.member_tables == {"app.memberships"} and world.tenant_tables == {"app.groups"}
        assert world.multi_membership  # a membership table: the members of both tenants exist
        owner = world.persona("owner", "B")
        assert owner.claims["app_metadata"]["groups"] == {world.tenants["B"].id: ["owner"]}
        assert owner.claims["app_metadata"]["provider"] == "email"
        assert world.pre_request == "app.pre_request"
        request = PersonaConnection(pg_server.connect(database), owner, pre_request=world.pre_request)
        try:
            assert request.execute("select current_setting('app.seen', true), auth.uid()") == [
                ("email", world.members[("B", "owner")])]
        finally:
            request.close()
