"""Placeholders, the world's personas, the text and JUnit renderers."""

from __future__ import annotations

import io
import json

from rich.console import Console

from dataclasses import replace
from pathlib import Path

from harness.config import Tenancy, load_config
from harness.explain.placeholders import render
from harness.findings import Finding, Severity
from harness.report.explain_junit import explain_findings, explain_testcases
from harness.report.explain_text import render_section
from harness.report.model import Report
from harness.world import plan_world

TENANCY = Tenancy(tenant="t", member="m", roles=("peer_mentor", "coordinator"),
                  claims='{"app_metadata": {"organisation_id": "{tenant}", "role": "{role}"}}')


def test_only_known_placeholders_are_replaced() -> None:
    text = "insert into t select '{}'::jsonb, '{tenant}', {rows}, '{user}', '{other}' from x"
    out = render(text, {"rows": "5", "tenant": "T", "other_tenant": "B", "user": "U"})
    assert out == "insert into t select '{}'::jsonb, 'T', 5, 'U', '{other}' from x"


def test_world_personas() -> None:
    config = replace(load_config(Path(__file__).resolve().parents[2]), tenancy=TENANCY)
    world = plan_world(config)
    coordinator = world.persona("coordinator")
    assert coordinator.role == "authenticated" and coordinator.tenant == "A"
    assert coordinator.claims["sub"] == str(world.members[("A", "coordinator")])
    # tenancy.claims is merged into the token, app_metadata keys included
    assert coordinator.claims["app_metadata"]["organisation_id"] == world.tenants["A"].id
    assert coordinator.claims["app_metadata"]["provider"] == "email"
    assert world.persona("service_role").role == "service_role"
    assert world.persona("anon").claims == {"role": "anon"}
    assert world.placeholder_user(world.persona("service_role")) == world.members[("A", "peer_mentor")]
    again = plan_world(config)  # fixed ids: reproducible seeds and plans
    assert (again.members, again.tenants, again.outsider) == (world.members, world.tenants, world.outsider)


def _report() -> Report:
    scan = {"node": "Seq Scan", "relation": "public.t", "alias": "t", "index": None, "role": None,
            "subplan": None, "estimated_rows": 10, "actual_rows": 3, "loops": 1, "time_ms": 1.5,
            "removed_by_filter": 7, "buffers": {"hit": 4, "read": 0}, "conditions": {"Filter": "(x = 1)"},
            "children": []}
    target = {"name": "slow one", "as": "coordinator", "rows": 10, "budget_ms": 1.0, "forbid_seq_scan": ["public.t"],
              "median_ms": 1.5, "spread_ms": 0.2, "planning_ms": 0.1, "headroom": 0.7, "error": None,
              "timed_out": False, "plan": scan, "seq_scans": [{"relation": "public.t"}], "indexes": [],
              "rls": {"policies": {"public.t": ["p (select)"]}, "init_plans": [], "sub_plans": [],
                      "per_row_calls": []}}
    report = Report(command="explain")
    report.details["explain"] = {"measured_runs": 7, "warmup_runs": 1, "skipped": None, "targets": [target]}
    report.extend([Finding(check="explain", rule="too-slow", severity=Severity.ERROR, message="slow",
                           evidence={"target": "slow one"})])
    return report


def test_text_section_shows_table_and_tree() -> None:
    out = io.StringIO()
    render_section(_report(), Console(file=out, width=200, no_color=True), verbose=True)
    text = out.getvalue()
    assert "slow one" in text and "seq scan, too slow" in text and "0.7×" in text
    assert "Seq Scan on public.t" in text and "Filter: (x = 1)" in text
    assert "RLS: 1 policy on public.t" in text


def test_junit_testcases() -> None:
    report = _report()
    cases = explain_testcases(report)
    assert [c.get("name") for c in cases] == ["slow one"]
    assert cases[0].find("failure").get("type") == "explain/too-slow"  # type: ignore[union-attr]
    assert explain_findings(report) == report.findings
    json.dumps(report.to_json())  # details stay JSON-serialisable


def test_junit_testsuite_counts_failures() -> None:
    from harness.report.explain_junit import explain_testsuite

    suite = explain_testsuite(_report())
    assert suite is not None and suite.get("tests") == "1" and suite.get("failures") == "1"
    assert explain_testsuite(Report(command="explain")) is None
