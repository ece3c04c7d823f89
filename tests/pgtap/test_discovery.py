"""Which files are suites: recursive, .sql and .pg, sorted, include files left out, explicit paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.findings import HarnessError
from harness.pgtap.discovery import discover_suites

from .conftest import PROJECT, TESTS


def make_tree(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("select 1;\n")
    return root


def names(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root.resolve()).as_posix() for p in paths]


def test_recursive_sorted_sql_and_pg_without_includes(tmp_path: Path) -> None:
    tests = make_tree(tmp_path / "tests", [
        "database/b.test.sql", "database/a.test.sql", "database/nested/deep/c.pg",
        "database/_setup/world.sql", "database/_helpers.sql", "database/_shared/x.pg",
        "database/setup.psql", "database/notes.md", "database/.hidden.sql", ".cache/y.sql",
        "top.sql",
    ])
    found = discover_suites(tests, tmp_path)
    assert names(found, tests) == [
        "database/a.test.sql", "database/b.test.sql", "database/nested/deep/c.pg", "top.sql",
    ]


def test_no_tests_folder_means_no_suites(tmp_path: Path) -> None:
    assert discover_suites(tmp_path / "missing", tmp_path) == []


def test_explicit_file_folder_and_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tests = make_tree(tmp_path / "supabase" / "tests", ["a.sql", "sub/b.sql", "sub/_inc.sql", "sub/c.pg"])
    monkeypatch.chdir(tmp_path)
    only_folder = discover_suites(tests, tmp_path, [Path("supabase/tests/sub")])
    assert names(only_folder, tests) == ["sub/b.sql", "sub/c.pg"]
    # an explicitly named file is run whatever its name: the user asked for it
    explicit = discover_suites(tests, tmp_path, [Path("supabase/tests/sub/_inc.sql"), tests / "a.sql"])
    assert names(explicit, tests) == ["a.sql", "sub/_inc.sql"]


def test_paths_relative_to_the_project_root_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not the project: the path is found under the project root
    found = discover_suites(TESTS, PROJECT, [Path("supabase/tests/passing/plan_at_end.pg")])
    assert found == [(TESTS / "passing/plan_at_end.pg").resolve()]


def test_a_path_that_does_not_exist_is_a_harness_error(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="nope.sql: no such file or folder"):
        discover_suites(tmp_path, tmp_path, [Path("nope.sql")])


def test_a_folder_without_suites_is_a_harness_error(tmp_path: Path) -> None:
    make_tree(tmp_path, ["empty/_only_an_include.sql"])
    with pytest.raises(HarnessError, match="no .sql or .pg suite"):
        discover_suites(tmp_path, tmp_path, [tmp_path / "empty"])


def test_the_fixture_project_follows_the_rule() -> None:
    assert names(discover_suites(TESTS, PROJECT, [TESTS / "passing"]), TESTS) == [
        "passing/01_basics.test.sql", "passing/pg_prove_style/seeded.test.sql", "passing/plan_at_end.pg",
    ]
    assert len(discover_suites(TESTS, PROJECT)) == 3 + 7 + 3 + 4  # every group, no include file
