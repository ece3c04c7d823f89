"""Mutant databases, built as `harness test` builds its template: a clone of the platform database
with the migration history applied (here with one file mutated), then the pgTAP helpers and the seed.

Files before the mutated one are the same for every mutant of that file, so they are applied once:
the *prefix* of file k is the platform database with files 0..k-1 applied, and a mutant of file k
starts from a clone of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import psycopg

from harness.config import Config
from harness.engine.server import Server
from harness.findings import HarnessError
from harness.migrate.apply import ApplyError, apply_file
from harness.mutate.model import Mutant
from harness.pgtap.helpers import HELPERS_SQL, PGTAP_SQL
from harness.sql.discovery import MigrationFile


class MutantBuilder:
    def __init__(self, server: Server, config: Config, migrations: list[MigrationFile],
                 shown: Callable[[MigrationFile], str]) -> None:
        self.server = server
        self.config = config
        self.migrations = migrations
        self.shown = shown
        self._prefixes: dict[int, str] = {}
        self._made: list[str] = []
        seed = config.project.seed
        self._seed = (config.relative(seed), seed.read_bytes()) if seed is not None and seed.is_file() else None
        self._helpers = HELPERS_SQL.read_bytes()

    def prepare(self, files: set[int]) -> None:
        """Build the prefix of every file in `files` (the files that have mutants to run)."""
        current = self.server.platform_db
        for index, migration in enumerate(self.migrations[: max(files, default=0)]):
            if index in files:
                self._prefixes[index] = current
            name = self.server.clone(current, "prefix")
            self._made.append(name)
            with self.server.connect(name) as conn:
                error = apply_file(conn, migration, self.shown(migration), limit=self.server.limit())
            if error is not None:
                raise HarnessError(f"{error.file}:{error.line}: the unmutated migration no longer applies: {error.message}")
            if current != self.server.platform_db and current not in self._prefixes.values():
                self.server.drop_database(current)
                self._made.remove(current)
            current = name
        for index in files:
            self._prefixes.setdefault(index, current)

    def build(self, mutant: Mutant) -> tuple[str | None, ApplyError | None]:
        """The migrated mutant database, or where the mutated history stopped applying."""
        name = self.server.clone(self._prefixes[mutant.file_index], "mutant")
        with self.server.connect(name) as conn:
            for migration in self.migrations[mutant.file_index:]:
                if migration is self.migrations[mutant.file_index]:
                    migration = replace(migration, sql=mutant.sql)
                error = apply_file(conn, migration, self.shown(migration), limit=self.server.limit())
                if error is not None:
                    break
        if error is not None:
            self.server.drop_database(name)
            return None, error
        return name, None

    def load_fixtures(self, database: str) -> tuple[str, str] | None:
        """Load the pgTAP helpers and the seed, as the test template has them. When one fails: which
        (the helpers, or the seed file as reports name it) and the error."""
        scripts = [("the pgTAP helpers", self._helpers)] + ([self._seed] if self._seed is not None else [])
        scripts.append(("pgTAP", PGTAP_SQL))
        with self.server.connect(database) as conn:
            for name, script in scripts:
                try:
                    conn.execute(script)
                except psycopg.Error as exc:
                    return name, str(exc).strip().splitlines()[0]
        return None

    def close(self) -> None:
        for name in self._made:
            self.server.drop_database(name)
        self._made.clear()
