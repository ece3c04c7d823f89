"""The repository's own subject: its migrations and the [[explain]] targets of its harness.toml, at a
small scale so the test stays quick."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import REPO, run_explain_cli

SUBJECT_TARGETS = {"nightly expiry lookup", "coordinator dashboard", "peer mentor's own certifications"}


@pytest.fixture(scope="module")
def subject(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("subject")
    shutil.copytree(REPO / "supabase" / "migrations", project / "supabase" / "migrations")
    shutil.copy(REPO / "supabase" / "explain_seed.sql", project / "supabase" / "explain_seed.sql")
    shutil.copy(REPO / "supabase" / "seed.sql", project / "supabase" / "seed.sql")  # harness.toml names it
    shutil.copy(REPO / "harness.toml", project / "harness.toml")
    return project


def test_subject_targets_hold_under_rls(subject: Path) -> None:
    outcome = run_explain_cli(subject, "--rows", "4000")
    assert outcome.report, outcome.stderr
    targets = outcome.targets()
    assert SUBJECT_TARGETS <= set(targets)
    assert outcome.code == 0, outcome.report["findings"]
    for name in ("coordinator dashboard", "peer mentor's own certifications"):
        rls = targets[name]["rls"]
        assert rls["policies"]["public.peer_mentor_certifications"], name
        assert rls["init_plans"] and not rls["sub_plans"] and not rls["per_row_calls"], name
    assert targets["nightly expiry lookup"]["rls"]["policies"] == {}
    # the dashboard shows the coordinator's organisation only: a slice of the 4 000 rows
    dashboard = targets["coordinator dashboard"]["plan"]["actual_rows"]
    assert 0 < dashboard < 4000 / 10
    # the mentor sees their own handful
    assert 0 < targets["peer mentor's own certifications"]["plan"]["actual_rows"] < 20
