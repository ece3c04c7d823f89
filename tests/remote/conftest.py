"""Fixtures of the remote-audit tests: the fixture project migrated on a real local PostgreSQL,
"live" databases cloned from it (with drift planted in them), and the STAND-IN Management API
server (tests/remote/standin.py; not the real service) that serves them."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from harness.config import load_config
from harness.engine.server import Server
from harness.migrate.run import migrate_template
from harness.remote.executor import CatalogQueries, local_executor
from harness.remote.surface import Surface, read_session, read_surface

from .standin import StandIn

FIXTURE = Path(__file__).parent / "fixtures" / "project"
REPO = Path(__file__).resolve().parents[2]
REF = "abcdefghijklmnopqrst"  # a project ref has the Management API's shape: 20 lower-case letters
TOKEN = "sbp_" + secrets.token_hex(20)  # a fresh fake token; tests check it never shows up in a message


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("remote") / "project"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="session")
def migrated(pg_server: Server, fixture_project: Path) -> str:
    """The fixture project's migrated template on the shared test server."""
    result = migrate_template(pg_server, load_config(fixture_project))
    assert result.template is not None, result.findings
    return result.template


@pytest.fixture
def live_database(pg_server: Server, migrated: str) -> Iterator[str]:
    """A "live project" database: the migrations' catalog, to plant drift in."""
    with pg_server.scratch_database(migrated, "live") as name:
        yield name


def plant(server: Server, database: str, sql: str, as_admin: bool = False) -> None:
    """Run `sql` on `database` as the project (postgres), or as the platform's superuser."""
    with server.connect(database, user=server.admin_user if as_admin else None) as conn:
        conn.execute(sql.encode("utf-8"))


def surface_of(server: Server, database: str, search_path: str | None = None) -> Surface:
    queries = CatalogQueries()
    with server.connect(database) as conn:
        run = local_executor(conn, queries, search_path)
        return read_surface(run, queries, read_session(run, queries))


@pytest.fixture
def standin(pg_server: Server, live_database: str) -> Iterator[StandIn]:
    """The STAND-IN Management API, serving project REF from `live_database`."""
    with StandIn(TOKEN, {REF: pg_server.conninfo(live_database)}) as server:
        yield server
