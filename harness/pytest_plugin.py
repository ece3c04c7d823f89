"""pytest fixtures for projects tested with the harness (registered through the `pytest11` entry point).

    def test_mentor_sees_only_own_rows(harness_db):
        ...

Fixtures (nothing starts unless a test asks for one):
- `harness_config`     session: the project's configuration (`--harness-project DIR`, default: rootdir)
- `harness_workspace`  session: a running PostgreSQL with the project's migrations applied once
- `harness_template`   session: the name of the migrated template database (helpers + seed loaded)
- `harness_db`         function: a fresh database cloned from the template, dropped afterwards
- `harness_world`      function: tenants A and B with members of every role each, in `harness_db`
- `as_persona`         function: as_persona("coordinator", tenant="B") / ("anon") / ("authenticated")
                       -> a connection to `harness_db` whose every query runs as that persona,
                       exactly as PostgREST runs a request (one transaction each, role + JWT claims,
                       then the project's db-pre-request function)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import psycopg
import pytest

from harness.config import Config, load_config
from harness.engine.server import Server
from harness.personas import PersonaConnection
from harness.workspace import Workspace
from harness.world import World, create_world, plan_world


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness")
    group.addoption("--harness-project", default=None, help="project root for the harness fixtures (default: rootdir)")


@dataclass(frozen=True)
class HarnessDatabase:
    """A database cloned from the migrated template for one test."""

    server: Server
    name: str

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def connect(self, autocommit: bool = True) -> psycopg.Connection:
        return self.server.connect(self.name, autocommit=autocommit)


@pytest.fixture(scope="session")
def harness_config(pytestconfig: pytest.Config) -> Config:
    project = pytestconfig.getoption("--harness-project") or pytestconfig.rootpath
    return load_config(Path(project))


@pytest.fixture(scope="session")
def harness_workspace(harness_config: Config) -> Iterator[Workspace]:
    with Workspace(harness_config) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def harness_template(harness_workspace: Workspace) -> str:
    migration = harness_workspace.migration
    if not migration.applied:
        problems = "; ".join(f"{f.location}: {f.message}" for f in migration.findings if f.severity.fails_gate)
        pytest.fail(f"the project's migrations do not apply: {problems}", pytrace=False)
    template = harness_workspace.test_template()
    assert template is not None
    return template


@pytest.fixture
def harness_db(harness_workspace: Workspace, harness_template: str) -> Iterator[HarnessDatabase]:
    with harness_workspace.server.scratch_database(harness_template, "pytest") as name:
        yield HarnessDatabase(harness_workspace.server, name)


@pytest.fixture
def harness_world(harness_db: HarnessDatabase, harness_config: Config) -> World:
    """The world the audit and explain build (harness.world), committed in `harness_db`."""
    with harness_db.connect() as conn, conn.transaction():
        return create_world(conn, harness_config, plan_world(harness_config))


AsPersona = Callable[..., PersonaConnection]


@pytest.fixture
def as_persona(harness_db: HarnessDatabase, harness_world: World) -> Iterator[AsPersona]:
    opened: list[PersonaConnection] = []

    def connect(name: str, tenant: str = "A", rollback: bool = False) -> PersonaConnection:
        persona = harness_world.persona(name, tenant)
        connection = PersonaConnection(harness_db.connect(), persona, rollback=rollback,
                                       pre_request=harness_world.pre_request)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        connection.close()
