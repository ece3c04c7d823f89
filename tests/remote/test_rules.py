"""The catalog rules of harness/catalog, rewritten into self-contained SELECTs for the Management
API, find exactly what the local rule runner finds: locally and through the STAND-IN server."""

from __future__ import annotations

from typing import Any

from harness import catalog
from harness.engine.server import Server
from harness.remote.client import ManagementClient
from harness.remote.executor import CatalogQueries, local_executor, remote_executor
from harness.remote.rules import run_catalog_rules, self_contained

from .conftest import REF, TOKEN, plant
from .standin import StandIn

DEFECTS = """
create table public.open_table (id int primary key, secret text);
create table public.policies_but_off (id int);
create policy "reads" on public.policies_but_off for select using (true);
create view public.definer_view as select * from public.notes;
create or replace function public.mutable_path() returns int language sql security definer as $$ select 1 $$;
"""


def _keys(findings: list[Any]) -> list[str]:
    return sorted(repr(sorted(f.to_json().items())) for f in findings)


def test_the_rules_find_the_same_through_an_executor_as_the_local_runner(
    pg_server: Server, live_database: str, standin: StandIn
) -> None:
    plant(pg_server, live_database, DEFECTS)
    with pg_server.connect(live_database) as conn:
        expected = catalog.run_catalog(conn, ["public"])
        queries = CatalogQueries()
        local = run_catalog_rules(local_executor(conn, queries), queries, ["public"])
    assert expected, "the planted defects should trip some rule"
    assert _keys(local) == _keys(expected)
    queries = CatalogQueries()
    remote = run_catalog_rules(remote_executor(ManagementClient(TOKEN, standin.url), REF, queries), queries, ["public"])
    assert _keys(remote) == _keys(expected)
    assert all(seen.body["read_only"] is True for seen in standin.seen)


def test_the_prelude_views_become_ctes_and_the_api_schemas_a_literal() -> None:
    prelude = "create or replace temporary view harness_roles (name) as select rolname from pg_roles;"
    rule = ("with mine as (select name from harness_roles) "
            "select name from mine where name = any (string_to_array(current_setting('harness.api_schemas'), ','))")
    text = self_contained(rule, prelude, ["public", "api"])
    assert text.startswith("WITH harness_roles(name) AS (SELECT rolname FROM pg_roles), mine AS")
    assert "CAST('public,api' AS text)" in text and "current_setting" not in text
