"""One engine, one migrated template, shared by every check of a run.

A `Workspace` owns the server for the length of a `with` block and hands out databases: the
migrated template (migrations applied once), and the test template (plus the pgTAP helpers and the
project's seed file). Everything it creates goes when the block ends.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from harness.config import Config
from harness.engine.docker import DockerEngine
from harness.engine.local import LocalEngine
from harness.engine.server import Server
from harness.engine.time_limit import time_limit
from harness.engine.untrusted import execute_untrusted
from harness.engine.url import UrlEngine
from harness.findings import HarnessError
from harness.helpers_extension import install_helpers
from harness.migrate.run import MigrationResult, migrate_template
from harness.migrate.template_cache import TemplateEntry, remember, start_from_cache
from harness.options import EngineOptions
from harness.pgtap.helpers import HELPERS_SQL, PGTAP_SQL
from harness.sql.discovery import MigrationFile

if TYPE_CHECKING:
    from harness.changeset import ChangeSet

Progress = Callable[[str], None]



def _quiet(_: str) -> None:
    pass


class Workspace:
    def __init__(self, config: Config, options: EngineOptions = EngineOptions(), progress: Progress = _quiet,
                 migrations: Callable[[], list[MigrationFile]] | None = None,
                 change_set: ChangeSet | None = None) -> None:
        self.config = config
        self._migrations = migrations  # the run context's discovery, asked when migrating (None: discover here)
        self.change_set = change_set  # which migrations are under review (None: every one)
        self.options = options
        self.progress = progress
        self._engine: LocalEngine | UrlEngine | DockerEngine | None = None
        self._server: Server | None = None
        self._migration: MigrationResult | None = None
        self._template_entry: TemplateEntry | None = None  # where a fresh migrate run is cached
        self._test_template: str | None = None
        self._lock = threading.Lock()
        self.timings: dict[str, float] = {}

    def __enter__(self) -> "Workspace":
        started = time.perf_counter()
        self.progress("starting PostgreSQL")
        self._engine = self._make_engine()
        # The template cache holds whole-history runs; a change set builds its base state afresh.
        if isinstance(self._engine, LocalEngine) and (self.change_set is None or self.change_set.whole):
            self._server, self._migration, self._template_entry = start_from_cache(
                self._engine, self.config, self.progress, self._migrations)
        else:
            self._server = self._engine.start()
        self._server.timeout_s = self.options.timeout_s
        self.timings["engine_s"] = time.perf_counter() - started
        return self

    def _make_engine(self) -> "LocalEngine | UrlEngine | DockerEngine":
        options = self.options
        if options.engine == "url":
            if not options.db_url:
                raise HarnessError("--engine url needs --db-url URL")
            return UrlEngine(options.db_url, allow_remote=options.allow_remote, progress=self.progress)
        if options.engine == "docker":
            return DockerEngine(progress=self.progress)
        return LocalEngine(
            pg_bin=options.pg_bin, tcp_port=options.tcp_port, major=self.config.platform.major, progress=self.progress
        )

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
    def bindir(self) -> Path | None:
        """The folder of the local server binaries (psql of the same version is there), if any."""
        engine = self._engine
        if isinstance(engine, LocalEngine) and engine.binaries is not None:
            return engine.binaries.bindir
        return None

    @property
    def platform_label(self) -> str:
        """The first line of every report: the server's version and the platform model."""
        with self.server.connect(self.server.admin_db) as conn:
            version = conn.execute("show server_version").fetchone()[0].split()[0]  # type: ignore[index]
        model = "Supabase platform" if isinstance(self._engine, LocalEngine) else "the given server"
        return f"PostgreSQL {version} · {model} (hosted {self.config.platform.grants_model})"

    @property
    def migration(self) -> MigrationResult:
        """The project's migrations applied once (done on first use, then shared)."""
        with self._lock:
            if self._migration is None:
                given = self._migrations() if self._migrations is not None else None
                self._migration = migrate_template(self.server, self.config, self.progress, given, self.change_set)
                if self._template_entry is not None and isinstance(self._engine, LocalEngine):
                    remember(self._template_entry, self._engine, self._migration, self.progress)
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
            install_helpers(conn, HELPERS_SQL.read_bytes(), self.config.project.tests)
            self.config.project.require("seed")
            seed = self.config.project.seed
            if seed is not None and seed.is_file():
                self.progress(f"applying {self.config.relative(seed)}")
                text = seed.read_bytes()
                shown = self.config.relative(seed)
                try:
                    with time_limit(conn, self.server.limit()) as deadline:
                        execute_untrusted(conn, text)
                except Exception as exc:  # psycopg.Error; a broken seed is the project's problem
                    if deadline.passed:
                        raise SeedError(shown, deadline.describe(shown), timed_out=True) from None
                    raise SeedError(shown, str(exc).strip(), _error_line(exc, text)) from None
            conn.execute(PGTAP_SQL)
        return name


class SeedError(Exception):
    def __init__(self, file: str, message: str, line: int | None = None, timed_out: bool = False) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.line = line
        self.timed_out = timed_out  # stopped by --timeout


def _error_line(exc: Exception, script: bytes) -> int | None:
    """The line of a script's syntax or name error (the server gives a character position)."""
    position = getattr(getattr(exc, "diag", None), "statement_position", None)
    if not position:
        return None
    text = script.decode("utf-8", errors="replace")
    return text.count("\n", 0, int(position) - 1) + 1
