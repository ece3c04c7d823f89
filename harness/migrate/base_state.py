"""The base state of a change set: the platform database plus every shipped migration, applied once
as the Supabase CLI would (no foreign-policy watch: shipped files are context, not suspects), and
the catalog rules' findings there, so the head's findings that already exist at the base are known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from harness.config import Config
from harness.engine.server import Server
from harness.findings import Finding
from harness.sql.discovery import MigrationFile
from harness.migrate.apply import apply_all

Progress = Callable[[str], None]


@dataclass
class BaseState:
    template: str | None  # None when a shipped migration does not apply
    digest: str  # of the shipped files (names and bytes): the key a cache of base states uses
    error: Finding | None = None
    catalog: list[Finding] = field(default_factory=list)  # the catalog rules' findings at the base


def shipped_digest(shipped: list[MigrationFile]) -> str:
    digest = hashlib.sha256()
    for migration in shipped:
        digest.update(migration.path.name.encode() + b"\0" + migration.sql.encode() + b"\0")
    return digest.hexdigest()


def build_base_state(server: Server, config: Config, shipped: list[MigrationFile], shown: dict, progress: Progress,
                     prepare: Callable[[object], None] | None = None) -> BaseState:
    """Clone the platform database and apply the shipped files; run the catalog rules on the result."""
    from harness.catalog import run_catalog

    progress(f"building the base state ({len(shipped)} shipped migrations)")
    name = server.clone(server.platform_db, "base")
    state = BaseState(name, shipped_digest(shipped))
    with server.connect(name) as conn:
        if prepare is not None:
            prepare(conn)
        error = apply_all(conn, shipped, lambda m: shown[m.path])
        if error is None:
            state.catalog = run_catalog(conn, config.project.api_schemas)
    if error is not None:
        server.drop_database(name)
        state.template, state.error = None, error.to_finding("migration-error")
    return state
