"""Every extension hosted Supabase offers that a migration here can create: the harness's stand-ins
(harness/extensions), its own implementations and the registry packages. Each is created with and
without a schema and with IF NOT EXISTS, its main function is called once, and it is dropped, all in
one rolled-back transaction of one database, as the project's `postgres` would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import psycopg
import pytest

from harness.config import load_config
from harness.engine.server import PLATFORM_DB, Server
from harness.migrate.missing_extension import missing_extension
from harness.migrate.run import migrate_template
from harness.pgtap import run_suites
from harness.workspace import Workspace

pytestmark = pytest.mark.every_major  # run on PostgreSQL 15 and 17 (Makefile: test)


@dataclass(frozen=True)
class Case:
    name: str
    schema: str | None  # WITH SCHEMA for the second creation; None: the control file fixes it
    call: str  # the main function, once
    check: str  # a query whose single value must be `expected` afterwards
    expected: object
    preinstalled: bool = False  # hosted creates it in every project (so does the platform)
    cascade: bool = False
    majors: tuple[int, ...] = (15, 17)  # where a package or stand-in exists


CASES = [
    Case("pg_cron", "extensions", "select cron.schedule('nightly', '0 3 * * *', 'select 1')",
         "select count(*) from cron.job where jobname = 'nightly' and active", 1),
    Case("pg_net", "extensions", "select net.http_post('https://example.com/hook', '{\"a\": 1}'::jsonb)",
         "select count(*) from net.http_request_queue where method = 'POST' and url = 'https://example.com/hook'", 1),
    Case("http", "extensions", "select (http_get('https://example.com/x')).status",
         "select uri from http_request_log", "https://example.com/x"),
    Case("supabase_vault", None, "select vault.create_secret('s3cr3t', 'api_key')",
         "select decrypted_secret from vault.decrypted_secrets where name = 'api_key'", "s3cr3t", preinstalled=True),
    Case("pgmq", None, "select pgmq.send('jobs', '{\"n\": 1}') from (select pgmq.create('jobs')) created",
         "select (message ->> 'n')::int from pgmq.read('jobs', 30, 1)", 1),
    Case("pgjwt", "extensions", "select sign('{\"sub\": \"1\"}', 'secret')",
         "select valid from verify(sign('{\"sub\": \"1\"}', 'secret'), 'secret')", True,
         cascade=True),
    Case("pg_graphql", None, "select graphql_public.graphql(query := '{ __typename }')",
         "select count(*) from pg_proc where proname = 'resolve' and pronamespace = 'graphql'::regnamespace", 1,
         preinstalled=True),
    Case("pgsodium", None, "select pgsodium.create_key(name := 'k1')",
         "select convert_from(pgsodium.crypto_aead_det_decrypt(pgsodium.crypto_aead_det_encrypt("
         "convert_to('hi', 'utf8'), 'ad', k.id), 'ad', k.id), 'utf8') from pgsodium.key k where k.name = 'k1'", "hi"),
    Case("pg_tle", None, "select pgtle.install_extension('my_tle', '1.0', 'mine', 'select 1')",
         "select count(*) from pgtle.available_extensions() where name = 'my_tle'", 1),
    Case("basejump-supabase_test_helpers", None, "select tests.create_supabase_user('alice')",
         "select count(*) from auth.users where raw_user_meta_data ->> 'test_identifier' = 'alice'", 1),
    Case("supabase_test_helpers", None, "select tests.create_supabase_user('bob')",
         "select count(*) from auth.users where raw_user_meta_data ->> 'test_identifier' = 'bob'", 1),
    Case("hypopg", "extensions", "select * from hypopg_create_index('create index on auth.users (email)')",
         "select count(*) from hypopg()", 1, majors=(15,)),
    Case("index_advisor", "extensions",
         "create table public.big as select g as id, 'e' || g as email from generate_series(1, 10000) g; analyze public.big",
         "select index_statements from index_advisor('select id from public.big where email = $1')",
         ["CREATE INDEX ON public.big USING btree (email)"], cascade=True, majors=(15,)),
    Case("postgis", "extensions", "select 1", "select st_astext(st_makepoint(1, 2))", "POINT(1 2)",
         majors=(15,)),
]


@pytest.fixture(scope="module")
def database(pg_server: Server) -> Iterator[psycopg.Connection]:
    name = pg_server.clone(PLATFORM_DB, "extensions")
    with pg_server.connect(name) as conn:
        if not conn.execute("select 1 from pg_available_extensions where name = 'pg_cron'").fetchone():
            pytest.skip("the server has no private share folder with harness/extensions yet (issue 15)")
        conn.execute("set search_path = \"$user\", public, extensions")  # Supabase's, for postgres
        yield conn


def major(conn: psycopg.Connection) -> int:
    return int(conn.execute("show server_version_num").fetchone()[0]) // 10000


def create(conn: psycopg.Connection, case: Case, *, schema: str | None, if_not_exists: bool = False) -> None:
    sql = "create extension " + ("if not exists " if if_not_exists else "") + f'"{case.name}"'
    if schema:
        sql += f" with schema {schema}"
    if case.cascade:
        sql += " cascade"
    conn.execute(sql)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extension_creates_works_and_drops(database: psycopg.Connection, case: Case) -> None:
    if major(database) not in case.majors:
        pytest.skip(f"{case.name} has no package for PostgreSQL {major(database)} (a migration gets a finding)")
    with database.transaction(force_rollback=True):
        if case.preinstalled:
            create(database, case, schema=case.schema, if_not_exists=True)  # a no-op, as on hosted
            database.execute(f'drop extension "{case.name}" cascade')
        create(database, case, schema=None)
        database.execute(case.call)
        assert database.execute(case.check).fetchone()[0] == case.expected
        database.execute(f'drop extension "{case.name}" cascade')
        assert database.execute("select count(*) from pg_extension where extname = %s", (case.name,)).fetchone()[0] == 0
        create(database, case, schema=case.schema, if_not_exists=True)
        create(database, case, schema=case.schema, if_not_exists=True)
        where = database.execute(
            "select extnamespace::regnamespace::text from pg_extension where extname = %s", (case.name,)).fetchone()
        assert where is not None and (case.schema is None or where[0] == case.schema)


def test_every_privileged_stand_in_is_trusted(database: psycopg.Connection) -> None:
    """The NOSUPERUSER `postgres` may create them, as supautils lets it on hosted."""
    names = [c.name for c in CASES if c.name in ("pg_cron", "pg_net", "http", "supabase_vault", "pgjwt", "pg_tle")]
    rows = dict(database.execute(
        "select name, trusted or not superuser from pg_available_extension_versions where name = any(%s)", (names,)))
    assert rows == {name: True for name in names}


@pytest.mark.parametrize(
    ("message", "detail", "name"),
    [
        ('could not open extension control file "/usr/share/postgresql/15/extension/vector.control": '
         "No such file or directory", None, "vector"),
        ('extension "timescaledb" is not available', "Could not open extension control file ...", "timescaledb"),
        ('could not access file "$libdir/pg_stat_monitor": No such file or directory', None, "pg_stat_monitor"),
        ("relation \"x\" does not exist", None, None),
    ],
)
def test_missing_extension_is_recognised(message: str, detail: str | None, name: str | None) -> None:
    found = missing_extension(message, detail)
    assert (found.name if found else None) == name
    if found:
        text = found.message(message)
        assert f'"{name}" is not available on the local platform' in text
        assert "--engine docker" in text and "--db-url" in text


def test_a_migration_needing_an_extension_the_platform_lacks_gets_a_finding(make_project, pg_server: Server) -> None:
    root = make_project({
        "20260101000000_documents.sql": """
            create extension if not exists vector with schema extensions;
            create table public.documents (id bigint primary key, embedding extensions.vector(3));
        """,
    })
    result = migrate_template(pg_server, load_config(root))
    assert result.template is None
    [finding] = [f for f in result.findings if f.rule == "migration-error"]
    assert 'extension "vector" is not available on the local platform' in finding.message
    assert "hnsw" in finding.message and "--engine docker" in finding.message and "--db-url" in finding.message
    assert finding.evidence["missing_extension"] == "vector"
    assert finding.line == 2


def test_suites_that_create_the_basejump_helpers_run_unchanged(make_project, database: psycopg.Connection) -> None:
    """Every suite of such a project begins with the CREATE EXTENSION dbdev taught it."""
    suite = """
        begin;
        create extension if not exists "basejump-supabase_test_helpers" version '0.0.6';
        select plan(2);
        select tests.create_supabase_user('alice');
        select tests.authenticate_as('alice');
        select is(auth.uid(), tests.get_supabase_uid('alice'), 'alice is signed in');
        select tests.clear_authentication();
        select tests.rls_enabled('public');
        select * from finish();
        rollback;
    """
    root = make_project(
        {"20260101000000_notes.sql": "create table public.notes (id int primary key);\n"
                                     "alter table public.notes enable row level security;\n"},
        tests={"database/00_helpers.test.sql": suite, "database/01_again.test.sql": suite},
    )
    with Workspace(load_config(root)) as workspace:
        run = run_suites(workspace, None, 2, lambda _: None)
    assert run.findings == []
    assert [len(s.cases) for s in run.suites] == [2, 2] and all(s.ok for s in run.suites)


HOSTED_PROJECT = """
-- A Supabase project's history as real ones are written: extensions hosted offers, a vault secret
-- a table points at, a nightly job that calls an Edge Function, Broadcast authorization.
create extension if not exists pg_cron with schema extensions;
create extension if not exists pg_net with schema extensions;
create extension if not exists supabase_vault with schema vault;
create extension if not exists pgmq;

create table public.integrations (
  id bigint generated always as identity primary key,
  name text not null,
  api_key_id uuid references vault.secrets (id) on delete set null
);
alter table public.integrations enable row level security;

insert into public.integrations (name, api_key_id)
values ('mailer', vault.create_secret('sk_test_123', 'mailer_api_key', 'the mailer''s key'));

select cron.schedule('nightly-digest', '15 1 * * *', $$
  select net.http_post(
    url := 'https://project.supabase.co/functions/v1/digest',
    headers := jsonb_build_object('Authorization', 'Bearer ' ||
      (select decrypted_secret from vault.decrypted_secrets where name = 'mailer_api_key')),
    body := '{}'::jsonb)
$$);

create policy "members hear their room" on realtime.messages for select to authenticated
  using (realtime.topic() = 'room:' || (select auth.uid())::text);

select pgmq.create('emails');
"""


def test_a_hosted_style_history_applies_unchanged(make_project, pg_server: Server, database: psycopg.Connection) -> None:
    root = make_project({"20260101000000_integrations.sql": HOSTED_PROJECT})
    result = migrate_template(pg_server, load_config(root))
    assert result.template is not None, [f.message for f in result.findings]
    with pg_server.connect(result.template) as conn:
        assert conn.execute("select count(*) from cron.job where jobname = 'nightly-digest'").fetchone()[0] == 1
        assert conn.execute(
            "select decrypted_secret from vault.decrypted_secrets s join public.integrations i on i.api_key_id = s.id"
        ).fetchone()[0] == "sk_test_123"
        assert conn.execute("select count(*) from net.http_request_queue").fetchone()[0] == 0  # the job never ran
        assert conn.execute("select count(*) from pgmq.list_queues()").fetchone()[0] == 1
