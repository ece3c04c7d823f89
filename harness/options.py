"""The options every command shares, as the CLI parsed them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.config import Config, load_config
from harness.workspace import EngineOptions


@dataclass(frozen=True)
class Common:
    project: Path
    fmt: str
    output: Path | None
    engine: EngineOptions
    verbose: bool

    def config(self) -> Config:
        return load_config(self.project)
