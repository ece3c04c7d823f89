"""Issue 18, items 11, 12, 15, 16: every SQL text a user can write is a finding, never a traceback; a
mistyped path is exit 2 with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.config import load_config
from harness.engine.server import Server
from harness.findings import Finding
from harness.migrate.run import check_idempotency, migrate_template
from harness.pgtap import run_suites
from harness.workspace import Workspace

from .conftest import PASSING_SUITE, TABLE, assert_no_traceback, json_report, rules, run_harness

# Text the scanner cannot get through: pglast raised on these in every database command.
UNTERMINATED = {
    "quote": "select 'abc;\n",
    "dollar-quote": "select $$abc;\n",
    "tagged-dollar-quote": "do $body$ begin perform 1; end\n",
    "comment": "select 1; /* abc\n",
    "nested-comment": "select 1; /* a /* b */\n",
    "identifier": 'select 1 as "abc;\n',
    "empty-identifier": 'select "" from public.t;\n',
    "escape-string": "select E'abc\\';\n",
    "bit-string": "select B'0101;\n",
}

# Statements that change the session the harness goes on using after the file.
SESSION = {
    "set-role": "set role anon;\n",
    "set-session-authorization": "set session authorization anon;\n",
    "statement-timeout": "set statement_timeout = '1ms';\nselect pg_sleep(0.2);\n",
    "statement-timeout-last": "set statement_timeout = '1ms';\n",
    "search-path": "set search_path = '';\n",
    "read-only": "set default_transaction_read_only = on;\n",
    "copy-from-stdin": "copy public.t from stdin;\n",
    "copy-to-stdout": "copy public.t to stdout;\n",
    "terminate-self": "select pg_terminate_backend(pg_backend_pid());\n",
    "terminate-others": "select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid();\n",
    "commit": "commit;\n",
    "rollback": "rollback;\n",
}

# Which of SESSION fail the migration (the rest apply, and then fail as not idempotent or pass).
SESSION_FAILS = {"set-role", "set-session-authorization", "statement-timeout", "copy-from-stdin",
                 "copy-to-stdout", "terminate-self", "terminate-others"}


def _migrate(server: Server, root: Path) -> list[Finding]:
    config = load_config(root)
    result = migrate_template(server, config)
    try:
        return result.findings + check_idempotency(server, config, result)
    finally:
        if result.template:
            server.drop_database(result.template)


@pytest.mark.parametrize("name", sorted(UNTERMINATED))
def test_unterminated_text_in_a_migration_is_a_migration_error(make_project, pg_server: Server, name: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE + UNTERMINATED[name]})
    [finding] = _migrate(pg_server, root)
    assert (finding.rule, finding.line) == ("migration-error", 2), finding


@pytest.mark.parametrize("name", sorted(SESSION))
def test_a_session_statement_in_a_migration_is_a_finding(make_project, pg_server: Server, name: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": "create table if not exists public.t (id int primary key);\n"
                                                 + SESSION[name],
                         "20260101000001_b.sql": "create table if not exists public.u (id int);\n"})
    found = {f.rule: f for f in _migrate(pg_server, root)}
    if name in SESSION_FAILS:
        assert found["migration-error"].file == "supabase/migrations/20260101000000_a.sql"
    else:
        assert "migration-error" not in found, found


def _seed_findings(server: Server, root: Path) -> list[Finding]:
    """What `harness test` reports of the seed, on the shared server."""
    workspace = Workspace(load_config(root))
    workspace._server = server  # the tests' shared server instead of an engine of its own
    try:
        return run_suites(workspace, None, 1, lambda _: None).findings
    finally:
        for name in (workspace._test_template, workspace._migration and workspace._migration.template):
            if name:
                server.drop_database(name)


@pytest.mark.parametrize("name", sorted(UNTERMINATED) + ["statement-timeout", "copy-from-stdin", "copy-to-stdout",
                                                         "terminate-self"])
def test_the_seed_is_a_seed_error(make_project, pg_server: Server, name: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE}, tests={"a_test.sql": PASSING_SUITE},
                        seed=UNTERMINATED.get(name) or SESSION[name])
    assert [(f.check, f.rule) for f in _seed_findings(pg_server, root)] == [("test", "seed-error")]


def test_anything_in_a_suite_is_a_test_result(make_project) -> None:  # type: ignore[no-untyped-def]
    suites = {f"{name}_test.sql": f"begin;\nselect plan(1);\n{text}select ok(true);\nselect * from finish();\nrollback;\n"
              for name, text in {**UNTERMINATED, **SESSION}.items()}
    root = make_project({"20260101000000_a.sql": TABLE}, tests=suites)
    report = json_report(run_harness("test", "--project", str(root), "--format", "json"))
    assert report["exit_code"] == 1
    assert all(f["check"] == "test" for f in report["findings"]), report["findings"]
    assert len(report["details"]["test"]["suites"]) == len(suites)


def test_terminating_other_sessions_gives_the_same_finding_every_time(make_project) -> None:  # type: ignore[no-untyped-def]
    """Item 14: the killer migration used to give four outcomes in eight runs of `check`."""
    root = make_project({"20260101000000_a.sql": TABLE + SESSION["terminate-others"]},
                        tests={"a_test.sql": PASSING_SUITE})
    outcomes = set()
    for _ in range(3):
        report = json_report(run_harness("check", "--project", str(root), "--format", "json", "--skip", "explain",
                                         "--skip", "audit"))
        outcomes.add((report["exit_code"], frozenset(rules(report))))
    [(code, found)] = outcomes
    assert code == 1 and ("migrate", "migration-error") in found


@pytest.mark.parametrize("command", ["migrate", "test", "audit", "explain", "check", "mutate"])
def test_every_database_command_reports_an_unterminated_quote(make_project, command: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE + UNTERMINATED["quote"]}, tests={"a_test.sql": PASSING_SUITE},
                        toml='[tables."public.t"]\n[tables."public.t".access]\n')
    report = json_report(run_harness(command, "--project", str(root), "--format", "json"))
    assert report["exit_code"] == 1
    assert ("migrate", "migration-error") in rules(report) or ("lint", "parse-error") in rules(report)


def test_harness_up_reports_an_unterminated_quote(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE + UNTERMINATED["dollar-quote"]})
    result = run_harness("up", "--project", str(root), "--format", "json")
    assert_no_traceback(result)
    assert result.returncode == 1 and '"migration-error"' in result.stdout


def test_emit_handles_a_role_name_with_a_bar(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "harness.toml").write_text(
        "[tenancy]\n"
        "tenant = \"insert into public.orgs (id) values ('{tenant}')\"\n"
        "member = \"insert into public.members (user_id, org_id, role) values ('{user}', '{tenant}', '{role}')\"\n"
        'roles = ["a|b", "plain"]\n'
        '[tables."public.notes"]\n'
        "row = \"insert into public.notes (org_id) values ('{tenant}')\"\n"
        'tenant = "org_id"\n'
        '[tables."public.notes".access]\n'
        '"a|b" = { all = "tenant" }\n'
        'plain = { select = "tenant" }\n', encoding="utf-8")
    result = run_harness("emit", "--project", str(tmp_path))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    suite = (tmp_path / "supabase/tests/database/harness/public.notes.test.sql").read_text()
    assert "a|b" in suite


@pytest.mark.parametrize("setting, folder", [("tests", "supabase/test"), ("seed", "supabase/sed.sql"),
                                             ("seed", "supabase/tests")])
def test_a_configured_path_that_is_not_there_is_exit_2(make_project, setting: str, folder: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE}, tests={"a_test.sql": PASSING_SUITE},
                        toml=f'[project]\n{setting} = "{folder}"\n')
    result = run_harness("test", "--project", str(root))
    assert_no_traceback(result)
    assert result.returncode == 2 and f"[project] {setting}" in result.stderr and folder in result.stderr


def test_the_default_seed_and_tests_may_be_absent(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE})
    result = run_harness("test", "--project", str(root))
    assert result.returncode == 0, result.stderr
