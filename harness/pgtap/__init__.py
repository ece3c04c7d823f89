"""pgTAP suites: discovery, running each through psql as pg_prove does, TAP parsing, findings.

    run = run_suites(workspace, paths=None, jobs=4, progress=print)
    run.suites    # list[SuiteResult], in file order
    run.findings  # list[Finding]: test/test-failed (and test/seed-error)

The names below are imported on first use, so `harness.pgtap.helpers` stays cheap to import.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "discover_suites": "harness.pgtap.discovery", "is_include": "harness.pgtap.discovery",
    "TestRun": "harness.pgtap.runner", "run_suites": "harness.pgtap.runner",
    "TapDocument": "harness.pgtap.tap", "TapTest": "harness.pgtap.tap", "parse_tap": "harness.pgtap.tap",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'harness.pgtap' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)


__all__ = sorted(_EXPORTS)
