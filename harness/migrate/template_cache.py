"""The migrated template, kept across runs and CI jobs: nothing is migrated twice that did not change.

An entry is a stopped copy of the whole cluster with the migrated template database in it, plus
what the migrate run found (its findings, the catalog snapshot, the tables' creators, and later the
apply-twice findings), under `<cache>/templates/<key>/`. The key is a digest of everything the run
depends on: the platform layer and server (platform_hash: version, binaries, platform SQL), the
major version, the extensions the server offers, the API schemas, the bytes and names of every file
in the migrations folder, and the harness's own code. Any change is another key, so a stale entry is
never used; old entries are removed (the newest KEEP stay). `HARNESS_NO_TEMPLATE_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from harness.config import Config
from harness.engine.binaries import PgBinaries
from harness.engine.local import LocalEngine, _file_lock, cache_root, platform_hash
from harness.engine.server import Server
from harness.findings import Finding
from harness.sql.discovery import MigrationFile, discover_migrations
from harness.migrate.run import MigrationResult
from harness.migrate.snapshot import Snapshot

FORMAT = "1"  # bump when an entry's layout changes
KEEP = 4  # entries kept (each is a cluster: tens of megabytes)
PACKAGE = Path(__file__).resolve().parent.parent


def enabled() -> bool:
    return os.environ.get("HARNESS_NO_TEMPLATE_CACHE", "") in ("", "0")


def key_inputs(binaries: PgBinaries, config: Config, given: list[MigrationFile] | None = None) -> dict[str, bytes]:
    """Everything a migrated template depends on, by name (tests change one at a time). `given`: the
    migrations the run context discovered (their discovery's findings are then not in the result)."""
    return {
        "given": b"-" if given is None else b"".join(
            config.relative(m.path).encode() + b"\0" + m.sql.encode() + b"\0" for m in given),
        "platform": platform_hash(binaries).encode(),  # version, binaries, platform SQL, pgTAP
        "major": str(binaries.major).encode(),
        "extensions": _extensions(binaries),
        "api_schemas": "\0".join(config.project.api_schemas).encode(),
        "grants": config.platform.grants_model.encode(),  # the project's default privileges
        "migrations": _folder(config.project.migrations),
        "migrations_path": config.relative(config.project.migrations).encode(),  # findings name files by it
        "harness": _harness_code(),
    }


def template_key(inputs: dict[str, bytes]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for name in sorted(inputs):
        digest.update(name.encode() + b"\0" + hashlib.sha256(inputs[name]).digest())
    return digest.hexdigest()[:24]


def _extensions(binaries: PgBinaries) -> bytes:
    """The extensions the server offers: each control file's name and contents."""
    if binaries.sharedir is None:
        return b""
    folder = binaries.sharedir / "extension"
    return b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(folder.glob("*.control")))


def _folder(folder: Path) -> bytes:
    """Every file of the migrations folder, name and bytes (a misnamed file is a finding too)."""
    if not folder.is_dir():
        return b""
    return b"".join(p.name.encode() + b"\0" + p.read_bytes() + b"\0"
                    for p in sorted(folder.iterdir()) if p.is_file())


_CODE: bytes | None = None


def _harness_code() -> bytes:
    """The harness's own Python and SQL: a changed check must not replay old findings."""
    global _CODE
    if _CODE is None:
        _CODE = b"".join(str(p.relative_to(PACKAGE)).encode() + b"\0" + p.read_bytes()
                         for p in sorted(PACKAGE.rglob("*")) if p.suffix in (".py", ".sql") and p.is_file())
    return _CODE


@dataclass
class TemplateEntry:
    """One key's folder in the cache: `data/` (the cluster, when the history applied) and JSON files."""

    folder: Path
    key: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def result_file(self) -> Path:
        return self.folder / "result.json"

    @property
    def idempotency_file(self) -> Path:
        return self.folder / "idempotency.json"

    def exists(self) -> bool:
        return self.result_file.is_file()

    def load(self, config: Config, given: list[MigrationFile] | None = None) -> MigrationResult | None:
        """The cached run, or None when the entry is unreadable or incomplete."""
        try:
            stored = json.loads(self.result_file.read_text())
        except (OSError, ValueError):
            return None
        if stored.get("key") != self.key or (stored["template"] and not (self.data / "PG_VERSION").is_file()):
            return None
        migrations = given if given is not None else discover_migrations(config.project.migrations, config.root)[0]
        snapshot = stored["snapshot"]
        result = MigrationResult(
            migrations=migrations,
            template=stored["template"],
            snapshot=None if snapshot is None else Snapshot(
                objects={(kind, name): detail for kind, name, detail in snapshot["objects"]},
                contents={table: (rows, digest) for table, (rows, digest) in snapshot["contents"].items()}),
            findings=[Finding(**f) for f in stored["findings"]],
            creators=stored["creators"],
        )
        result.timings["apply_s"] = 0.0
        result.cached = True
        try:
            result.idempotency = [Finding(**f) for f in json.loads(self.idempotency_file.read_text())]
        except (OSError, ValueError):
            result.idempotency = None
        os.utime(self.result_file)  # recently used: kept by the eviction
        return result

    def store(self, result: MigrationResult, snapshot_cluster: Callable[[Path], None] | None) -> None:
        """Write the run (and, through `snapshot_cluster`, a copy of the stopped cluster) atomically."""
        partial = self.folder.with_name(f"{self.folder.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        try:
            if result.template is not None and snapshot_cluster is not None:
                snapshot_cluster(partial / "data")
            (partial / "result.json").write_text(json.dumps(_result_json(self.key, result)))
            with _file_lock(self.folder.parent / ".lock"):
                if not self.exists():
                    shutil.rmtree(self.folder, ignore_errors=True)
                    os.replace(partial, self.folder)
                _evict(self.folder.parent)
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    def store_idempotency(self, findings: list[Finding]) -> None:
        if not self.exists():
            return
        temporary = self.idempotency_file.with_name(f"idempotency.json.{os.getpid()}")
        temporary.write_text(json.dumps([f.to_json() for f in findings]))
        os.replace(temporary, self.idempotency_file)


def entry_for(binaries: PgBinaries, config: Config, given: list[MigrationFile] | None = None) -> TemplateEntry:
    key = template_key(key_inputs(binaries, config, given))
    return TemplateEntry(cache_root() / "templates" / key, key)


def start_from_cache(engine: LocalEngine, config: Config, progress: Callable[[str], None],
                     discover: Callable[[], list[MigrationFile]] | None = None,
                     ) -> tuple[Server, MigrationResult | None, TemplateEntry | None]:
    """Boot the engine, from the cached migrated template when there is one for exactly these inputs.

    Returns the server, the cached migrate run (None on a miss) and the entry to store a new run in
    (None when the cache is off). `discover`: the run context's migrations, when it has them."""
    if not enabled():
        return engine.start(), None, None
    engine.resolve_binaries()  # no server binaries: said first
    assert engine.binaries is not None
    given = discover() if discover is not None else None
    entry = entry_for(engine.binaries, config, given)
    cached = entry.load(config, given) if entry.exists() else None
    if cached is None:
        return engine.start(), None, entry
    progress(f"the migrations are unchanged: migrated template from the cache ({entry.key})")
    if cached.template is not None:
        with _file_lock(entry.folder.parent / ".lock"):  # not evicted while copied
            server = engine.start(cluster=entry.data)
    else:
        server = engine.start()
    cached.remember_idempotency = entry.store_idempotency
    return server, cached, entry


def remember(entry: TemplateEntry, engine: LocalEngine, result: MigrationResult, progress: Callable[[str], None]) -> None:
    """Store a fresh migrate run in the cache (the cluster is copied while stopped for a moment)."""
    progress("saving the migrated template in the cache")
    entry.store(result, engine.snapshot)
    result.remember_idempotency = entry.store_idempotency


def _result_json(key: str, result: MigrationResult) -> dict[str, Any]:
    snapshot = result.snapshot
    return {
        "key": key,
        "stored_at": time.time(),
        "template": result.template,
        "findings": [f.to_json() for f in result.findings],
        "creators": result.creators,
        "snapshot": None if snapshot is None else {
            "objects": [[kind, name, detail] for (kind, name), detail in snapshot.objects.items()],
            "contents": {table: list(value) for table, value in snapshot.contents.items()},
        },
    }


def _evict(templates: Path) -> None:
    """Keep the KEEP most recently used entries (called under the templates lock)."""
    entries = [p for p in templates.iterdir() if (p / "result.json").is_file()]
    entries.sort(key=lambda p: (p / "result.json").stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
