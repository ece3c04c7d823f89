"""RPC functions and storage buckets (issue 21): each planted defect of surfaces.sql is found with the
right surface, persona and operation; the clean function and bucket produce nothing that fails the gate."""

from __future__ import annotations


import pytest
from audit_support import audit_project, gate_failures, matching, schema, write_project

from rich.console import Console

from harness.audit import AuditResult
from harness.report.audit_html import render_audit_html
from harness.report.audit_text import render_section
from harness.report.model import Report
from harness.engine.server import Server
from harness.findings import Finding


@pytest.fixture(scope="module")
def result(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    root = tmp_path_factory.mktemp("surfaces")
    write_project(root, schema("base.sql", "surfaces.sql"), schema("base.toml", "surfaces.toml"))
    return audit_project(pg_server, root)


def _in_bucket(findings: list[Finding], bucket: str) -> list[Finding]:
    return [f for f in findings if f.evidence.get("bucket") == bucket]


FUNCTION_DEFECTS = [
    ("public.f_members_by_argument", "coordinator"),
    ("public.f_members_by_argument", "org_admin"),
    ("public.f_colleagues", "coordinator"),
    ("public.f_promote_anyone", "org_admin"),
]


@pytest.mark.parametrize("function, persona", FUNCTION_DEFECTS, ids=[f"{f}-{p}" for f, p in FUNCTION_DEFECTS])
def test_function_defect_is_a_leak(result: AuditResult, function: str, persona: str) -> None:
    found = matching(result.findings, "leak", function, persona, "execute")
    assert found, "\n".join(gate_failures(result.findings))
    assert found[0].evidence["calls"], found[0].evidence


def test_argument_trust_names_the_other_tenant(result: AuditResult) -> None:
    [finding] = matching(result.findings, "leak", "public.f_members_by_argument", "coordinator", "execute")
    assert "aimed at tenant B" in finding.message
    assert "rows of tenant B" in finding.message


def test_changing_function_is_judged_by_what_it_changed(result: AuditResult) -> None:
    [finding] = matching(result.findings, "leak", "public.f_promote_anyone", "org_admin", "execute")
    change = finding.evidence["calls"][0]["changes"][0]
    assert change["table"] == "public.users" and change["operation"] == "update"
    assert "changes rows outside its scope" in finding.message


@pytest.mark.parametrize("function", ["public.f_members", "public.f_promote"])
def test_clean_function_has_no_finding(result: AuditResult, function: str) -> None:
    assert gate_failures(result.findings, function) == []


def test_uncovered_security_definer_function(result: AuditResult) -> None:
    [finding] = matching(result.findings, "not-covered", "public.f_uncovered")
    assert finding.operation == "execute" and "authenticated" in finding.evidence["callers"]
    assert not matching(result.findings, "not-covered", "public.f_members")


BUCKET_DEFECTS = [
    ("b_bucket_only", "peer_mentor", "select"),
    ("b_bucket_only", "coordinator", "select"),
    ("b_wrong_column", "peer_mentor", "select"),
    ("b_wrong_column", "coordinator", "select"),
    ("b_upload_any_tenant", "peer_mentor", "insert"),
    ("b_move_out", "peer_mentor", "update"),
]


@pytest.mark.parametrize("bucket, persona, operation", BUCKET_DEFECTS, ids=[f"{b}-{p}-{o}" for b, p, o in BUCKET_DEFECTS])
def test_bucket_defect_is_a_leak(result: AuditResult, bucket: str, persona: str, operation: str) -> None:
    found = matching(_in_bucket(result.findings, bucket), "leak", "storage.objects", persona, operation)
    assert found, "\n".join(gate_failures(result.findings, "storage.objects"))


def test_upload_without_tenant_check_names_the_other_tenant(result: AuditResult) -> None:
    [finding] = matching(_in_bucket(result.findings, "b_upload_any_tenant"), "leak", "storage.objects",
                         "peer_mentor", "insert")
    assert "its own folder placed in tenant" in finding.message


def test_move_names_the_destination(result: AuditResult) -> None:
    found = matching(_in_bucket(result.findings, "b_move_out"), "leak", "storage.objects", "peer_mentor", "update")
    assert any("moved to the folder of" in str(f.evidence.get("moved")) for f in found), found


def test_clean_bucket_has_no_finding(result: AuditResult) -> None:
    assert [f.message for f in _in_bucket(result.findings, "b_clean") if f.severity.fails_gate] == []


def test_details_carry_a_matrix_per_surface(result: AuditResult) -> None:
    assert [m["function"] for m in result.details["functions"]][:2] == ["public.f_members", "public.f_members_by_argument"]
    buckets = {m["bucket"]: m for m in result.details["buckets"]}
    assert buckets["b_clean"]["objects"] == sum(1 for a in result.details["world"]["actors"] if a["tenants"])
    statuses = {row["persona"]: row["cells"]["select"]["status"] for row in buckets["b_bucket_only"]["rows"]}
    assert statuses["coordinator"] == "leak"




def test_reports_have_a_section_per_surface(result: AuditResult) -> None:
    report = Report(command="audit", findings=list(result.findings), details={"audit": result.details})
    page = render_audit_html(report)
    assert "<h2>RPC functions</h2>" in page and "<h2>Storage buckets</h2>" in page
    assert 'data-table="rpc public.f_colleagues"' in page
    assert 'data-table="bucket b_bucket_only (storage.objects' in page
    console = Console(record=True, width=200)
    render_section(report, console, verbose=False)
    text = console.export_text()
    assert "rpc public.f_members_by_argument" in text and "bucket b_move_out" in text
    assert "5 functions, 5 buckets" in text
