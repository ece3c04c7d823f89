"""One database per distinct seed: a clone of the migrated template, the world, the seed, VACUUM ANALYZE.

Targets whose rendered seed and row count are the same share a database (their runs are rolled
back, so they cannot disturb each other).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg

from harness.config import Config
from harness.engine.server import Server
from harness.findings import HarnessError
from harness.world import World, WorldError, create_world


@dataclass(frozen=True)
class SeedKey:
    seed: str  # rendered: placeholders already replaced
    rows: int


@dataclass
class Seeded:
    database: str
    seconds: float
    world: World  # as created there: tokens as issued, the pre-request function


def seed_database(server: Server, template: str, config: Config, world: World, key: SeedKey,
                  targets: list[str]) -> Seeded:
    """Create and fill the database for `key`; on failure it is dropped and HarnessError raised."""
    started = time.perf_counter()
    database = server.clone(template, "explain")
    try:
        with server.connect(database) as conn:
            with conn.transaction():
                world = create_world(conn, config, world)
            if key.seed.strip():
                _run_seed(conn, key, targets)
            conn.execute("vacuum analyze")  # what autovacuum would have done by the time it matters
    except WorldError as exc:
        server.drop_database(database)
        raise HarnessError(f"explain: building the tenancy world: {exc}") from None
    except BaseException:
        server.drop_database(database)
        raise
    return Seeded(database, time.perf_counter() - started, world)


def _run_seed(conn: psycopg.Connection, key: SeedKey, targets: list[str]) -> None:
    try:
        with conn.transaction():
            conn.execute(key.seed)
    except psycopg.Error as exc:
        raise HarnessError(
            f"explain: the seed of [[explain]] {quoted(targets)} failed with {{rows}} = {key.rows}: {str(exc).strip()}"
        ) from None


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)
