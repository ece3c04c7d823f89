"""Helpers for the audit and catalog tests: a project on disk, migrated and audited on one server."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from harness.audit import AuditResult, audit_database
from harness.config import load_config
from harness.engine.local import LocalEngine
from harness.engine.server import Server
from harness.findings import Finding
from harness.migrate.run import migrate_template

SCHEMAS = Path(__file__).resolve().parent / "schemas"
DEFECT_TABLES = (
    "d_clean", "d_select_true", "d_admin_no_tenant", "d_update_check_true", "d_update_using_true",
    "d_insert_signed_in", "d_no_rls",
    "d_no_to", "d_shadowed", "d_uid_null", "d_coordinator_delete", "d_own_only", "d_user_metadata", "d_viewed",
    "d_owner_stamped",
)

# The spec every table of defects.sql is held to (member-owned rows, each in a tenant).
NOTES_ACCESS = """
peer_mentor = { select = "own", insert = "own", update = "own" }
coordinator = { select = "tenant", insert = "tenant", update = "tenant" }
org_admin = { all = "tenant" }
"""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """One throwaway PostgreSQL for a test session (each test migrates its own database)."""
    with LocalEngine() as server:
        yield server


def notes_spec(table: str, access: str = NOTES_ACCESS) -> str:
    return (
        f'[tables."public.{table}"]\n'
        f"row = \"insert into public.{table} (member_id, organisation_id) values ('{{user}}', '{{tenant}}')\"\n"
        'owner = "member_id"\n'
        'tenant = "organisation_id"\n'
        f'[tables."public.{table}".access]\n{access.strip()}\n'
    )


def schema(*names: str) -> str:
    return "\n".join((SCHEMAS / name).read_text(encoding="utf-8") for name in names)


def write_project(root: Path, migration: str, toml: str) -> Path:
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True, exist_ok=True)
    # A project from before 2026: new tables in public are granted to the API roles by default.
    (root / "supabase" / "config.toml").write_text("[api]\nauto_expose_new_tables = true\n", encoding="utf-8")
    (migrations / "20260101000000_schema.sql").write_text(migration, encoding="utf-8")
    (root / "harness.toml").write_text(toml, encoding="utf-8")
    return root


def audit_project(server: Server, root: Path) -> AuditResult:
    """Migrate the project on `server` and audit a clone of the result."""
    config = load_config(root)
    migration = migrate_template(server, config)
    assert migration.template, [f.message for f in migration.findings]
    try:
        with server.scratch_database(migration.template, "t") as database:
            return audit_database(lambda: server.connect(database), config, lambda _: None)
    finally:
        server.drop_database(migration.template)


def matching(findings: Iterable[Finding], rule: str, table: str | None = None, persona: str | None = None,
             operation: str | None = None) -> list[Finding]:
    return [
        f for f in findings
        if f.rule == rule
        and (table is None or f.table == table)
        and (persona is None or f.persona == persona)
        and (operation is None or f.operation == operation)
    ]


def gate_failures(findings: Iterable[Finding], table: str | None = None) -> list[str]:
    """Every finding that fails the gate (on `table`), for readable assertion messages."""
    return [f"{f.check}/{f.rule} {f.table} {f.persona} {f.operation}: {f.message}"
            for f in findings if f.severity.fails_gate and (table is None or f.table == table)]
