"""Capture the real output of every fixture suite: what psql printed (stdout, stderr, exit code).

    python tests/pgtap/capture.py

The fixture project tests/pgtap/fixtures/notes keeps its suites in groups (folders below
supabase/tests: passing, failing, bailout, isolation). For each suite this writes
tests/pgtap/captured/<group>/<suite>.{stdout,stderr,rc} (`/` in the suite's path inside its group
written as `__`), and for some groups what `pg_prove -v` printed for the whole group
(pg_prove.stdout). The parser and report tests read these files; test_runner.py checks that a
live run still prints exactly them, so the captures cannot go stale silently.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from harness.config import load_config  # noqa: E402
from harness.pgtap.discovery import discover_suites  # noqa: E402
from harness.pgtap.psql import PsqlRunner, find_psql  # noqa: E402
from harness.pgtap.reference import find_pg_prove, run_pg_prove  # noqa: E402
from harness.workspace import Workspace  # noqa: E402

PROJECT = HERE / "fixtures" / "notes"
TESTS = PROJECT / "supabase" / "tests"
CAPTURED = HERE / "captured"
GROUPS = ("passing", "failing", "bailout", "isolation")
PG_PROVE_GROUPS = ("passing", "failing")  # pg_prove -v output kept to check the tap format against


def group_suites(group: str) -> list[Path]:
    return discover_suites(TESTS, PROJECT, [TESTS / group])


def capture_stem(suite: Path) -> Path:
    """tests/pgtap/captured/<group>/<path inside the group, / as __>"""
    group, *rest = suite.resolve().relative_to(TESTS.resolve()).parts
    return CAPTURED / group / "__".join(rest)


def read_capture(stem: Path) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of one captured run."""
    def read(ext: str) -> str:
        return stem.with_name(f"{stem.name}.{ext}").read_text(encoding="utf-8")

    return read("stdout"), read("stderr"), int(read("rc"))


def main() -> None:
    with Workspace(load_config(PROJECT)) as workspace:
        template = workspace.test_template()
        assert template is not None, "the migrations did not apply"
        runner = PsqlRunner(find_psql(workspace.bindir), workspace.server, PROJECT)
        for group in GROUPS:
            (CAPTURED / group).mkdir(parents=True, exist_ok=True)
            suites = group_suites(group)
            for suite in suites:
                with workspace.server.scratch_database(template) as database:
                    run = runner.run(database, suite.relative_to(PROJECT).as_posix())
                stem = capture_stem(suite)
                for ext, text in (("stdout", run.stdout), ("stderr", run.stderr), ("rc", f"{run.returncode}\n")):
                    stem.with_name(f"{stem.name}.{ext}").write_text(text, encoding="utf-8")
                print(stem.relative_to(HERE))
            if group in PG_PROVE_GROUPS and find_pg_prove():
                files = [p.relative_to(PROJECT).as_posix() for p in suites]
                with workspace.server.scratch_database(template) as database:
                    prove = run_pg_prove(workspace.server, database, files, PROJECT, verbose=True)
                (CAPTURED / group / "pg_prove.stdout").write_text(prove.stdout, encoding="utf-8")
                print((CAPTURED / group / "pg_prove.stdout").relative_to(HERE))


if __name__ == "__main__":
    main()
