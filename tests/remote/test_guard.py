"""What the remote executor refuses to send, and that it refuses before anything leaves the machine."""

from __future__ import annotations

import pytest

from harness.remote import errors
from harness.remote.client import ManagementClient
from harness.remote.executor import CatalogQueries, remote_executor
from harness.remote.guard import check_catalog_query
from harness.remote.rules import rule_queries
from harness.remote.surface import GRANTS, POLICY_FUNCTIONS, POLICY_SURFACE, SESSION

from .conftest import REF, TOKEN
from .standin import StandIn

REFUSED = {
    "a write": "delete from public.notes",
    "two statements": "select 1 from pg_class; select 2 from pg_class",
    "a write behind a select": "select 1 from pg_class; update public.notes set body = ''",
    "a data-modifying CTE": "with gone as (delete from public.notes returning id) select * from gone",
    "SELECT INTO": "select relname into scratch from pg_class",
    "row locks": "select oid from pg_class for update",
    "table data": "select * from public.notes",
    "auth.users": "select email from auth.users",
    "password hashes": "select rolpassword from pg_authid",
    "column statistics": "select most_common_vals from pg_stats",
    "a setting change": "select set_config('role', 'anon', false) from pg_class",
    "a sleep": "select pg_sleep(10)",
    "a backend signal": "select pg_terminate_backend(pid) from pg_stat_activity",
    "SQL run from text": "select query_to_xml('delete from public.notes', true, true, '')",
    "an advisory lock": "select pg_advisory_lock(1)",
    "a function outside pg_catalog": "select public.my_organisation() from pg_class",
    "a DDL statement": "create table public.x (id int)",
    "not SQL": "selec oid from pg_class",
}


@pytest.mark.parametrize("why", list(REFUSED))
def test_anything_but_one_catalog_select_is_refused(why: str) -> None:
    with pytest.raises(errors.RefusedQueryError):
        check_catalog_query(REFUSED[why])


def test_every_query_the_harness_sends_passes_the_guard() -> None:
    queries = CatalogQueries()
    for package, name in (SESSION, POLICY_SURFACE, POLICY_FUNCTIONS, GRANTS):
        queries.file(package, name)  # registering runs the guard
    assert len(rule_queries(queries, ["public"])) >= 1


def test_a_query_the_harness_did_not_build_is_never_sent(standin: StandIn) -> None:
    queries = CatalogQueries()
    run = remote_executor(ManagementClient(TOKEN, standin.url), REF, queries)
    for text in ("select 1 from pg_class", "delete from public.notes"):
        with pytest.raises(errors.RefusedQueryError):
            run(text)
    assert standin.seen == []
    assert run(queries.file(*SESSION))[0]["read_only"] == "on"
    assert len(standin.seen) == 1
