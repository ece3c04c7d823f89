"""Mutants judged on a real database: killed (by which test), survived, stillborn, equivalent; the seed,
the suites' own view of the migration files, the audit, and the score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.report.model import Report

from .conftest import NOTES, mutate, weak_subject, write_project


def outcomes(report: Report) -> dict[str, dict[str, Any]]:
    return {o["description"]: o for o in report.details["mutate"]["outcomes"]}


def test_each_mutant_of_the_notes_project_is_judged(notes_report: Report) -> None:
    found = outcomes(notes_report)
    status = {d: o["status"] for d, o in found.items()}
    assert status == {
        "public.notes: constraint CHECK (length(body) > 0) removed": "killed",
        "public.notes (owner) references auth.users: ON DELETE CASCADE removed": "survived",
        "public.notes.pinned: DEFAULT FALSE → TRUE": "survived",
        "public.notes.created_at: DEFAULT now() → NULL": "killed",
        "public.notes: ENABLE ROW LEVEL SECURITY removed": "killed",
        'policy "owners read their notes" on public.notes removed': "stillborn",
        'policy "owners read their notes" on public.notes: USING → true': "killed",
        "`owner = (SELECT auth.uid())` → `owner = owner`": "killed",
        "`owner = (SELECT auth.uid())` → `(SELECT auth.uid()) IS NOT NULL`": "killed",
        'policy "owners read their notes" on public.notes: TO authenticated → TO PUBLIC': "survived",
        'policy "owners read their notes" on public.notes: FOR SELECT → FOR ALL': "survived",
        "index notes_owner_idx on public.notes removed": "equivalent",
    }


def test_a_killed_mutant_names_the_test_that_failed(notes_report: Report) -> None:
    found = outcomes(notes_report)
    check = found["public.notes: constraint CHECK (length(body) > 0) removed"]
    assert check["killed_by"] == {"kind": "test", "name": "supabase/tests/database/visibility.test.sql",
                                  "detail": "test 2 failed: an empty note is rejected"}
    rls = found["public.notes: ENABLE ROW LEVEL SECURITY removed"]["killed_by"]
    assert rls["detail"] == "test 1 failed: alice sees her own note only"
    seed = found["public.notes.created_at: DEFAULT now() → NULL"]
    assert seed["killed_by"]["kind"] == "seed" and seed["killed_by"]["name"] == "supabase/seed.sql"
    assert "null value" in seed["killed_by"]["detail"]


def test_stillborn_and_equivalent_mutants_say_why_and_do_not_count(notes_report: Report) -> None:
    found = outcomes(notes_report)
    stillborn = found['policy "owners read their notes" on public.notes removed']
    assert stillborn["reason"].startswith("supabase/migrations/20260101000001_comment.sql:1: ")
    assert "does not exist" in stillborn["reason"]
    equivalent = found["index notes_owner_idx on public.notes removed"]
    assert equivalent["reason"] == "the table stays tiny; no query depends on this index"
    details = notes_report.details["mutate"]
    assert (details["killed"], details["survived"], details["stillborn"], details["equivalent"]) == (6, 4, 1, 1)
    assert details["score"] == 60.0


def test_survivors_carry_file_line_and_statements(notes_report: Report) -> None:
    survivors = notes_report.details["mutate"]["survivors"]
    assert len(survivors) == 4
    default = next(s for s in survivors if s["operator"] == "change-default")
    assert default["file"] == "supabase/migrations/20260101000000_notes.sql" and default["line"] == 1
    assert "pinned boolean NOT NULL DEFAULT FALSE" in default["before"]
    assert "pinned boolean NOT NULL DEFAULT TRUE" in default["after"]


def test_a_score_below_min_score_fails_the_run(notes_report: Report) -> None:
    assert notes_report.exit_code == 1
    (finding,) = notes_report.findings
    assert (finding.check, finding.rule) == ("test", "mutation-score")
    assert finding.message == "mutation score 60% is below --min-score 90: 4 of 10 mutants survived"


def test_a_suite_that_reads_the_migrations_reads_the_mutated_ones(notes_report: Report) -> None:
    # twice.test.sql re-applies the migration from disk: against the original file it would "kill"
    # every mutant (a difference it would see is its own doing); no mutant was killed by it
    killers = {o["killed_by"]["name"] for o in notes_report.details["mutate"]["outcomes"] if o["killed_by"]}
    assert "supabase/tests/database/twice.test.sql" not in killers


def test_a_failing_suite_on_the_unmutated_migrations_stops_the_run(tmp_path: Path) -> None:
    files = dict(NOTES)
    files["supabase/tests/database/broken.test.sql"] = "select plan(1);\nselect ok(false, 'always fails');\n"
    report = mutate(write_project(tmp_path, files), operators=["drop-policy"])
    assert report.exit_code == 1
    assert "fix them first" in report.details["mutate"]["skipped"]
    assert any(f.rule == "test-failed" for f in report.findings)


def test_a_weak_suite_scores_low_and_names_its_survivors(tmp_path: Path) -> None:
    report = mutate(weak_subject(tmp_path))
    details = report.details["mutate"]
    assert details["mutants"] >= 40 and details["score"] < 40
    assert report.exit_code == 0  # no --min-score: the score is a measurement
    survivors = {(s["operator"], s["description"]) for s in details["survivors"]}
    assert ("drop-policy", 'policy "Peer mentors can view their own certifications" on '
                           "public.peer_mentor_certifications removed") in survivors
    assert ("disable-rls", "public.peer_mentor_certifications: ENABLE ROW LEVEL SECURITY removed") in survivors
    # what the two suites left do test still kills: the status CHECK and the updated_at trigger
    killed = {o["description"]: o["killed_by"]["name"] for o in details["outcomes"] if o["status"] == "killed"}
    assert killed["public.peer_mentor_certifications: constraint peer_mentor_certifications_status_check removed"] \
        == "supabase/tests/database/06_status_check.test.sql"
    assert killed["trigger peer_mentor_certifications_set_updated_at on public.peer_mentor_certifications removed"] \
        == "supabase/tests/database/07_updated_at_trigger.test.sql"


def test_the_audit_kills_what_the_weak_suite_lets_through(tmp_path: Path) -> None:
    report = mutate(weak_subject(tmp_path), operators=["disable-rls", "drop-policy"], with_audit=True)
    details = report.details["mutate"]
    assert details["with_audit"] and details["survived"] == 0, details["survivors"]
    found = outcomes(report)
    rls = found["public.peer_mentor_certifications: ENABLE ROW LEVEL SECURITY removed"]["killed_by"]
    assert rls["kind"] == "audit" and rls["name"].startswith("catalog/rls-disabled public.peer_mentor_certifications")
    dropped = found['policy "Peer mentors can view their own certifications" on public.peer_mentor_certifications '
                    "removed"]["killed_by"]
    assert dropped == {"kind": "audit", "name": "audit/denied public.peer_mentor_certifications · peer_mentor · select",
                       "detail": dropped["detail"]}
