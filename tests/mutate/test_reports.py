"""The score and the survivors in text, JSON and JUnit; the command line's exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

from harness.report.json_report import render_json
from harness.report.junit import render_junit
from harness.report.model import Report
from harness.report.text import render_text

from .conftest import NOTES, REPO, write_project


def text(report: Report, verbose: bool = False) -> str:
    console = Console(width=200, record=True, no_color=True)
    render_text(report, console, verbose)
    return console.export_text()


def test_the_text_report_shows_the_score_and_every_survivor_with_its_statements(notes_report: Report) -> None:
    shown = text(notes_report)
    assert "score 60% (--min-score 90) · 12 mutants, 6 killed, 4 survived, 1 equivalent, 1 stillborn" in shown
    assert "survived #2 drop-cascade  supabase/migrations/20260101000000_notes.sql:1" in shown
    assert "- CREATE TABLE IF NOT EXISTS public.notes" in shown and "+ CREATE TABLE IF NOT EXISTS public.notes" in shown
    assert "+ CREATE POLICY \"owners read their notes\" ON public.notes AS PERMISSIVE FOR all" in shown
    assert "stillborn (not counted):" in shown and "equivalent (not counted):" in shown
    assert "test/mutation-score" in shown and "FAILED harness mutate" in shown
    assert "killed by supabase/tests/database/visibility.test.sql: test 2 failed" not in shown
    assert "removed by supabase/tests/database/visibility.test.sql: test 2" in text(notes_report, verbose=True)


def test_json_carries_the_score_and_the_mutants(notes_report: Report) -> None:
    data = json.loads(render_json(notes_report))
    assert (data["ok"], data["exit_code"], data["command"]) == (False, 1, "mutate")
    mutate = data["details"]["mutate"]
    assert mutate["score"] == 60.0 and mutate["min_score"] == 90
    assert len(mutate["outcomes"]) == 12 and len(mutate["survivors"]) == 4
    assert set(mutate["operators"]["change-default"]) >= {"killed", "survived", "summary"}
    assert [f["rule"] for f in data["findings"]] == ["mutation-score"]


def test_junit_has_a_test_case_per_mutant(notes_report: Report) -> None:
    root = ET.fromstring(render_junit(notes_report))
    suite = root.find("testsuite[@name='harness mutate']")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("12", "4", "2")
    assert suite.find("properties/property[@name='score']").get("value") == "60"  # type: ignore[union-attr]
    cases = suite.findall("testcase")
    survived = [c for c in cases if c.find("failure") is not None]
    assert len(survived) == 4 and all(c.get("classname", "").startswith("mutate.") for c in cases)
    assert "before: CREATE" in (survived[0].find("failure").text or "")  # type: ignore[union-attr]
    assert root.find("testsuite[@name='harness test']/testcase/failure") is not None  # the score finding


def run_harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness", "mutate", *args], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"})


def test_the_command_line_passes_at_the_min_score_and_fails_a_broken_mark(tmp_path: Path) -> None:
    files = {k: v for k, v in NOTES.items() if "twice" not in k}
    project = write_project(tmp_path / "notes", files)
    done = run_harness("--project", str(project), "--format", "json", "--min-score", "60", "-j", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["details"]["mutate"]["score"] == 60.0

    migration = project / "supabase/migrations/20260101000000_notes.sql"
    migration.write_text(re.sub(r"(equivalent drop-index).*", r"\1", migration.read_text()), encoding="utf-8")
    broken = run_harness("--project", str(project), "--format", "json")
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "supabase/migrations/20260101000000_notes.sql:14: `harness: equivalent drop-index` gives no reason" in (
        broken.stderr.replace("\n", ""))
    refused = run_harness("--project", str(project), "--min-score", "101")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
