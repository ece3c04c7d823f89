"""`harness emit [--out DIR] [--check]` on disk: writing, staleness, removal, user mistakes (no database)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.emit.command import run_emit

from .conftest import OUT, REPO, run_harness

SPEC = """
[tables."public.notes"]
row = "insert into public.notes (owner_id) values ('{user}')"
owner = "owner_id"
[tables."public.notes".access]
peer_mentor = { select = "own" }

[tables."public.tags"]
tenant = "organisation_id"
[tables."public.tags".access]
coordinator = { all = "tenant" }
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "harness.toml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_the_committed_suites_of_the_subject_are_fresh() -> None:
    assert run_emit(REPO, None, check=True) == 0, "run `harness emit` and commit supabase/tests/database/harness/"


def test_emit_writes_then_check_passes_and_a_second_emit_writes_nothing(project: Path) -> None:
    first = run_harness("emit", "--project", str(project))
    assert first.returncode == 0, first.stderr
    assert "wrote supabase/tests/database/harness/public.notes.test.sql" in first.stdout
    assert (project / OUT / "_setup" / "world.psql").is_file()
    check = run_harness("emit", "--project", str(project), "--check")
    assert check.returncode == 0 and "are up to date" in check.stdout, check.stdout + check.stderr
    again = run_harness("emit", "--project", str(project))
    assert again.returncode == 0 and "(0 written, 0 removed, 6 unchanged)" in again.stdout, again.stdout


def test_check_names_every_stale_file_and_exits_1(project: Path) -> None:
    assert run_emit(project, None, check=False) == 0
    suite = project / OUT / "public.notes.test.sql"
    suite.write_text(suite.read_text(encoding="utf-8").replace("can select", "may select"), encoding="utf-8")
    (project / OUT / "_setup" / "world.psql").unlink()
    check = run_harness("emit", "--project", str(project), "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "stale: supabase/tests/database/harness/public.notes.test.sql (differs from harness.toml)" in check.stdout
    assert "stale: supabase/tests/database/harness/_setup/world.psql (missing)" in check.stdout
    assert "2 of the files" in check.stdout
    assert suite.read_text(encoding="utf-8").count("may select") > 0, "--check must write nothing"


def test_a_spec_change_makes_the_files_stale(project: Path) -> None:
    assert run_emit(project, None, check=False) == 0
    toml = project / "harness.toml"
    toml.write_text(SPEC.replace('peer_mentor = { select = "own" }', 'peer_mentor = { select = "tenant" }'),
                    encoding="utf-8")
    assert run_emit(project, None, check=True) == 1


def test_a_table_that_leaves_the_spec_loses_its_suite_and_nothing_else_is_touched(project: Path) -> None:
    assert run_emit(project, None, check=False) == 0
    own = project / OUT / "my_own.test.sql"
    own.write_text("begin; select plan(0); rollback;\n", encoding="utf-8")
    (project / "harness.toml").write_text(SPEC.split('[tables."public.tags"]')[0], encoding="utf-8")
    check = run_harness("emit", "--project", str(project), "--check")
    assert check.returncode == 1
    assert "public.tags.test.sql (no longer emitted)" in check.stdout
    written = run_harness("emit", "--project", str(project))
    assert "removed supabase/tests/database/harness/public.tags.test.sql" in written.stdout
    assert not (project / OUT / "public.tags.test.sql").exists() and own.is_file()


def test_out_is_relative_to_the_project_and_a_folder_outside_the_tests_is_pointed_out(project: Path) -> None:
    result = run_harness("emit", "--project", str(project), "--out", "generated")
    assert result.returncode == 0, result.stderr
    assert (project / "generated" / "public.tags.test.sql").is_file()
    assert "outside the tests folder" in result.stdout
    assert run_emit(project, Path("generated"), check=True) == 0


@pytest.mark.parametrize(("toml", "message"), [
    (None, "no harness.toml (or [tool.harness] in pyproject.toml)"),
    ("[project]\nseed = \"\"\n", "has no [tables.\"schema.table\"] access spec, so there is nothing to emit"),
    ("[tables.\"public.t\"]\nrow = \"insert into t values (1) returning id\"\n", "remove RETURNING"),
    ("[tables.\"public.t\"\n", "not valid TOML"),
])
def test_user_mistakes_exit_2_with_a_message_and_no_traceback(tmp_path: Path, toml: str | None, message: str) -> None:
    if toml is not None:
        (tmp_path / "harness.toml").write_text(toml, encoding="utf-8")
    result = run_harness("emit", "--project", str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_subject_emits_the_committed_files(tmp_path: Path) -> None:
    shutil.copy(REPO / "harness.toml", tmp_path / "harness.toml")
    (tmp_path / "supabase").mkdir()
    shutil.copy(REPO / "supabase" / "explain_seed.sql", tmp_path / "supabase")  # harness.toml reads it
    assert run_emit(tmp_path, None, check=False) == 0
    for path in sorted((tmp_path / OUT).rglob("*.*")):
        committed = REPO / OUT / path.relative_to(tmp_path / OUT)
        assert committed.read_bytes() == path.read_bytes(), committed
