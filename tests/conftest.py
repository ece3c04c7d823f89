"""Shared fixtures: small projects on disk and a real PostgreSQL started by the tests themselves."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable, Iterator

import pytest

from harness.engine.local import LocalEngine
from harness.engine.server import Server

REPO = Path(__file__).resolve().parent.parent

MakeProject = Callable[..., Path]

# The fixtures model projects created before 2026, whose new tables in `public` are granted to the
# API roles by default (supabase/config.toml `[api] auto_expose_new_tables = true`); today's grants
# have tests of their own (test_platform.py, test_hosted_fidelity.py).
LEGACY_GRANTS = "[api]\nauto_expose_new_tables = true\n"


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """make_project({"20260101000000_a.sql": "create table ..."}, toml="...", tests={...}) -> project root."""

    def make(
        migrations: dict[str, str],
        toml: str | None = None,
        tests: dict[str, str] | None = None,
        seed: str | None = None,
        name: str = "project",
        auto_expose: bool = True,
    ) -> Path:
        root = tmp_path / name
        folder = root / "supabase" / "migrations"
        folder.mkdir(parents=True)
        if auto_expose:
            (root / "supabase" / "config.toml").write_text(LEGACY_GRANTS, encoding="utf-8")
        for file, sql in migrations.items():
            (folder / file).write_text(textwrap.dedent(sql), encoding="utf-8")
        for file, sql in (tests or {}).items():
            path = root / "supabase" / "tests" / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(sql), encoding="utf-8")
        if seed is not None:
            (root / "supabase" / "seed.sql").write_text(textwrap.dedent(seed), encoding="utf-8")
        if toml is not None:
            (root / "harness.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
        return root

    return make


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """One platform-loaded server for tests that only need databases (clone PLATFORM_DB)."""
    with LocalEngine() as server:
        yield server
