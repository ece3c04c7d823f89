"""From what psql printed to a `SuiteResult` and its `test-failed` findings.

Every way a suite can fail is one finding of check `test`, rule `test-failed`: a failed assertion
(with its number, description and pgTAP's diagnostics, have / want split out), a suite that died on
an SQL or psql error (file and line from psql's `psql:FILE:LINE:` prefix), a bail out, and the
parse errors pg_prove reports (no plan, a plan that does not match the tests run, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.findings import Finding, Severity
from harness.pgtap.psql import PsqlError, PsqlRun, psql_error
from harness.pgtap.tap import TapDocument, TapTest, parse_tap
from harness.report.model import SuiteResult, TestCase

Relative = Callable[[Path], str]  # a path as reports show it (relative to the project root)

SHORT = 60  # have / want values up to this long go into the one-line message


@dataclass(frozen=True)
class Suite:
    path: Path  # absolute
    name: str  # as reports show it
    argument: str  # the --file argument: relative to psql's working folder where possible
    cwd: Path  # psql's working folder: `\i` resolves against it


def _finding(message: str, file: str, line: int | None = None, **evidence: Any) -> Finding:
    return Finding(
        check="test", rule="test-failed", severity=Severity.ERROR, message=message, file=file, line=line,
        evidence={k: v for k, v in evidence.items() if v not in (None, "", [])},
    )


_STATEMENT_START = re.compile(r"(?:\s+|--[^\n]*)*")  # blanks and comments before a statement


def _assertion_line(source: str, description: str) -> int | None:
    """The first line of the statement that holds `description` as an SQL string literal, when the
    literal appears once in the suite (pgTAP does not say where an assertion is)."""
    if not description:
        return None
    literal = "'" + description.replace("'", "''") + "'"
    found = source.find(literal)
    if found < 0 or source.find(literal, found + 1) >= 0:
        return None
    start = source.rfind(";", 0, found) + 1
    start = _STATEMENT_START.match(source, start).end()  # type: ignore[union-attr]
    return source.count("\n", 0, min(start, found)) + 1


def _assertion_message(test: TapTest) -> str:
    message = f"test {test.number} failed: {test.description or '(no description)'}"
    values = test.have_want()
    if values and all("\n" not in v and len(v) <= SHORT for v in values):
        message += f" (have: {values[0]}, want: {values[1]})"
    return message


def _assertion_finding(suite: Suite, test: TapTest, source: str) -> Finding:
    values = test.have_want()
    return _finding(
        _assertion_message(test),
        suite.name,
        _assertion_line(source, test.description),
        suite=suite.name,
        test=test.number,
        description=test.description,
        diagnostics=test.diagnostics,
        have=values[0] if values else None,
        want=values[1] if values else None,
    )


def _source_line(path: Path, line: int | None) -> str | None:
    if line is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


def _died_finding(suite: Suite, doc: TapDocument, run: PsqlRun, error: PsqlError | None,
                  relative: Relative) -> tuple[str, Finding]:
    ran = f"ran {len(doc.tests)} of {doc.planned} planned tests" if doc.planned is not None else \
        f"ran {len(doc.tests)} tests, no plan printed"
    if error is None:
        tail = " ".join(run.stderr.strip().splitlines()[-3:]) or "no message"
        summary = f"psql exited with code {run.returncode}: {tail}"
        return summary, _finding(f"suite died: {summary} ({ran})", suite.name, suite=suite.name,
                                 exit_code=run.returncode, stderr=run.stderr.strip())
    file, line, statement = suite.name, error.line, None
    if error.file is not None:
        where = Path(error.file) if Path(error.file).is_absolute() else suite.cwd / error.file
        file = relative(where)
        if error.client_side:  # a meta-command is one line; psql names the last line of an SQL statement
            statement = _source_line(where, error.line)
    place = f"{file}:{line}" if line is not None else file
    if error.client_side:
        # psql's own error: a meta-command it could not run (unknown, a missing include, ...)
        what = f"psql could not run `{statement}`" if statement and statement.startswith("\\") else "psql error"
        summary = f"{what} at {place}: {error.message}"
    else:
        summary = f"SQL error at {place}: {error.level}: {error.message}"
    if file != suite.name:
        summary += f" (included by {suite.name})"
    finding = _finding(
        f"suite died: {summary} ({ran})", file, line,
        suite=suite.name, error=error.message, detail=error.detail, statement=statement,
        exit_code=run.returncode, tests_run=len(doc.tests), planned=doc.planned,
    )
    return summary, finding


def _parse_error_message(error: str) -> str:
    bad_plan = re.match(r"Bad plan\.\s+You planned (\d+) tests? but ran (\d+)\.", error)
    if bad_plan:
        return f"the suite planned {bad_plan.group(1)} tests but ran {bad_plan.group(2)}"
    if error.startswith("No plan found"):
        return ("the suite printed no plan (no `select plan(n)` / `1..n` line); "
                "if it is a file other suites include, start its name or folder with `_`")
    return error


def suite_result(suite: Suite, run: PsqlRun, relative: Relative) -> tuple[SuiteResult, list[Finding]]:
    """Read one psql run of one suite."""
    doc = parse_tap(run.stdout)
    try:
        source = suite.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        source = ""
    findings = [_assertion_finding(suite, t, source) for t in doc.failed]
    error: str | None = None
    if run.timed_out:
        error = "stopped by the time limit (--timeout)"
        findings.append(Finding(
            check="test", rule="timeout", severity=Severity.ERROR, file=suite.name,
            message=f"{suite.name} ran longer than the time limit (--timeout) and was stopped after "
                    f"{run.elapsed_s:.0f} s ({len(doc.tests)} tests had run)",
            evidence={"suite": suite.name, "tests_run": len(doc.tests), "elapsed_s": round(run.elapsed_s, 1)},
        ))
    elif run.returncode != 0:
        error, died = _died_finding(suite, doc, run, psql_error(run.stderr), relative)
        findings.append(died)
    elif doc.bail_out is not None:
        error = f"Bail out! {doc.bail_out}".rstrip()
        findings.append(_finding(f"suite bailed out: {doc.bail_out or '(no reason)'}", suite.name,
                                 suite=suite.name, bail_out=doc.bail_out or "(no reason)",
                                 tests_run=len(doc.tests)))
    elif doc.parse_errors:
        messages = [_parse_error_message(e) for e in doc.parse_errors]
        error = "; ".join(messages)
        findings.extend(
            _finding(m, suite.name, suite=suite.name, planned=doc.planned, tests_run=len(doc.tests),
                     summary="\n".join(doc.summary))
            for m in messages
        )
    result = SuiteResult(
        file=suite.name,
        cases=[_case(suite.name, t) for t in doc.tests],
        planned=doc.planned,
        elapsed_s=run.elapsed_s,
        error=error,
        raw_tap=run.stdout,
        stderr=run.stderr,
        exit_code=run.returncode,
        bail_out=doc.bail_out,
        parse_errors=list(doc.parse_errors),
    )
    return result, findings


def _case(suite: str, test: TapTest) -> TestCase:
    return TestCase(
        suite=suite,
        number=test.number,
        description=test.description,
        ok=test.ok,
        directive=test.directive,
        reason=test.reason,
        diagnostics=test.diagnostics,
    )
