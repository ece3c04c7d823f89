"""Clean schemas produce nothing that fails the gate: correct tenant policies, a security_invoker view,
and announcements that anon may read because the spec says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_support import audit_project, gate_failures, matching, schema, write_project

from harness.audit import AuditResult
from harness.config import load_config
from harness.engine.server import Server

SUBJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    root = tmp_path_factory.mktemp("clean")
    write_project(root, schema("base.sql", "clean.sql"), schema("base.toml", "clean.toml"))
    return audit_project(pg_server, root)


def test_clean_schema_has_no_gate_failure(result: AuditResult) -> None:
    assert gate_failures(result.findings) == []


def test_declared_public_read_is_not_a_leak(result: AuditResult) -> None:
    assert matching(result.findings, "leak", "public.announcements") == []
    [matrix] = [t for t in result.details["tables"] if t["table"] == "public.announcements"]
    anon = next(r for r in matrix["rows"] if r["persona"] == "anon")
    assert anon["cells"]["select"] == {**anon["cells"]["select"], "spec": "all", "observed": "all", "status": "ok"}


def test_security_invoker_view_is_probed_and_clean(result: AuditResult) -> None:
    assert [v["view"] for v in result.details["views"]] == ["public.project_titles"]
    assert any(t["table"] == "public.project_titles" and t["kind"] == "view" for t in result.details["tables"])


@pytest.mark.skipif(not (SUBJECT / "harness.toml").is_file(), reason="the subject's harness.toml is not there")
def test_subject_has_no_leak_denied_or_policy_error(pg_server: Server) -> None:
    result = audit_project(pg_server, SUBJECT)
    assert gate_failures([f for f in result.findings if f.check == "audit"]) == []
    assert {t["table"] for t in result.details["tables"]} >= set(load_config(SUBJECT).tables)
