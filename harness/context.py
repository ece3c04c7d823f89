"""The run context: what one invocation of the harness builds once and every check shares.

    with RunContext(common, progress) as ctx:
        ctx.config         # harness.toml, loaded once
        ctx.migrations     # the migration files, discovered once (with the discovery's findings)
        ctx.workspace      # the engine and the migrated template, opened on first use
        ...                # closed (servers stopped, scratch databases dropped) when the block ends

Nothing is loaded, discovered or migrated twice, and nothing is computed by one check for another
to filter out.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from harness.config import Config
from harness.findings import Finding
from harness.options import Common

if TYPE_CHECKING:
    from harness.changeset import ChangeSet
    from harness.shard import Shard
    from harness.sql.discovery import MigrationFile
    from harness.workspace import Workspace

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class MutateArgs:
    min_score: float | None = None
    with_audit: bool = False
    operators: list[str] | None = None  # None: every operator


@dataclass(frozen=True)
class CheckArgs:
    """What the command line says to particular checks."""

    lint_files: list[Path] = field(default_factory=list)  # lint only these files' findings
    test_paths: list[Path] = field(default_factory=list)  # run only these suites
    jobs: int = 1  # suites (or mutants) at once
    explain_rows: int | None = None  # seed every explain target with this many rows
    mutate: MutateArgs = MutateArgs()
    shard: Shard | None = None  # --shard K/N: this runner's part of the suites, tables or mutants


@dataclass(frozen=True)
class Discovery:
    """The project's migrations in the order the Supabase CLI applies them, and what was wrong with names."""

    migrations: list[MigrationFile]
    findings: list[Finding] = field(default_factory=list)


class RunContext:
    def __init__(self, common: Common, progress: Progress = quiet, args: CheckArgs = CheckArgs(),
                 config: Config | None = None) -> None:
        self.common = common
        self.args = args
        self.progress = progress
        self.config = config if config is not None else common.config()
        self._stack = ExitStack()
        self._workspace: Workspace | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> "RunContext":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @cached_property
    def discovery(self) -> Discovery:
        from harness.sql.discovery import discover_migrations

        migrations, findings = discover_migrations(self.config.project.migrations, self.config.root)
        return Discovery(migrations, findings)

    @cached_property
    def change_set(self) -> ChangeSet:
        """Which migrations are under review (the README's change set): resolved before anything starts."""
        from harness.changeset import change_set_for

        return change_set_for(self.config, self.common.changes)

    @property
    def migrations(self) -> list[MigrationFile]:
        return self.discovery.migrations

    @property
    def workspace(self) -> Workspace:
        """The engine, started on first use; its migrated template is built on first use too."""
        with self._lock:
            if self._workspace is None:
                from harness.workspace import Workspace

                workspace = Workspace(self.config, self.common.engine, self.progress, lambda: self.migrations,
                                      self.change_set)
                self._workspace = self._stack.enter_context(workspace)
            return self._workspace

    @property
    def workspace_open(self) -> bool:
        return self._workspace is not None
