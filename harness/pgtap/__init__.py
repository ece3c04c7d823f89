"""pgTAP suites: discovery, running each through psql as pg_prove does, TAP parsing, findings.

    run = run_suites(workspace, paths=None, jobs=4, progress=print)
    run.suites    # list[SuiteResult], in file order
    run.findings  # list[Finding]: test/test-failed (and test/seed-error)
"""

from harness.pgtap.discovery import discover_suites, is_include
from harness.pgtap.runner import TestRun, run_suites
from harness.pgtap.tap import TapDocument, TapTest, parse_tap

__all__ = ["TapDocument", "TapTest", "TestRun", "discover_suites", "is_include", "parse_tap", "run_suites"]
