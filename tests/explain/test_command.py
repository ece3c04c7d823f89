"""`harness explain` end to end on fixture projects: passes, seq-scan, too-slow, RLS, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Outcome, copy_fixture_project, run_explain_cli, target_toml

IMPOSSIBLE = target_toml("impossible budget", "select id from public.tasks", persona="member", max_ms=0.0001)


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return run_explain_cli(copy_fixture_project(tmp_path_factory.mktemp("passing")))


def test_fixture_targets_pass_with_their_indexes(passing: Outcome) -> None:
    assert passing.code == 0, passing.report.get("findings")
    assert passing.report["findings"] == []
    targets = passing.targets()
    assert set(targets) == {"overdue open tasks", "my tasks"}
    overdue = targets["overdue open tasks"]
    assert overdue["indexes"] == ["tasks_open_due_at_idx"]
    assert overdue["seq_scans"] == []
    assert len(overdue["runs_ms"]) == 7
    assert overdue["median_ms"] <= overdue["max_ms"]
    assert overdue["planning_ms"] is not None and overdue["headroom"] > 1
    assert overdue["plan_json"]["Plan"]["Node Type"]  # the full EXPLAIN JSON is in the report


def test_persona_is_under_rls(passing: Outcome) -> None:
    mine = passing.targets()["my tasks"]
    # The member owns one task in a hundred: RLS filtered, through the policy's own condition.
    assert mine["plan"]["actual_rows"] == 20
    conditions = _all_conditions(mine["plan"])
    # The InitPlan's result: `$0` on PostgreSQL 15, `(InitPlan 1).col1` on 17.
    assert any("owner_id = $0" in c or "owner_id = (InitPlan 1).col1" in c for c in conditions), conditions
    assert mine["rls"]["policies"] == {"public.tasks": ["own tasks (select)"]}
    assert mine["rls"]["init_plans"] and mine["rls"]["per_row_calls"] == []
    assert mine["as"] == "member"


def test_service_role_bypasses_rls(passing: Outcome) -> None:
    overdue = passing.targets()["overdue open tasks"]
    assert overdue["rls"]["policies"] == {}
    assert overdue["plan"]["actual_rows"] > 0


def test_seq_scan_fires_when_the_index_is_dropped(tmp_path: Path) -> None:
    project = copy_fixture_project(tmp_path, migrations={
        "20260101000001_drop_index.sql": "drop index if exists public.tasks_open_due_at_idx;\n",
    })
    outcome = run_explain_cli(project)
    assert outcome.code == 1
    assert ("seq-scan", "overdue open tasks") in outcome.rules()
    finding = next(f for f in outcome.report["findings"] if f["rule"] == "seq-scan")
    assert finding["check"] == "explain" and finding["severity"] == "error"
    assert finding["table"] == "public.tasks" and finding["persona"] == "service_role"


def test_too_slow_fires_with_an_impossible_budget(tmp_path: Path) -> None:
    project = copy_fixture_project(tmp_path, IMPOSSIBLE)
    outcome = run_explain_cli(project)
    assert outcome.code == 1
    assert outcome.rules() == [("too-slow", "impossible budget")]
    finding = outcome.report["findings"][0]
    assert finding["severity"] == "error" and finding["evidence"]["budget_ms"] == 0.0001


def test_rows_override_and_query_error(tmp_path: Path) -> None:
    project = copy_fixture_project(tmp_path, target_toml("anon reads auth.users", "select id from auth.users", persona="anon"))
    outcome = run_explain_cli(project, "--rows", "100")
    assert outcome.code == 1
    # (at 100 rows the planner rightly prefers a Seq Scan: the budgets hold only at a realistic size)
    assert ("query-error", "anon reads auth.users") in outcome.rules()
    targets = outcome.targets()
    assert targets["my tasks"]["rows"] == 100 and targets["my tasks"]["plan"]["actual_rows"] == 1
    assert "permission denied" in targets["anon reads auth.users"]["error"]


def test_a_broken_seed_is_a_usage_error(tmp_path: Path) -> None:
    extra = target_toml("broken seed", "select 1", seed="insert into public.nowhere values (1)")
    outcome = run_explain_cli(copy_fixture_project(tmp_path, extra))
    assert outcome.code == 2
    assert "broken seed" in outcome.stderr and "nowhere" in outcome.stderr
    assert "Traceback" not in outcome.stderr


def _all_conditions(node: dict) -> list[str]:
    found = [str(v) for v in node["conditions"].values()]
    for child in node["children"]:
        found.extend(_all_conditions(child))
    return found


def test_a_query_that_is_not_sql_is_a_usage_error(tmp_path: Path) -> None:
    outcome = run_explain_cli(copy_fixture_project(tmp_path, target_toml("typo", "selec id from public.tasks")))
    assert outcome.code == 2
    assert '"typo"' in outcome.stderr and "not valid SQL" in outcome.stderr
