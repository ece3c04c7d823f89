"""Every extension hosted Supabase offers that a migration here can create: the harness's stand-ins
(harness/extensions), its own implementations and the registry packages. Each is created with and
without a schema and with IF NOT EXISTS, its main function is called once, and it is dropped, all in
one rolled-back transaction of one database, as the project's `postgres` would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import psycopg
import pytest

from harness.engine.server import PLATFORM_DB, Server
from harness.migrate.missing_extension import missing_extension

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
    Case("http", "extensions", "select (extensions.http_get('https://example.com/x')).status",
         "select uri from extensions.http_request_log", "https://example.com/x"),
    Case("supabase_vault", None, "select vault.create_secret('s3cr3t', 'api_key')",
         "select decrypted_secret from vault.decrypted_secrets where name = 'api_key'", "s3cr3t", preinstalled=True),
    Case("pgmq", None, "select pgmq.send('jobs', '{\"n\": 1}') from (select pgmq.create('jobs')) created",
         "select (message ->> 'n')::int from pgmq.read('jobs', 30, 1)", 1),
    Case("pgjwt", "extensions", "select extensions.sign('{\"sub\": \"1\"}', 'secret')",
         "select valid from extensions.verify(extensions.sign('{\"sub\": \"1\"}', 'secret'), 'secret')", True,
         cascade=True),
    Case("pg_graphql", None, "select graphql_public.graphql(query := '{ __typename }')",
         "select count(*) from pg_proc where proname = 'resolve' and pronamespace = 'graphql'::regnamespace", 1,
         preinstalled=True),
    Case("pg_tle", None, "select pgtle.install_extension('my_tle', '1.0', 'mine', 'select 1')",
         "select count(*) from pgtle.available_extensions() where name = 'my_tle'", 1),
    Case("basejump-supabase_test_helpers", None, "select tests.create_supabase_user('alice')",
         "select count(*) from auth.users where raw_user_meta_data ->> 'test_identifier' = 'alice'", 1),
    Case("supabase_test_helpers", None, "select tests.create_supabase_user('bob')",
         "select count(*) from auth.users where raw_user_meta_data ->> 'test_identifier' = 'bob'", 1),
    Case("hypopg", "extensions", "select * from extensions.hypopg_create_index('create index on auth.users (email)')",
         "select count(*) from extensions.hypopg()", 1, majors=(15,)),
    Case("index_advisor", "extensions", "select 1",
         "select index_statements from extensions.index_advisor('select * from auth.audit_log_entries where ip_address = $1')",
         ["CREATE INDEX ON auth.audit_log_entries USING btree (ip_address)"], cascade=True, majors=(15,)),
    Case("postgis", "extensions", "select 1", "select extensions.st_astext(extensions.st_makepoint(1, 2))", "POINT(1 2)",
         majors=(15,)),
]


@pytest.fixture(scope="module")
def database(pg_server: Server) -> Iterator[psycopg.Connection]:
    name = pg_server.clone(PLATFORM_DB, "extensions")
    with pg_server.connect(name) as conn:
        conn.execute("set search_path = \"$user\", public, extensions")
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
