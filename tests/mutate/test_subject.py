"""Done means: every mutant of the subject is killed by its own pgTAP suites (issue 7)."""

from __future__ import annotations

from .conftest import REPO, mutate


def test_every_mutant_of_the_subject_is_killed() -> None:
    report = mutate(REPO, min_score=100)
    details = report.details["mutate"]
    assert "skipped" not in details, details.get("skipped")
    assert details["mutants"] >= 40 and details["stillborn"] == 0
    assert details["survived"] == 0, [f"{s['file']}:{s['line']} {s['description']}" for s in details["survivors"]]
    assert details["score"] == 100.0 and report.exit_code == 0
