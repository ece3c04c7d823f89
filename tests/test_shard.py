"""`--shard K/N` splits exactly (every item in one part, for any N) and `harness report merge` gives
back what one unsharded run reports, timings aside, with the same exit code."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.checks.runner import run_command
from harness.context import CheckArgs, MutateArgs
from harness.findings import HarnessError
from harness.options import Common, EngineOptions
from harness.report.merge import merge_reports
from harness.report.model import Report
from harness.shard import Shard
from tests.mutate.conftest import NOTES, write_project

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 16])
def test_parts_partition_the_items_for_any_n(count: int) -> None:
    rng = random.Random(count)
    for length in (0, 1, count - 1, count, 3 * count + 1, 40):
        items = [f"item{i:03d}" for i in range(max(length, 0))]
        sizes = {item: rng.choice([0, 1, 5, 100, 5000]) for item in items}
        for split in (lambda s: s.by_size(items, sizes.__getitem__, str), lambda s: s.by_key(items, str)):
            parts = [split(Shard(k, count)) for k in range(1, count + 1)]
            flat = [item for part in parts for item in part]
            assert sorted(flat) == items  # none missing, none twice
            assert parts == [split(Shard(k, count)) for k in range(1, count + 1)]  # deterministic
            assert all(part == [i for i in items if i in part] for part in parts)  # original order kept
        loads = [sum(max(sizes[i], 1) for i in Shard(k, count).by_size(items, sizes.__getitem__, str))
                 for k in range(1, count + 1)]
        assert max(loads) - min(loads) <= max((max(v, 1) for v in sizes.values()), default=0)


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3"])
def test_a_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(HarnessError, match="--shard"):
        Shard.parse(text)


def _common(project: Path) -> Common:
    return Common(project, "json", None, EngineOptions(), False)


def _test(project: Path, shard: Shard | None = None) -> Report:
    return run_command(_common(project), ("test",), "test", CheckArgs(jobs=2, shard=shard))


def _mutate(project: Path, shard: Shard | None = None) -> Report:
    return run_command(_common(project), ("mutate",), "mutate",
                       CheckArgs(jobs=2, mutate=MutateArgs(min_score=90), shard=shard))


def _audit(project: Path, shard: Shard | None = None) -> Report:
    return run_command(_common(project), ("audit",), "audit", CheckArgs(shard=shard))


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# suites_run: how many suites ran before one failed, which depends on which suite finished first
MOMENTS = {"timings", "wall_s", "cpu_s", "elapsed_s", "seconds", "merged_shards", "jobs", "suites_run"}


def _comparable(report: Report) -> Any:
    """The JSON report without what changes from run to run: timings, and fresh uuids (users, tenants)."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in MOMENTS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str):
            return UUID.sub("<uuid>", value)
        return value
    return strip(json.loads(json.dumps(report.to_json(), default=str)))


SUITE = """
begin;
select plan({n});
{asserts}
select * from finish();
rollback;
"""


def _suites_project(root: Path) -> Path:
    files = {"supabase/migrations/20260101000000_t.sql": "create table if not exists public.t (id int primary key);"}
    for i in range(7):
        asserts = "\n".join(f"select ok({'false' if (i, j) == (3, 1) else 'true'}, 'check {i}.{j}');"
                            for j in range(i + 1))
        files[f"supabase/tests/database/{i:02d}_suite.test.sql"] = SUITE.format(n=i + 1, asserts=asserts)
    return write_project(root, files)


def test_merged_test_parts_equal_one_run(tmp_path: Path) -> None:
    project = _suites_project(tmp_path / "p")
    whole = _test(project)
    assert whole.exit_code == 1 and len(whole.suites) == 7
    for count in (2, 3, 8):
        parts = [_test(project, Shard(k, count)) for k in range(1, count + 1)]
        assert sorted(s.file for p in parts for s in p.suites) == sorted(s.file for s in whole.suites)
        merged = merge_reports([_reloaded(p) for p in parts])
        assert _comparable(merged) == _comparable(whole)
        assert merged.exit_code == whole.exit_code


def _reloaded(report: Report) -> Report:
    """Through the JSON file, as in CI."""
    from harness.report.merge import load_report

    path = Path(f"/tmp/harness-shard-test-{id(report)}.json")
    try:
        path.write_text(json.dumps(report.to_json(), default=str))
        return load_report(path)
    finally:
        path.unlink(missing_ok=True)


def test_merged_mutate_parts_equal_one_run(tmp_path: Path) -> None:
    project = write_project(tmp_path / "notes", NOTES)
    whole = _mutate(project)
    parts = [_mutate(project, Shard(k, 2)) for k in (1, 2)]
    ids = [[o["id"] for o in p.details["mutate"]["outcomes"]] for p in parts]
    assert sorted(ids[0] + ids[1]) == [o["id"] for o in whole.details["mutate"]["outcomes"]] and ids[0] and ids[1]
    assert all(f.rule != "mutation-score" for p in parts for f in p.findings)  # the verdict is the merge's
    merged = merge_reports([_reloaded(p) for p in parts])
    assert _comparable(merged) == _comparable(whole)
    assert merged.exit_code == whole.exit_code


def test_merged_audit_parts_equal_one_run(tmp_path: Path) -> None:
    project = tmp_path / "subject"
    shutil.copytree(REPO / "supabase", project / "supabase")
    shutil.copy(REPO / "harness.toml", project / "harness.toml")
    whole = _audit(project)
    parts = [_audit(project, Shard(k, 2)) for k in (1, 2)]
    audited = [[m["table"] for m in p.details["audit"]["tables"] if m["kind"] == "table"] for p in parts]
    assert audited[0] and audited[1] and not set(audited[0]) & set(audited[1])
    merged = merge_reports([_reloaded(p) for p in parts])
    expected, got = _comparable(whole), _comparable(merged)
    for report in (expected, got):  # the world's make-up is per run (each part builds its own)
        report["details"]["audit"].pop("world")
    assert got == expected
    assert merged.exit_code == whole.exit_code


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=cwd)


def test_report_merge_on_the_command_line(tmp_path: Path) -> None:
    project = _suites_project(tmp_path / "p")
    for k in (1, 2):
        done = _cli("test", "--project", str(project), "--shard", f"{k}/2", "--format", "json",
                    "--output", str(tmp_path / f"part{k}.json"), cwd=tmp_path)
        assert done.returncode == 1 or k == 2 or done.returncode == 0, done.stderr
    for fmt in ("text", "json", "junit", "sarif", "tap"):
        merged = _cli("report", "merge", str(tmp_path / "part1.json"), str(tmp_path / "part2.json"), "--format", fmt,
                      cwd=tmp_path)
        assert merged.returncode == 1, merged.stderr  # one test fails, as in one run
        assert merged.stdout
    junit = _cli("report", "merge", str(tmp_path / "part1.json"), str(tmp_path / "part2.json"), "--format", "junit",
                 cwd=tmp_path).stdout
    assert junit.count("<testcase") == sum(range(1, 8))


def test_report_merge_refuses_what_it_cannot_merge(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("not json")
    (tmp_path / "lint.json").write_text(json.dumps({"command": "lint", "findings": [], "suites": []}))
    assert _cli("report", "merge", str(tmp_path / "bad.json"), cwd=tmp_path).returncode == 2
    assert _cli("report", "merge", str(tmp_path / "lint.json"), cwd=tmp_path).returncode == 2
    assert _cli("report", "merge", str(tmp_path / "missing.json"), cwd=tmp_path).returncode == 2
    assert _cli("test", "--shard", "3/2", "--project", str(tmp_path), cwd=tmp_path).returncode == 2
