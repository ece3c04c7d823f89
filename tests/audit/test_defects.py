"""Each planted defect of issue 3 is found with the right rule, table, persona and operation; the
table without a defect and the correctly protected base tables produce nothing that fails the gate."""

from __future__ import annotations

import pytest
from audit_support import gate_failures, matching

from harness.audit import AuditResult


@pytest.fixture
def result(defects_result: AuditResult) -> AuditResult:
    return defects_result


# (rule, table, persona, operation): what each defect must produce.
EXPECTED = [
    ("leak", "public.d_select_true", "peer_mentor", "select"),
    ("leak", "public.d_select_true", "coordinator", "select"),
    ("leak", "public.d_admin_no_tenant", "org_admin", "select"),
    ("leak", "public.d_admin_no_tenant", "org_admin", "delete"),
    ("leak", "public.d_update_check_true", "coordinator", "update"),
    ("leak", "public.d_update_check_true", "peer_mentor", "update"),
    ("leak", "public.d_update_using_true", "coordinator", "update"),
    ("leak", "public.d_update_using_true", "peer_mentor", "update"),
    ("leak", "public.d_insert_signed_in", "peer_mentor", "insert"),
    ("leak", "public.d_insert_signed_in", "authenticated", "insert"),
    ("rls-disabled", "public.d_no_rls", "anon", None),
    ("leak", "public.d_no_rls", "anon", "select"),
    ("policy-applies-to-public", "public.d_no_to", "anon", "select"),
    ("leak", "public.d_no_to", "anon", "select"),
    ("leak", "public.d_shadowed", "coordinator", "select"),
    ("leak", "public.d_uid_null", "anon", "select"),
    ("leak", "public.d_coordinator_delete", "coordinator", "delete"),
    ("denied", "public.d_own_only", "coordinator", "select"),
    ("denied", "public.d_own_only", "org_admin", "select"),
    ("user-metadata-policy", "public.d_user_metadata", None, "select"),
    ("leak", "public.d_user_metadata", "authenticated", "select"),
    ("security-definer-view", "public.d_viewed_list", "anon", "select"),
    ("leak", "public.d_viewed_list", "peer_mentor", "select"),
]


@pytest.mark.parametrize("rule, table, persona, operation", EXPECTED,
                         ids=[f"{r}-{t.split('.')[1]}-{p}-{o}" for r, t, p, o in EXPECTED])
def test_defect_is_found(result: AuditResult, rule: str, table: str, persona: str | None,
                         operation: str | None) -> None:
    found = matching(result.findings, rule, table, persona, operation)
    assert found, f"no {rule} for {table} {persona} {operation}; got:\n" + "\n".join(gate_failures(result.findings))


@pytest.mark.parametrize("table", ["public.d_clean", "public.organisations", "public.users", "public.d_viewed",
                                   "public.d_owner_stamped"])
def test_protected_tables_have_no_finding(result: AuditResult, table: str) -> None:
    assert gate_failures(result.findings, table) == []


def test_move_finding_names_the_column_and_destination(result: AuditResult) -> None:
    [finding] = matching(result.findings, "leak", "public.d_update_check_true", "coordinator", "update")
    assert "organisation_id" in finding.message or "member_id" in finding.message
    assert finding.evidence["moved"][0]["category"].startswith("moved to")


def test_leak_evidence_is_actionable(result: AuditResult) -> None:
    [finding] = matching(result.findings, "leak", "public.d_select_true", "coordinator", "select")
    evidence = finding.evidence
    assert "tenant B" in finding.message or "tenant A" in finding.message
    assert evidence["example_rows"] and evidence["by_category"]
    assert {"coordinator A1", "coordinator B1"} <= set(evidence["actors"])
    assert [p["name"] for p in evidence["policies"]] == ["read"]
    assert evidence["policies"][0]["using"] == "true"


def test_forged_claims_leak_is_reported_as_such(result: AuditResult) -> None:
    found = matching(result.findings, "leak", "public.d_user_metadata", "authenticated", "select")
    assert any("forged_user_metadata" in f.evidence for f in found)
    assert any("forged user_metadata" in f.message for f in found)


def test_insert_is_judged_by_the_row_really_stored(result: AuditResult) -> None:
    """A trigger that stamps the inserting member as owner makes every insert its own row."""
    [matrix] = [t for t in result.details["tables"] if t["table"] == "public.d_owner_stamped"]
    cells = {row["persona"]: row["cells"]["insert"] for row in matrix["rows"]}
    assert cells["peer_mentor"]["status"] == "ok" and cells["peer_mentor"]["observed"] == "own"


def test_taking_over_a_row_is_an_update_leak(result: AuditResult) -> None:
    [finding] = matching(result.findings, "leak", "public.d_update_using_true", "coordinator", "update")
    assert "tenant B" in finding.message
    rows = finding.evidence["example_rows"]
    assert rows and all("taken_over_by_setting" in row for row in rows)
