"""The options every command shares, as the CLI parsed them, and where PostgreSQL comes from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.changeset import ChangeSelection
from harness.config import Config, load_config
from harness.limits import DEFAULT_TIMEOUT_S


@dataclass(frozen=True)
class EngineOptions:
    engine: str = "local"  # local | docker | url
    db_url: str | None = None
    pg_bin: Path | None = None
    tcp_port: int | None = None
    allow_remote: bool = False  # --i-know-this-is-not-production: a --db-url host that is not this machine
    timeout_s: float | None = DEFAULT_TIMEOUT_S  # --timeout: per migration file, seed, suite (None: no limit)


@dataclass(frozen=True)
class Common:
    project: Path
    fmt: str
    output: Path | None
    engine: EngineOptions
    verbose: bool
    changes: ChangeSelection = ChangeSelection()  # --base / --since / --whole-history

    def config(self) -> Config:
        return load_config(self.project)
