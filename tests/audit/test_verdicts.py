"""Verdicts the audit got wrong on real projects (issue 17, item 1), each planted and checked:
hardened default privileges, errors under a persona, zero-row inserts, the member table, the seed
file and PostgREST's pre-request function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from audit_support import audit_project, gate_failures, matching, schema, write_project

from harness.audit import AuditResult
from harness.audit.compare import _read
from harness.audit.model import Outcome
from harness.audit.probes import Probe
from harness.cli import main
from harness.engine.server import Server


@pytest.fixture(scope="module")
def result(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    root = write_project(tmp_path_factory.mktemp("verdicts"), schema("base.sql", "verdicts.sql"),
                         schema("base.toml", "verdicts.toml"))
    return audit_project(pg_server, root)


def test_revoked_default_privileges_do_not_break_the_probes(result: AuditResult) -> None:
    """`alter default privileges revoke execute on functions from public` ran before the audit's
    helpers were made: every probe still answers, and the sound tables are clean."""
    assert not matching(result.findings, "probe-error")
    for table in ("public.organisations", "public.users", "public.member_claims", "public.v_notes"):
        assert not gate_failures(result.findings, table), gate_failures(result.findings, table)


def _cells(result: AuditResult, table: str) -> list[dict[str, Any]]:
    matrix = next(m for m in result.details["tables"] if m["table"] == table)
    return [{"persona": row["persona"], "operation": op, **cell}
            for row in matrix["rows"] for op, cell in row["cells"].items()]


def test_an_error_under_a_persona_is_never_a_scope(result: AuditResult) -> None:
    """The policy calls a function the persona may not execute: 42501 on the function, not "none"."""
    errors = matching(result.findings, "policy-error", "public.v_staff_notes", operation="select")
    assert {f.persona for f in errors} >= {"peer_mentor", "coordinator", "org_admin"}
    assert all(f.evidence["sqlstate"] == "42501" for f in errors)
    assert not matching(result.findings, "denied", "public.v_staff_notes")
    selects = [c for c in _cells(result, "public.v_staff_notes")
               if c["operation"] == "select" and c["persona"] not in ("anon",)]
    assert selects and all(c["status"] == "error" for c in selects), selects


def test_a_failing_audit_helper_is_a_probe_error_not_none() -> None:
    probe = Probe("public.t", "select", "select", "select 1")
    own = Outcome(ok=False, state="42501", message="permission denied for function harness_audit_identity")
    got, errors = _read([(probe, own)])
    assert got is None and errors == [(probe, own)] and own.probe_failed and not own.refused
    table = Outcome(ok=False, state="42501", message="permission denied for table t")
    assert _read([(probe, table)]) == (frozenset(), [])
    helper = Outcome(ok=False, state="42501", message="permission denied for function is_staff")
    assert _read([(probe, helper)])[0] is None and not helper.probe_failed


def test_an_insert_select_that_inserts_nothing_is_refused(result: AuditResult) -> None:
    assert not matching(result.findings, "leak", "public.v_notes", operation="insert"), \
        gate_failures(result.findings, "public.v_notes")
    anon = [c for c in _cells(result, "public.v_notes") if c["persona"] == "anon" and c["operation"] == "insert"]
    assert anon and all(c["observed"] == "none" for c in anon), anon


def test_the_member_table_is_the_one_the_template_names(result: AuditResult) -> None:
    """member_claims grows with every member (a trigger), but tenancy.member inserts into users."""
    assert result.details["world"]["member_tables"] == ["public.users"]
    assert not matching(result.findings, "leak", "public.member_claims")
    assert matching(result.findings, "insert-not-probed", "public.member_claims")


def _audit_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "--project", str(root), "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return int(exit_.value.code or 0), json.loads(out)


SEEDED_ROLES = """
create table public.roles (name text primary key);
alter table public.roles enable row level security;
alter table public.users drop constraint users_role_check;
alter table public.users add foreign key (role) references public.roles (name);
"""


def test_the_audit_loads_the_seed_file_like_harness_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The role vocabulary lives in seed.sql: without it no member could be created."""
    root = write_project(tmp_path / "p", schema("base.sql") + SEEDED_ROLES, schema("base.toml").replace(
        'seed = ""', 'seed = "supabase/seed.sql"'))
    (root / "supabase" / "seed.sql").write_text(
        "insert into public.roles (name) values ('peer_mentor'), ('coordinator'), ('org_admin');\n", encoding="utf-8")
    code, report = _audit_json(root, capsys)
    assert code == 0, [f["message"] for f in report["findings"]]
    assert report["details"]["audit"]["world"]["rows"]["public.users"] >= 12


PRE_REQUEST = """
-- PostgREST calls this before every request (db-pre-request): it puts the caller's organisation
-- into a setting the policies read, so a policy never looks the membership up itself.
create function app.pre_request() returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform set_config('app.organisation_id',
    coalesce((select u.organisation_id::text from public.users u where u.id = (select auth.uid())), ''), true);
end
$$;
grant execute on function app.pre_request() to anon, authenticated;
alter role authenticator set pgrst.db_pre_request = 'app.pre_request';

create table public.p_notes (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.users (id),
  organisation_id uuid not null references public.organisations (id)
);
alter table public.p_notes enable row level security;
grant select on public.p_notes to authenticated;
create policy "read notes of the organisation (set by the pre-request)" on public.p_notes
  for select to authenticated
  using (organisation_id = nullif(current_setting('app.organisation_id', true), '')::uuid);
"""

PRE_REQUEST_SPEC = """
[tables."public.p_notes"]
row = "insert into public.p_notes (member_id, organisation_id) values ('{user}', '{tenant}')"
owner = "member_id"
tenant = "organisation_id"
[tables."public.p_notes".access]
peer_mentor = { select = "tenant" }
coordinator = { select = "tenant" }
org_admin = { select = "tenant" }
"""


def test_every_probe_runs_the_pre_request_function_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "p", schema("base.sql") + PRE_REQUEST, schema("base.toml") + PRE_REQUEST_SPEC)
    code, report = _audit_json(root, capsys)
    failing = [f["message"] for f in report["findings"] if f["severity"] in ("error", "critical")]
    assert code == 0 and not failing, failing
    assert report["details"]["audit"]["world"]["pre_request"] == "app.pre_request"
