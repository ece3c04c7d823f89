"""Plan analysis on hand-written EXPLAIN JSON: no database needed."""

from __future__ import annotations

from typing import Any

from harness.explain.plan import analyse, function_calls


def node(kind: str, **extra: Any) -> dict[str, Any]:
    return {"Node Type": kind, "Plan Rows": 1, "Actual Rows": 1, "Actual Loops": 1, "Actual Total Time": 0.01, **extra}


def test_function_calls_ignores_operators_casts_and_any() -> None:
    assert function_calls("(owner_id = ANY ($2))") == []
    assert function_calls("((name)::character varying(255) = 'x'::text)") == []
    assert function_calls("(owner_id = auth.uid())") == ["auth.uid"]
    assert function_calls("(public.is_member(org_id) AND (now() > due_at))") == ["now", "public.is_member"]


def test_analyse_finds_seq_scans_subplans_and_per_row_calls() -> None:
    plan = {
        "Plan": node(
            "Seq Scan", **{"Relation Name": "tasks", "Schema": "public", "Alias": "tasks",
                           "Filter": "(public.owns(owner_id) OR (SubPlan 2))", "Rows Removed by Filter": 99},
            Plans=[
                node("Result", **{"Parent Relationship": "InitPlan", "Subplan Name": "InitPlan 1 (returns $0)"}),
                node("Index Only Scan", **{"Parent Relationship": "SubPlan", "Subplan Name": "SubPlan 2",
                                           "Relation Name": "users", "Schema": "public", "Index Name": "users_pkey",
                                           "Actual Loops": 100}),
            ],
        ),
        "Planning Time": 0.1,
        "Execution Time": 1.0,
    }
    result = analyse(plan, {"public.tasks": ["own tasks (select)"], "public.other": ["x (all)"]})
    assert result["seq_scans"][0]["relation"] == "public.tasks"
    assert result["seq_scans"][0]["removed_by_filter"] == 99
    assert result["indexes"] == ["users_pkey"]
    assert result["tables"] == ["public.tasks", "public.users"]
    rls = result["rls"]
    assert rls["policies"] == {"public.tasks": ["own tasks (select)"]}
    assert rls["init_plans"] == ["InitPlan 1 (returns $0)"]
    assert rls["sub_plans"] == [{"name": "SubPlan 2", "loops": 100}]
    assert rls["per_row_calls"][0]["functions"] == ["public.owns"]
    assert rls["per_row_calls"][0]["rows_seen"] == 100
    assert result["plan"]["children"][1]["role"] == "SubPlan"
