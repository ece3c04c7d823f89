"""Supabase CLI parity: `supabase db push` of this repository's migrations into a platform database
builds the same catalog as the harness does. Uses the real CLI (npm package `supabase`, pinned)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from harness.config import load_config
from harness.data_api_grants import apply_grants_model
from harness.engine.local import LocalEngine, cache_root
from harness.migrate.run import migrate_template
from harness.migrate.snapshot import diff_snapshots, take_snapshot

REPO = Path(__file__).resolve().parent.parent
CLI_VERSION = "2.117.0"


def _supabase_cli() -> Path:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is absent, so the Supabase CLI cannot be installed: parity not checked")
    folder = cache_root() / f"supabase-cli-{CLI_VERSION}"
    binary = folder / "node_modules" / ".bin" / "supabase"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder),
                                 f"supabase@{CLI_VERSION}"], capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or not binary.exists():
            pytest.skip(f"npm could not install supabase@{CLI_VERSION}: {result.stderr.strip()[-300:]}")
    return binary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_supabase_db_push_builds_the_catalog_the_harness_builds(tmp_path: Path) -> None:
    cli = _supabase_cli()
    project = tmp_path / "project"
    (project / "supabase").mkdir(parents=True)
    shutil.copytree(REPO / "supabase" / "migrations", project / "supabase" / "migrations")
    config = load_config(project)
    with LocalEngine(tcp_port=_free_port()) as server:
        ours = migrate_template(server, config)
        assert ours.snapshot is not None, [f.message for f in ours.findings]
        target = server.clone(server.platform_db, "pushed")
        with server.connect_admin(target) as conn:  # the project's grants, as `supabase start` sets them
            apply_grants_model(conn, config.platform)
        url = f"postgresql://postgres@127.0.0.1:{server.tcp_port}/{target}?sslmode=disable"
        result = subprocess.run([str(cli), "db", "push", "--db-url", url, "--yes"], cwd=project,
                                capture_output=True, text=True, timeout=300,
                                env={**os.environ, "SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"})
        assert result.returncode == 0, result.stdout + result.stderr
        with server.connect(target) as conn:
            theirs = take_snapshot(conn)
            versions = [v for (v,) in conn.execute(
                "select version from supabase_migrations.schema_migrations order by version")]
    assert versions == [m.version for m in ours.migrations]
    # The CLI keeps its own history table in supabase_migrations; the rest must be identical.
    # A bucket row's created_at/updated_at are now() of each build, so its contents differ by design.
    changes = [c for c in diff_snapshots(ours.snapshot, theirs) if not c.name.startswith("supabase_migrations.")
               and not (c.kind == "rows" and c.name == "storage.buckets")]
    assert changes == [], "\n".join(c.text for c in changes)
