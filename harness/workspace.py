"""One engine, one migrated template, shared by every check of a run.

A `Workspace` owns the server for the length of a `with` block and hands out databases: the
migrated template (migrations applied once), and the test template (plus the pgTAP helpers and the
project's seed file). Everything it creates goes when the block ends.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from harness.config import Config
from harness.engine.local import LocalEngine
from harness.engine.server import Server
from harness.findings import HarnessError
from harness.migrate.run import MigrationResult, migrate_template

Progress = Callable[[str], None]

HELPERS_SQL = Path(__file__).resolve().parent.parent / "pgtap" / "supabase_test_helpers.sql"


@dataclass(frozen=True)
class EngineOptions:
    engine: str = "local"  # local | docker | url
    db_url: str | None = None
    pg_bin: Path | None = None
    tcp_port: int | None = None


def _quiet(_: str) -> None:
    pass


class Workspace:
    def __init__(self, config: Config, options: EngineOptions = EngineOptions(), progress: Progress = _quiet) -> None:
        self.config = config
        self.options = options
        self.progress = progress
        self._engine: LocalEngine | None = None
        self._server: Server | None = None
        self._migration: MigrationResult | None = None
        self._test_template: str | None = None
        self._lock = threading.Lock()
        self.timings: dict[str, float] = {}

    def __enter__(self) -> "Workspace":
        if self.options.engine != "local":
            raise HarnessError(
                f"--engine {self.options.engine} is not available in this version; use the default local engine"
            )
        started = time.perf_counter()
        self.progress("starting PostgreSQL")
        self._engine = LocalEngine(pg_bin=self.options.pg_bin, tcp_port=self.options.tcp_port, progress=self.progress)
        self._server = self._engine.start()
        self.timings["engine_s"] = time.perf_counter() - started
        return self

    def __exit__(self, *exc: object) -> None:
        if self._engine is not None:
            self._engine.stop()
        self._engine = self._server = None

    @property
    def server(self) -> Server:
        if self._server is None:
            raise RuntimeError("the workspace is not open")
        return self._server

    @property
    def migration(self) -> MigrationResult:
        """The project's migrations applied once (done on first use, then shared)."""
        with self._lock:
            if self._migration is None:
                self._migration = migrate_template(self.server, self.config, self.progress)
            return self._migration

    def test_template(self) -> str | None:
        """The migrated template plus the pgTAP helpers and the seed file; None if migrations failed."""
        migration = self.migration
        with self._lock:
            if migration.template is None:
                return None
            if self._test_template is None:
                self._test_template = self._build_test_template(migration.template)
            return self._test_template

    def _build_test_template(self, migrated: str) -> str:
        name = self.server.clone(migrated, "tests")
        with self.server.connect(name) as conn:
            conn.execute(HELPERS_SQL.read_bytes())
            seed = self.config.project.seed
            if seed is not None and seed.is_file():
                self.progress(f"applying {self.config.relative(seed)}")
                try:
                    conn.execute(seed.read_bytes())
                except Exception as exc:  # psycopg.Error; a broken seed is the project's problem
                    raise SeedError(self.config.relative(seed), str(exc).strip()) from None
        return name


class SeedError(Exception):
    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
