"""A policy that calls a function per row shows in the analysis (and costs a Seq Scan here)."""

from __future__ import annotations

from pathlib import Path

from .conftest import copy_fixture_project, run_explain_cli

PER_ROW_POLICY = """
create or replace function public.owns(owner uuid) returns boolean
language plpgsql stable set search_path = '' as $$
begin
  return owner = auth.uid();
end;
$$;
drop policy if exists "own tasks" on public.tasks;
create policy "own tasks" on public.tasks for select to authenticated using (public.owns(owner_id));
"""


def test_per_row_policy_function_is_reported(tmp_path: Path) -> None:
    project = copy_fixture_project(tmp_path, migrations={"20260101000001_per_row_policy.sql": PER_ROW_POLICY})
    outcome = run_explain_cli(project)
    mine = outcome.targets()["my tasks"]
    calls = mine["rls"]["per_row_calls"]
    assert calls and "owns" in calls[0]["functions"][0]
    assert calls[0]["relation"] == "public.tasks" and calls[0]["rows_seen"] >= 2000
    assert mine["plan"]["actual_rows"] == 20  # still correct, just slow
    assert ("seq-scan", "my tasks") in outcome.rules()
