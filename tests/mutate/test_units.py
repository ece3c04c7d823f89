"""The small parts: the suite order, the project mirror, the score."""

from __future__ import annotations

import subprocess
from pathlib import Path

from harness.mutate.mirror import Mirror
from harness.mutate.model import KILLED, STILLBORN, SURVIVED, Mutant, Outcome, Score
from harness.mutate.order import SuiteOrder


def test_suites_that_killed_the_same_operator_go_first_then_the_most_killing_then_the_quickest() -> None:
    order = SuiteOrder({"slow.sql": 0.5, "quick.sql": 0.1, "middle.sql": 0.2})
    assert order.order("drop-policy") == ["quick.sql", "middle.sql", "slow.sql"]
    order.record("drop-index", "slow.sql")
    order.record("drop-policy", "middle.sql")
    order.record("drop-policy", "middle.sql")
    order.record("auth-uid", "slow.sql")
    assert order.order("drop-index") == ["slow.sql", "middle.sql", "quick.sql"]
    assert order.order("drop-policy") == ["middle.sql", "slow.sql", "quick.sql"]
    assert order.order("to-public") == ["middle.sql", "slow.sql", "quick.sql"]  # tie on kills: quicker first


def test_the_mirror_serves_the_mutated_migration_to_includes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "supabase" / "migrations").mkdir(parents=True)
    (root / "supabase" / "tests" / "database" / "_setup").mkdir(parents=True)
    (root / "supabase" / "migrations" / "1_a.sql").write_text("original", encoding="utf-8")
    (root / "supabase" / "migrations" / "2_b.sql").write_text("untouched", encoding="utf-8")
    (root / "supabase" / "seed.sql").write_text("seed", encoding="utf-8")
    (root / "supabase" / "tests" / "database" / "_setup" / "world.psql").write_text("world", encoding="utf-8")
    suite = root / "supabase" / "tests" / "database" / "twice.test.sql"
    suite.write_text("\\ir ../../migrations/1_a.sql\n\\ir _setup/world.psql\n\\ir ../../seed.sql\n", encoding="utf-8")
    mirror = Mirror(root, root / "supabase" / "tests", root / "supabase" / "migrations")
    where = mirror.create(tmp_path / "m1", {"1_a.sql": "mutated"})
    assert (where / "supabase" / "migrations" / "1_a.sql").read_text(encoding="utf-8") == "mutated"
    assert (where / "supabase" / "migrations" / "2_b.sql").read_text(encoding="utf-8") == "untouched"
    assert (root / "supabase" / "migrations" / "1_a.sql").read_text(encoding="utf-8") == "original"
    assert (where / "supabase" / "tests" / "database").is_dir() and not (where / "supabase" / "tests").is_symlink()
    # psql resolves \ir against the including file's folder, as it names it: in the mirror
    included = subprocess.run(
        ["bash", "-c", "cd supabase/tests/database && cat ../../migrations/1_a.sql _setup/world.psql ../../seed.sql"],
        cwd=where, capture_output=True, text=True, check=True).stdout
    assert included == "mutatedworldseed"
    assert mirror.project_path(where, where / "supabase" / "migrations" / "1_a.sql") == \
        root.resolve() / "supabase" / "migrations" / "1_a.sql"
    assert Mirror.of(root, tmp_path / "elsewhere", root / "supabase" / "migrations") is None


def _outcome(status: str) -> Outcome:
    mutant = Mutant(1, "drop-policy", "f.sql", 0, 1, "d", "b", "", "")
    return Outcome(mutant, status)


def test_the_score_counts_killed_over_killed_and_survived() -> None:
    score = Score.of([_outcome(KILLED), _outcome(KILLED), _outcome(SURVIVED), _outcome(STILLBORN)])
    assert (score.counted, score.percent) == (3, 66.7)
    assert Score.of([_outcome(STILLBORN)]).percent is None
