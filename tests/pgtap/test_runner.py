"""run_suites against real PostgreSQL: results, findings of every kind, isolation, -j, bail out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harness.config import load_config
from harness.findings import HarnessError
from harness.pgtap import run_suites
from harness.pgtap.psql import PsqlRunner, find_psql
from harness.pgtap.runner import pgtap_missing
from harness.report.model import SuiteResult
from harness.workspace import Workspace

from .conftest import FIXTURES, PROJECT, TESTS, capture_stem, group, read_capture


def quiet(_: str) -> None:
    pass


def by_file(suites: list[SuiteResult]) -> dict[str, SuiteResult]:
    return {s.file.split("/", 3)[3]: s for s in suites}  # supabase/tests/<group>/<this>


def assert_matches_captures(suites: list[SuiteResult]) -> None:
    """A live run prints exactly what capture.py recorded, so the parser tests read real output."""
    for suite in suites:
        assert (suite.raw_tap, suite.stderr, suite.exit_code) == read_capture(capture_stem(PROJECT / suite.file))


def test_passing_project(notes: Workspace) -> None:
    messages: list[str] = []
    run = run_suites(notes, group("passing"), 2, messages.append)
    assert run.findings == []
    suites = by_file(run.suites)
    assert list(suites) == ["01_basics.test.sql", "pg_prove_style/seeded.test.sql", "plan_at_end.pg"]
    assert all(s.ok for s in run.suites)
    assert [len(s.cases) for s in run.suites] == [6, 5, 3]
    basics = suites["01_basics.test.sql"]
    assert [c.directive for c in basics.cases] == [None, None, None, "SKIP", "TODO", None]
    assert basics.cases[4].passed and not basics.cases[4].ok
    assert run.details["found"] == 3 and len(run.details["suites"]) == 3
    assert sum(1 for m in messages if m.startswith("[")) == 3  # one progress line per suite
    assert_matches_captures(run.suites)


def test_failing_project_findings(notes: Workspace) -> None:
    run = run_suites(notes, group("failing"), 2, quiet)
    assert_matches_captures(run.suites)
    assert {f.check for f in run.findings} == {"test"}
    assert {f.rule for f in run.findings} == {"test-failed"}
    assert {f.severity.value for f in run.findings} == {"error"}
    got = {(f.file, f.line, f.evidence.get("test")): f for f in run.findings}
    prefix = "supabase/tests/failing/"

    one_is_two = got[(prefix + "assertions.test.sql", 6, 2)]
    assert one_is_two.message == "test 2 failed: one is two (have: 1, want: 2)"
    assert one_is_two.evidence["description"] == "one is two"
    assert (one_is_two.evidence["have"], one_is_two.evidence["want"]) == ("1", "2")
    multi = got[(prefix + "assertions.test.sql", 7, 3)]
    assert multi.evidence["have"] == "first line\nsecond line"
    assert multi.message == "test 3 failed: values with embedded newlines"  # long values stay in evidence
    assert (prefix + "assertions.test.sql", 8, 4) in got  # the statement starts on line 8
    assert (prefix + "assertions.test.sql", 16, 7) in got  # no have/want: ok(false, ...)

    died = got[(prefix + "dies.test.sql", 5, None)]
    assert died.message == ('suite died: SQL error at supabase/tests/failing/dies.test.sql:5: ERROR: relation '
                            '"public.no_such_table" does not exist (ran 1 of 3 planned tests)')
    assert died.evidence["detail"].startswith("LINE 1:")
    included = got[(prefix + "_setup/broken.sql", 3, None)]
    assert included.evidence["suite"] == prefix + "dies_in_include.test.sql"
    assert "division by zero (included by supabase/tests/failing/dies_in_include.test.sql)" in included.message
    meta = got[(prefix + "bad_meta.test.sql", 4, None)]
    assert "psql could not run `\\frobnicate now`" in meta.message and "invalid command \\frobnicate" in meta.message
    missing = got[(prefix + "missing_include.test.sql", 3, None)]
    assert "`\\ir _setup/not_there.sql`" in missing.message and "No such file or directory" in missing.message
    assert got[(prefix + "plan_mismatch.test.sql", None, None)].message == "the suite planned 5 tests but ran 3"
    assert got[(prefix + "no_plan.test.sql", None, None)].message.startswith("the suite printed no plan")
    assert len(run.findings) == 10

    suites = by_file(run.suites)
    assert [s.ok for s in run.suites] == [False] * 7
    assert suites["dies.test.sql"].exit_code == 3 and suites["dies.test.sql"].planned == 3
    assert suites["plan_mismatch.test.sql"].parse_errors == ["Bad plan.  You planned 5 tests but ran 3."]


@pytest.mark.parametrize("jobs", [1, 4])
def test_suites_cannot_see_each_others_data(notes: Workspace, jobs: int) -> None:
    # Each commits_* suite commits a row and expects to see only its own: they pass only when every
    # suite has a database of its own, in any order and in parallel.
    started = time.perf_counter()
    run = run_suites(notes, group("isolation"), jobs, quiet)
    elapsed = time.perf_counter() - started
    assert run.findings == [] and len(run.suites) == 4
    assert_matches_captures(run.suites)
    if jobs == 1:
        assert elapsed >= 4 * 0.3  # each suite sleeps 0.3 s
    else:
        # Overlap, judged against the suites' own run times rather than the clock (a loaded machine
        # stretches both alike): one after the other, the wall time could not be under their sum.
        busy = sum(s.elapsed_s for s in run.suites)
        assert elapsed < 0.75 * busy, f"4 suites with -j 4 took {elapsed:.2f} s for {busy:.2f} s of work: no overlap"


def test_the_isolation_suites_fail_on_one_shared_database(notes: Workspace) -> None:
    """The control for the test above: on one database the second suite sees the first one's row."""
    template = notes.test_template()
    assert template is not None
    runner = PsqlRunner(find_psql(notes.bindir), notes.server, PROJECT)
    with notes.server.scratch_database(template) as shared:
        first = runner.run(shared, "supabase/tests/isolation/commits_a.test.sql")
        second = runner.run(shared, "supabase/tests/isolation/commits_b.test.sql")
    assert "not ok" not in first.stdout
    assert "not ok 1 - the seed's notes and mine, nobody else's" in second.stdout


def test_bail_out_stops_further_suites(notes: Workspace) -> None:
    run = run_suites(notes, group("bailout"), 1, quiet)
    assert [s.file for s in run.suites] == ["supabase/tests/bailout/a_first.test.sql",
                                            "supabase/tests/bailout/b_bails.test.sql"]
    assert run.details["not_run"] == ["supabase/tests/bailout/c_never.test.sql"]
    (finding,) = run.findings
    assert finding.file == "supabase/tests/bailout/b_bails.test.sql"
    assert finding.message == ("suite bailed out: the environment is not usable "
                               "(further testing stopped: 1 suites not run)")
    assert run.suites[1].bail_out == "the environment is not usable" and not run.suites[1].ok


def test_explicit_paths_narrow_the_run(notes: Workspace) -> None:
    run = run_suites(notes, [TESTS / "passing/pg_prove_style"], 2, quiet)
    assert [s.file for s in run.suites] == ["supabase/tests/passing/pg_prove_style/seeded.test.sql"]
    run = run_suites(notes, [TESTS / "passing/plan_at_end.pg", Path("supabase/tests/failing/no_plan.test.sql")], 2, quiet)
    assert [s.file for s in run.suites] == ["supabase/tests/failing/no_plan.test.sql",
                                            "supabase/tests/passing/plan_at_end.pg"]
    with pytest.raises(HarnessError, match="no such file or folder"):
        run_suites(notes, [Path("supabase/tests/nope.sql")], 2, quiet)


def test_without_paths_every_suite_runs(notes: Workspace) -> None:
    run = run_suites(notes, None, 2, quiet)
    # the bail out of bailout/b_bails starts no further suite; which ones had started depends on timing
    assert len(run.suites) + len(run.details.get("not_run", [])) == 3 + 7 + 3 + 4
    assert any(s.bail_out for s in run.suites)


def test_a_broken_seed_is_a_finding_and_no_suite_runs() -> None:
    with Workspace(load_config(FIXTURES / "broken_seed")) as workspace:
        run = run_suites(workspace, None, 2, quiet)
    assert run.suites == []
    (finding,) = run.findings
    assert (finding.check, finding.rule, finding.severity.value) == ("test", "seed-error", "error")
    assert (finding.file, finding.line) == ("seed.sql", 3)
    assert 'column "writer" of relation "notes" does not exist' in finding.message


def test_pgtap_missing_names_the_package() -> None:
    error = pgtap_missing(15)
    assert isinstance(error, HarnessError)
    assert "apt-get install postgresql-15-pgtap" in str(error)
