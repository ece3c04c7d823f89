"""Every catalog rule fires on the object planted for it, with its severity, and stays quiet on clean
schemas and on the subject."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_support import schema, write_project

from harness.catalog import rule_files, rule_ids, run_catalog
from harness.config import load_config
from harness.engine.server import Server
from harness.findings import Finding, Severity
from harness.migrate.run import migrate_template

HERE = Path(__file__).resolve().parent
SUBJECT = HERE.parents[1]


def catalog_of(server: Server, root: Path) -> list[Finding]:
    config = load_config(root)
    migration = migrate_template(server, config)
    assert migration.template, [f.message for f in migration.findings]
    try:
        with server.connect(migration.template) as conn:
            return run_catalog(conn, config.project.api_schemas)
    finally:
        server.drop_database(migration.template)


@pytest.fixture(scope="module")
def planted(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    root = tmp_path_factory.mktemp("catalog")
    migration = (HERE / "catalog_defects.sql").read_text(encoding="utf-8")
    return catalog_of(pg_server, write_project(root, migration, '[project]\nseed = ""\n'))


# rule, severity, table (None: a function), persona, operation, a word the message must hold
EXPECTED = [
    ("rls-disabled", "critical", "public.c_rls_disabled", "anon", None, "disabled"),
    ("policy-without-rls", "error", "public.c_policy_without_rls", None, None, "read"),
    ("rls-no-policy", "info", "public.c_rls_no_policy", None, None, "no policy"),
    ("rls-not-forced", "info", "public.c_rls_not_forced", None, None, "catalog_owner"),
    ("security-definer-view", "error", "public.c_security_definer_view", "anon", "select", "public.c_protected"),
    ("security-definer-view", "error", "public.c_definer_matview", "anon", "select", "materialized view"),
    ("auth-users-exposed", "error", "public.c_auth_users_exposed", "anon", "select", "auth.users"),
    ("security-definer-function", "warning", None, "anon", None, "c_security_definer_function"),
    ("function-search-path-mutable", "warning", None, None, None, "c_mutable_search_path"),
    ("function-search-path-mutable", "error", None, None, None, "c_definer_mutable_search_path"),
    ("user-metadata-policy", "error", "public.c_user_metadata_policy", None, "delete", "c_metadata_role"),
    ("policy-applies-to-public", "warning", "public.c_policy_applies_to_public", "anon", "select", "TO"),
    ("multiple-permissive-policies", "info", "public.c_multiple_permissive", "authenticated", "select", "own, public"),
    ("auth-function-per-row", "warning", "public.c_auth_function_per_row", None, "update", "auth.uid()"),
    ("unindexed-foreign-key", "info", "public.c_unindexed_foreign_key", None, None, "protected_id"),
    ("column-grant-defeated", "error", "public.c_column_grant_defeated", "authenticated", "update", "name"),
]


@pytest.mark.parametrize("rule, severity, table, persona, operation, word", EXPECTED,
                         ids=[f"{e[0]}-{e[5]}" for e in EXPECTED])
def test_rule_fires(planted: list[Finding], rule: str, severity: str, table: str | None, persona: str | None,
                    operation: str | None, word: str) -> None:
    hits = [f for f in planted if f.rule == rule and f.table == table and word in f.message]
    assert hits, f"{rule} did not fire on {table} ({word}); it fired on: " + \
        ", ".join(f"{f.table}: {f.message}" for f in planted if f.rule == rule)
    finding = hits[0]
    assert (finding.check, finding.severity, finding.persona, finding.operation) == \
        ("catalog", Severity(severity), persona, operation)
    assert finding.evidence["remediation"] and finding.evidence["description"]


def test_every_rule_has_a_planted_case() -> None:
    assert sorted({e[0] for e in EXPECTED}) == sorted(rule_ids())


def test_rule_files_are_named_after_their_rule() -> None:
    for path in rule_files():
        assert f"'{path.stem.replace('_', '-')}' as name" in path.read_text(encoding="utf-8"), path.name


def test_rules_do_not_fire_where_nothing_is_wrong(planted: list[Finding]) -> None:
    quiet = ("public.c_invoker_view", "public.c_protected")
    assert [f"{f.rule} {f.table}" for f in planted if f.table in quiet and f.rule != "multiple-permissive-policies"] == []
    assert not [f for f in planted if f.rule == "security-definer-function" and "c_definer_mutable" in f.message]


def test_clean_schema_has_no_catalog_warning(pg_server: Server, tmp_path: Path) -> None:
    root = write_project(tmp_path, schema("base.sql", "clean.sql"), schema("base.toml", "clean.toml"))
    assert [f.message for f in catalog_of(pg_server, root) if f.severity != Severity.INFO] == []


def test_subject_has_no_catalog_error(pg_server: Server) -> None:
    failing = [f.message for f in catalog_of(pg_server, SUBJECT) if f.severity.fails_gate]
    assert failing == []
