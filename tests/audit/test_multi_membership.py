"""A membership table (a user in several tenants): a member of both tenants per role is added, whose
scope is the union; a scalar sub-select policy errors for it, a `limit 1` hides a tenant from it."""

from __future__ import annotations

import pytest
from audit_support import audit_project, gate_failures, matching, schema, write_project

from harness.audit import AuditResult
from harness.engine.server import Server


@pytest.fixture(scope="module")
def result(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    root = tmp_path_factory.mktemp("multi")
    write_project(root, schema("multi.sql"), schema("multi.toml"))
    return audit_project(pg_server, root)


def test_the_world_has_members_of_both_tenants(result: AuditResult) -> None:
    world = result.details["world"]
    assert world["multi_membership"] is True
    assert world["member_tables"] == ["public.memberships"]
    both = [a for a in world["actors"] if a["kind"] == "dual"]
    assert sorted(a["persona"] for a in both) == ["admin", "member"]
    assert all(a["tenants"] == ["A", "B"] for a in both)


@pytest.mark.parametrize("persona", ["member", "admin"])
def test_scalar_subquery_policy_errors_for_a_member_of_both_tenants(result: AuditResult, persona: str) -> None:
    [finding] = matching(result.findings, "policy-error", "public.m_scalar", persona, "select")
    assert "more than one row" in finding.message
    assert finding.evidence["actors"] == [f"{persona} A+B"]
    assert finding.evidence["errors"][0]["sqlstate"] == "21000"


@pytest.mark.parametrize("persona", ["member", "admin"])
def test_limit_one_hides_a_tenant_from_a_member_of_both(result: AuditResult, persona: str) -> None:
    [finding] = matching(result.findings, "denied", "public.m_limit", persona, "select")
    assert finding.evidence["actors"] == [f"{persona} A+B"]
    assert "tenants A and B" in finding.message


def test_union_scope_is_clean_where_policies_allow_every_membership(result: AuditResult) -> None:
    for table in ("public.m_clean", "public.memberships", "public.organisations"):
        assert gate_failures(result.findings, table) == []
