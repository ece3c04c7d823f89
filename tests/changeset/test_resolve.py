"""Which migrations are under review: --base, --since, --whole-history and the defaults (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from git_repo import MIGRATIONS, TASKS, Repo, make_repo
from harness.changeset import ChangeSelection, resolve_change_set
from harness.findings import HarnessError

SHIPPED = sorted(f"{MIGRATIONS}/{p.name}" for p in (Path(__file__).parent / "history").glob("*.sql"))


def resolve(repo: Repo, selection: ChangeSelection = ChangeSelection(), baseline: str | None = None,
            env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return resolve_change_set(repo.root / MIGRATIONS, repo.root, selection, baseline, env or {})


def test_base_judges_files_added_since_the_merge_base_committed_or_not(repo: Repo) -> None:
    committed = repo.write("20240501100000_tasks.sql", TASKS)
    repo.commit("tasks")
    untracked = repo.write("20240502100000_more.sql", "select 1;")
    change_set = resolve(repo, ChangeSelection(base="main"))
    assert change_set.judged == (committed, untracked)
    assert change_set.shipped == tuple(SHIPPED)
    assert change_set.base_commit == repo.git("rev-parse", "main")
    assert change_set.headline().startswith(f"2 migrations since main ({change_set.base_commit[:7]}): ")
    assert change_set.edits == ()


def test_base_head_means_everything_shipped(repo: Repo) -> None:
    change_set = resolve(repo, ChangeSelection(base="HEAD"))
    assert change_set.judged == () and change_set.shipped == tuple(SHIPPED)


def test_a_dirty_working_tree_counts_edits_deletions_and_renames_of_shipped_files(repo: Repo) -> None:
    edited, deleted, renamed = SHIPPED[2], SHIPPED[3], SHIPPED[1]
    (repo.root / edited).write_text("-- edited, not committed\n", encoding="utf-8")
    (repo.root / deleted).unlink()
    repo.git("mv", renamed, renamed.replace("093000", "093001"))
    change_set = resolve(repo, ChangeSelection(base="main"))
    assert {(e.file, e.how) for e in change_set.edits} == {(edited, "edited"), (deleted, "deleted"), (renamed, "renamed")}
    assert change_set.judged == (renamed.replace("093000", "093001"),)
    assert edited in change_set.shipped and deleted not in change_set.shipped


def test_a_base_that_moved_on_after_the_fork_is_judged_from_the_merge_base(repo: Repo) -> None:
    mine = repo.write("20240501100000_tasks.sql", TASKS)
    repo.commit("tasks")
    repo.git("checkout", "-q", "main")
    theirs = repo.write("20240503000000_theirs.sql", "select 1;")
    repo.commit("a teammate's migration, merged after the fork")
    repo.git("checkout", "-q", "pr")
    # main is not an ancestor of HEAD any more: the merge base decides what shipped.
    change_set = resolve(repo, ChangeSelection(base="main"))
    assert change_set.judged == (mine,) and theirs not in change_set.shipped
    assert change_set.base_commit != repo.git("rev-parse", "main")


def test_a_base_with_no_common_history_is_a_clear_error(repo: Repo) -> None:
    repo.git("checkout", "-q", "--orphan", "unrelated")
    repo.git("commit", "-q", "--allow-empty", "-m", "unrelated")
    repo.git("checkout", "-q", "pr")
    with pytest.raises(HarnessError, match="no common ancestor"):
        resolve(repo, ChangeSelection(base="unrelated"))


def test_an_unknown_ref_is_a_clear_error(repo: Repo) -> None:
    with pytest.raises(HarnessError, match="not a commit"):
        resolve(repo, ChangeSelection(base="origin/nope"))


def test_base_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    project = tmp_path / "nogit"
    (project / MIGRATIONS).mkdir(parents=True)
    (project / MIGRATIONS / "20240101000000_a.sql").write_text("select 1;", encoding="utf-8")
    result = Repo(project).harness("lint", "--base", "main")
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr and "Traceback" not in result.stderr


def test_default_on_a_pull_request_is_the_github_base_branch(repo: Repo) -> None:
    repo.git("update-ref", "refs/remotes/origin/main", repo.git("rev-parse", "main"))
    added = repo.write("20240501100000_tasks.sql", TASKS)
    change_set = resolve(repo, baseline="20240101000000", env={"GITHUB_BASE_REF": "main"})
    assert change_set.mode == "base" and change_set.reason == "GITHUB_BASE_REF"
    assert change_set.description.startswith("origin/main (") and change_set.judged == (added,)


def test_default_without_a_pull_request_is_the_baseline(repo: Repo) -> None:
    change_set = resolve(repo, baseline="20240301120000")
    assert change_set.mode == "since" and change_set.judged == (SHIPPED[3],)
    assert change_set.shipped == tuple(SHIPPED[:3])


def test_default_without_either_is_the_whole_history(repo: Repo) -> None:
    change_set = resolve(repo)
    assert change_set.whole and change_set.judged is None
    assert resolve(repo, ChangeSelection(whole_history=True), baseline="20240301120000").whole


def test_options_beat_the_defaults_and_exclude_each_other(repo: Repo) -> None:
    assert resolve(repo, ChangeSelection(since="20240215093000"), env={"GITHUB_BASE_REF": "nope"}).judged == tuple(SHIPPED[2:])
    with pytest.raises(HarnessError, match="not several"):
        resolve(repo, ChangeSelection(base="main", whole_history=True))
    with pytest.raises(HarnessError, match="not a migration version"):
        resolve(repo, ChangeSelection(since="latest"))


def test_baseline_is_validated_with_file_and_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "p", toml='[project]\nbaseline = "v1"\n')
    result = repo.harness("lint")
    assert result.returncode == 2 and "harness.toml:2" in result.stderr and "baseline" in result.stderr
