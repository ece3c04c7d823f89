"""The emitted suites against real PostgreSQL: the subject passes them; planted leaks fail them with
assertions that name the persona and the operation; they fail exactly where `harness audit` finds
something; and they pass under pg_prove against a `harness up`-style database, with or without the
pgTAP helpers installed."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.config import load_config
from harness.emit.command import run_emit
from harness.pgtap.reference import find_pg_prove, run_pg_prove
from harness.workspace import Workspace

from .conftest import OUT, REPO, planned, run_harness

USERS_MIGRATION = "supabase/migrations/20260326000000_create_organisations_and_users.sql"
CERTS_MIGRATION = "supabase/migrations/20260326000001_create_peer_mentor_certifications.sql"
DEFECTS = REPO / "tests" / "audit" / "schemas"

# migration -> (pattern, replacement): four holes, one per operation, on three tables
LEAKS = [
    (CERTS_MIGRATION, r'(create policy "Coordinators can view certifications in their organisation".*?\busing )\(.*?\);',
     r"\1(true);"),
    (CERTS_MIGRATION, (r'(create policy "Coordinators can add certifications in their organisation".*?\bwith check )'
                       r"\(.*?\);"), r"\1(true);"),
    (USERS_MIGRATION, r'(create policy "Org admins can update profiles in their organisation".*?\busing )\(.*?\);',
     r"\1(true) with check (true);"),
    (USERS_MIGRATION, r"\Z", ('\ncreate policy "anyone removes organisations" on public.organisations for delete '
                              "to authenticated using (true);\n")),
]


def copy_subject(root: Path, leaks: Sequence[tuple[str, str, str]] = ()) -> Path:
    shutil.copytree(REPO / "supabase", root / "supabase", ignore=shutil.ignore_patterns("tests"))
    shutil.copy(REPO / "harness.toml", root / "harness.toml")
    for migration, pattern, replacement in leaks:
        path = root / migration
        text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.DOTALL)
        assert count == 1, f"{pattern} no longer matches {migration}: update the test"
        path.write_text(text, encoding="utf-8")
    assert run_emit(root, None, check=False) == 0
    return root


def suite_report(root: Path) -> dict[str, Any]:
    result = run_harness("test", "--project", str(root), str(root / OUT), "--format", "json")
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return dict(json.loads(result.stdout))


def failures(report: dict[str, Any]) -> dict[str, set[str]]:
    """suite file name -> descriptions of its failed assertions."""
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        if finding["rule"] == "test-failed":
            description = re.sub(r"^test \d+ failed: ", "", finding["message"])
            found.setdefault(Path(finding["file"]).name, set()).add(re.sub(r" \(have: .*$", "", description))
    return found


def named(description: str, roles: tuple[str, ...]) -> tuple[str, str] | None:
    """(persona, operation) an assertion's description names; a move or a takeover is an update."""
    match = re.match(r"(?:(\w+) of tenant [AB]|(a signed-in user with no membership)|(anon)) can(?:not)? (\w+) ",
                     description)
    if match is None:
        return None
    persona = match.group(1) or ("authenticated" if match.group(2) else "anon")
    operation = {"move": "update", "take": "update"}.get(match.group(4), match.group(4))
    return (persona, operation) if persona in (*roles, "authenticated", "anon") else None


def audit_cells(root: Path) -> set[tuple[str, str, str]]:
    result = run_harness("audit", "--project", str(root), "--format", "json")
    report = json.loads(result.stdout)
    return {(f["table"], f["persona"], f["operation"]) for f in report["findings"]
            if f["check"] == "audit" and f["rule"] in ("leak", "denied", "policy-error") and f["operation"]}


def failing_cells(report: dict[str, Any], roles: tuple[str, ...]) -> set[tuple[str, str, str]]:
    cells = set()
    for file, descriptions in failures(report).items():
        table = file.removesuffix(".test.sql")
        cells |= {(table, *pair) for d in descriptions if (pair := named(d, roles))}
    return cells


def test_the_subjects_emitted_suites_pass_under_harness_test() -> None:
    report = suite_report(REPO)
    suites = report["details"]["test"]["suites"]
    assert report["exit_code"] == 0 and len(suites) == len(list((REPO / OUT).glob("*.test.sql"))) == 8, failures(report)
    plans = sum(planned(p.read_text(encoding="utf-8")) for p in (REPO / OUT).glob("*.test.sql"))
    assert report["summary"]["tests"] == {"passed": plans, "failed": 0}


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_subject(tmp_path_factory.mktemp("leaky"), LEAKS)


def test_planted_leaks_fail_with_the_assertion_that_names_persona_and_operation(leaky: Path) -> None:
    failed = failures(suite_report(leaky))
    certs, users, organisations = (failed.get(f"public.{t}.test.sql", set())
                                   for t in ("peer_mentor_certifications", "users", "organisations"))
    assert "coordinator of tenant A cannot select rows of tenant B" in certs  # using (true) on select
    assert "coordinator of tenant B cannot insert a row of a member of tenant A (peer_mentor A1)" in certs
    # update without reading a column: the SELECT policy still hides the rows of tenant B from peer mentors
    assert "peer_mentor of tenant A cannot update rows of tenant B" in users
    assert "org_admin of tenant A cannot move rows of tenant A to tenant B (update of organisation_id)" in users
    assert "coordinator of tenant A cannot delete rows of tenant B" in organisations
    roles = load_config(leaky).tenancy.roles
    assert all(named(d, roles) for descriptions in failed.values() for d in descriptions), failed


def test_the_suites_fail_exactly_where_the_audit_finds_something(leaky: Path) -> None:
    roles = load_config(leaky).tenancy.roles
    assert failing_cells(suite_report(leaky), roles) == audit_cells(leaky)


def test_the_audits_planted_defects_fail_the_suites_of_their_tables(tmp_path: Path) -> None:
    """tests/audit/schemas/defects.sql: one table per defect the audit finds. The suites catch every one
    but the view without security_invoker (views are not emitted), and pass the clean tables."""
    toml = (DEFECTS / "base.toml").read_text(encoding="utf-8")
    tables = re.findall(r"call app\.notes_table\('(\w+)'", (DEFECTS / "defects.sql").read_text(encoding="utf-8"))
    for table in tables:
        toml += (f'\n[tables."public.{table}"]\nrow = "insert into public.{table} (member_id, organisation_id) '
                 f"values ('{{user}}', '{{tenant}}')\"\nowner = \"member_id\"\ntenant = \"organisation_id\"\n"
                 f'[tables."public.{table}".access]\npeer_mentor = {{ select = "own", insert = "own", update = "own" }}\n'
                 'coordinator = { select = "tenant", insert = "tenant", update = "tenant" }\norg_admin = { all = "tenant" }\n')
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "config.toml").write_text("[api]\nauto_expose_new_tables = true\n")  # pre-2026 grants
    (tmp_path / "supabase" / "migrations" / "20260101000000_schema.sql").write_text(
        (DEFECTS / "base.sql").read_text(encoding="utf-8") + (DEFECTS / "defects.sql").read_text(encoding="utf-8"),
        encoding="utf-8")
    (tmp_path / "harness.toml").write_text(toml, encoding="utf-8")
    assert run_emit(tmp_path, None, check=False) == 0
    failed = {name.removeprefix("public.").removesuffix(".test.sql") for name in failures(suite_report(tmp_path))}
    assert failed == set(tables) - {"d_clean", "d_owner_stamped", "d_viewed"} | {"rls_enabled"}


# A tenant column the policies compare with a claim of the access token, not with a table.
CLAIMS_SCHEMA = """
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id)
);
alter table public.notes enable row level security;
create policy "read by the organisation claim" on public.notes for select to authenticated
  using (organisation_id = coalesce(auth.jwt() ->> 'org_id', auth.jwt() -> 'app_metadata' ->> 'org_id')::uuid);
"""


@pytest.mark.parametrize("claims", ['{"app_metadata": {"org_id": "{tenant}"}}', '{"org_id": "{tenant}"}'])
def test_tenancy_claims_reach_the_token(tmp_path: Path, claims: str) -> None:
    """[tenancy] claims: metadata claims go into the auth user, other claims into the token itself."""
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "config.toml").write_text("[api]\nauto_expose_new_tables = true\n")  # pre-2026 grants
    (tmp_path / "supabase" / "migrations" / "20260101000000_schema.sql").write_text(
        (DEFECTS / "base.sql").read_text(encoding="utf-8") + CLAIMS_SCHEMA, encoding="utf-8")
    toml = (DEFECTS / "base.toml").read_text(encoding="utf-8").replace(
        "[tenancy]\n", f"[tenancy]\nclaims = '{claims}'\n")
    toml += ('\n[tables."public.notes"]\nrow = "insert into public.notes (organisation_id) values (\'{tenant}\')"\n'
             'tenant = "organisation_id"\n[tables."public.notes".access]\n'
             'peer_mentor = { select = "tenant" }\ncoordinator = { select = "tenant" }\norg_admin = { select = "tenant" }\n')
    (tmp_path / "harness.toml").write_text(toml, encoding="utf-8")
    assert run_emit(tmp_path, None, check=False) == 0
    report = suite_report(tmp_path)
    assert report["exit_code"] == 0, failures(report)
    uses_helper = "pg_temp.harness_authenticate_as(" in (tmp_path / OUT / "public.notes.test.sql").read_text()
    assert uses_helper == ("app_metadata" not in claims)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Workspace, str]]:
    """What `harness up` serves: the migrated, seeded test template with the pgTAP helpers."""
    with Workspace(load_config(REPO)) as workspace:
        database = workspace.test_template()
        assert database is not None
        yield workspace, database


pg_prove_needed = pytest.mark.skipif(
    find_pg_prove() is None,
    reason="pg_prove is not installed (Debian/Ubuntu: apt-get install libtap-parser-sourcehandler-pgtap-perl)",
)


def suite_files() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / OUT).glob("*.test.sql"))


@pg_prove_needed
def test_the_suites_pass_under_pg_prove_in_parallel_against_one_database(served: tuple[Workspace, str]) -> None:
    workspace, database = served
    prove = run_pg_prove(workspace.server, database, suite_files(), REPO, jobs=2)
    assert prove.result == "PASS" and prove.returncode == 0, prove.stdout + prove.stderr
    assert prove.tests == sum(planned((REPO / f).read_text(encoding="utf-8")) for f in suite_files())


@pg_prove_needed
def test_the_suites_install_the_helpers_when_the_database_has_none(served: tuple[Workspace, str]) -> None:
    workspace, template = served
    server = workspace.server
    with server.scratch_database(template, "nohelpers") as database:
        with server.connect(database) as conn:
            conn.execute("drop schema tests cascade; drop schema test_overrides cascade")
        prove = run_pg_prove(server, database, suite_files(), REPO, jobs=2)
        assert prove.result == "PASS", prove.stdout + prove.stderr
        with server.connect(database) as conn:
            row = conn.execute("select to_regnamespace('tests') is null").fetchone()
        assert row == (True,), "the suites' transactions must leave nothing behind"
