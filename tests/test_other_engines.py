"""--db-url against a server that outlives the run, and the docker engine where Docker answers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import Iterator

import pytest

from harness.engine.local import LocalEngine
from harness.engine.server import Server
from harness.engine.url import UrlEngine, is_local_host
from harness.findings import HarnessError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def existing_server() -> Iterator[Server]:
    """Stands in for a `supabase start` database: a server we did not start for this run."""
    with LocalEngine(tcp_port=_free_port()) as server:
        yield server


def _state(server: Server) -> tuple[set[str], list[tuple[str, list[str] | None]]]:
    with server.connect("postgres") as conn:
        databases = {d for (d,) in conn.execute("select datname from pg_database")}
        settings = conn.execute(
            "select r.rolname, s.setconfig from pg_roles r left join pg_db_role_setting s on s.setrole = r.oid "
            "order by 1, 2"
        ).fetchall()
    return databases, settings


def test_db_url_runs_in_scratch_databases_and_leaves_nothing(existing_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    before = _state(existing_server)
    root = make_project({"20260101000000_t.sql": "create table public.t (id int);"})
    # As for a `supabase start` stack: the superuser loads the platform layer (postgres is not one).
    url = f"postgresql://supabase_admin@127.0.0.1:{existing_server.tcp_port}/postgres"
    result = subprocess.run(
        [sys.executable, "-m", "harness", "migrate", "--project", str(root), "--db-url", url, "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stderr  # the unguarded CREATE TABLE is not idempotent
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["not-idempotent"]
    assert _state(existing_server) == before, "the run wrote outside its scratch databases"


def test_db_url_refuses_a_remote_host_without_the_flag() -> None:
    with pytest.raises(HarnessError, match="--i-know-this-is-not-production"):
        UrlEngine("postgresql://postgres@db.example.com:5432/postgres").start()


def test_db_url_that_does_not_answer_is_a_clear_error() -> None:
    with pytest.raises(HarnessError, match="cannot connect to --db-url"):
        UrlEngine(f"postgresql://postgres@127.0.0.1:{_free_port()}/postgres").start()


def test_db_url_that_is_not_a_url() -> None:
    with pytest.raises(HarnessError, match="not a PostgreSQL URL"):
        UrlEngine("postgresql://[not a url").start()


@pytest.mark.parametrize(("host", "local"), [("localhost", True), ("127.0.0.1", True), ("::1", True),
                                             ("/tmp/sock", True), ("10.0.0.5", False), ("db.internal", False)])
def test_local_hosts(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def _docker_answers() -> str | None:
    try:
        from harness.engine.docker import docker_client

        docker_client()
    except HarnessError as exc:
        return str(exc)
    return None


@pytest.mark.skipif(bool(_docker_answers()), reason=f"the docker engine path is untested here: {_docker_answers()}")
def test_docker_engine_migrates_on_supabase_postgres(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "create table if not exists public.t (id int);\n"
                                                 "alter table public.t enable row level security;"})
    result = subprocess.run([sys.executable, "-m", "harness", "migrate", "--project", str(root), "--engine", "docker"],
                            capture_output=True, text=True, timeout=600, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
