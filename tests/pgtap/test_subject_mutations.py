"""The subject's suites catch a broken certification migration: each mutation below makes
`harness test` fail with a clear test-failed finding (issue 10, "Done means")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.config import load_config
from harness.pgtap import run_suites
from harness.workspace import Workspace

from .conftest import REPO

MIGRATION = "supabase/migrations/20260326000001_create_peer_mentor_certifications.sql"

# mutation -> (pattern, replacement, a word in the name of a suite that must catch it)
MUTATIONS = {
    "rls-not-enabled": (r"alter table public\.peer_mentor_certifications enable row level security;", "", "rls"),
    "policy-using-true": (
        r'(create policy "Peer mentors can view their own certifications".*?\busing )\(.*?\);',
        r"\1(true);", "peer_mentor",
    ),
    "status-check-dropped": (
        r"constraint peer_mentor_certifications_status_check\s+check \(status in \([^)]*\)\),", "", "status",
    ),
    "trigger-dropped": (
        r"create or replace trigger peer_mentor_certifications_set_updated_at.*?;", "", "updated_at",
    ),
}


def mutated_project(tmp_path: Path, pattern: str, replacement: str) -> Path:
    project = tmp_path / "subject"
    shutil.copytree(REPO / "supabase", project / "supabase")
    if (REPO / "harness.toml").is_file():
        shutil.copy(REPO / "harness.toml", project / "harness.toml")
    path = project / MIGRATION
    text = path.read_text(encoding="utf-8")
    mutated, count = re.subn(pattern, replacement, text, count=1, flags=re.DOTALL | re.IGNORECASE)
    assert count == 1, f"the mutation's pattern no longer matches {MIGRATION}: update it"
    path.write_text(mutated, encoding="utf-8")
    return project


@pytest.mark.skipif(not (REPO / MIGRATION).is_file(), reason="the subject's migration is not there yet")
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_broken_migration_fails_the_suites(tmp_path: Path, mutation: str) -> None:
    pattern, replacement, catcher = MUTATIONS[mutation]
    project = mutated_project(tmp_path, pattern, replacement)
    with Workspace(load_config(project)) as workspace:
        assert workspace.migration.applied, [f.message for f in workspace.migration.findings]
        run = run_suites(workspace, None, 2, lambda _: None)
    failed = [f for f in run.findings if f.rule == "test-failed"]
    assert failed, f"{mutation}: every suite still passes"
    assert all(f.file and f.file.startswith("supabase/tests/") for f in failed)
    assert any(catcher in Path(f.file or "").name for f in failed), sorted({f.file for f in failed})
