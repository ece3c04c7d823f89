"""TAP, as `pg_prove --verbose` prints it: each suite's TAP, its verdict, the summary report.

Findings of other checks (and a test finding that belongs to no suite, such as a broken seed) follow
as one pseudo-suite per check, so a TAP consumer sees them too: `not ok` for error and critical,
`ok` otherwise.
"""

from __future__ import annotations

from itertools import groupby

from harness.findings import Finding
from harness.report.model import Report, SuiteResult


def _ranges(numbers: list[int]) -> str:
    """2, 3, 6 -> "2-3, 6", as TAP::Harness lists failed tests."""
    parts = []
    for _, run in groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        values = [n for _, n in run]
        parts.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return ", ".join(parts)


def _failed_numbers(suite: SuiteResult) -> list[int]:
    return [c.number for c in suite.cases if not c.passed and c.number is not None]


def _verdict(suite: SuiteResult) -> list[str]:
    """What pg_prove prints after a suite's TAP."""
    lines = []
    if suite.exit_code:
        wstat = suite.exit_code << 8
        lines.append(f"Dubious, test returned {suite.exit_code} (wstat {wstat}, {wstat:#x})")
    if suite.bail_out is not None:
        lines.append(f"Bailout called.  Further testing stopped:  {suite.bail_out}")
        return lines
    ran, failed = len(suite.cases), len(_failed_numbers(suite))
    if not ran and not suite.planned:
        lines.append("No subtests run ")
        return lines
    planned = suite.planned if suite.planned is not None else ran
    missing = max(planned - ran, 0)
    if failed or missing or suite.parse_errors or suite.exit_code:
        lines.append(f"Failed {failed + missing}/{planned} subtests ")
        skipped = sum(1 for c in suite.cases if c.directive == "SKIP")
        if skipped:
            plural = "" if skipped == 1 else "s"
            lines.append(f"\t(less {skipped} skipped subtest{plural}: {planned - failed - missing - skipped} okay)")
    else:
        lines.append("ok")
    todo_passed = sum(1 for c in suite.cases if c.directive == "TODO" and c.ok)
    if todo_passed:
        lines.append(f"\t({todo_passed} TODO test{'' if todo_passed == 1 else 's'} unexpectedly succeeded)")
    return lines


def _padded(name: str, width: int) -> str:
    """TAP::Formatter::Base pads to the longest name, with at least one space."""
    return name + (" " * (width - len(name)) or " ")


def _summary_entry(suite: SuiteResult, width: int) -> list[str]:
    failed = _failed_numbers(suite)
    wstat = suite.exit_code << 8
    status = f"{wstat} (exited {suite.exit_code})" if suite.exit_code else "0"
    lines = [f"{_padded(suite.file, width)}(Wstat: {status} Tests: {len(suite.cases)} Failed: {len(failed)})"]
    if failed:
        lines.append(f"  Failed test{'s' if len(failed) > 1 else ''}:  {_ranges(failed)}")
    todo_passed = [c.number for c in suite.cases if c.directive == "TODO" and c.ok and c.number is not None]
    if todo_passed:
        lines.append(f"  TODO passed:   {_ranges(todo_passed)}")
    if suite.exit_code:
        lines.append(f"  Non-zero exit status: {suite.exit_code}")
    if suite.parse_errors:
        lines.append(f"  Parse errors: {suite.parse_errors[0]}")
        lines.extend(f"                {e}" for e in suite.parse_errors[1:])
    return lines


def _needs_summary(suite: SuiteResult) -> bool:
    return not suite.ok or any(c.directive == "TODO" and c.ok for c in suite.cases)


def _finding_suites(report: Report) -> list[tuple[str, list[Finding]]]:
    """Findings that no suite's TAP already shows, grouped by check."""
    shown = {s.file for s in report.suites}
    loose = [
        f for f in report.sorted_findings()
        if not (f.check == "test" and f.evidence.get("suite") in shown)
    ]
    groups: dict[str, list[Finding]] = {}
    for finding in loose:
        groups.setdefault(f"harness {finding.check}", []).append(finding)
    return list(groups.items())


def _finding_tap(findings: list[Finding]) -> list[str]:
    lines = [f"1..{len(findings)}"]
    for number, finding in enumerate(findings, 1):
        status = "not ok" if finding.fails_gate else "ok"
        lines.append(f"{status} {number} - {finding.rule}: {finding.message}".replace("\n", " "))
        where = [w for w in (finding.location, finding.table, finding.persona, finding.operation) if w]
        lines.append(f"# {finding.severity.value}" + (f" at {' · '.join(where)}" if where else ""))
    return lines


def render_tap(report: Report) -> str:
    pseudo = _finding_suites(report)
    names = [s.file for s in report.suites] + [name for name, _ in pseudo]
    width = max((len(n) for n in names), default=0)
    out: list[str] = []

    def header(name: str) -> str:
        return f"{name} {'.' * (2 + width - len(name))} "

    for suite in report.suites:
        out.append(header(suite.file))
        out.extend(suite.raw_tap.rstrip("\n").splitlines())
        if suite.exit_code:
            out.extend(f"# {line}" for line in suite.stderr.strip().splitlines())
        out.extend(_verdict(suite))
    failed_pseudo = []
    for name, findings in pseudo:
        out.append(header(name))
        out.extend(_finding_tap(findings))
        failing = [i for i, f in enumerate(findings, 1) if f.fails_gate]
        out.append(f"Failed {len(failing)}/{len(findings)} subtests " if failing else "ok")
        if failing:
            failed_pseudo.append((name, len(findings), failing))

    summary = [line for s in report.suites if _needs_summary(s) for line in _summary_entry(s, width)]
    for name, total, failing in failed_pseudo:
        summary.append(f"{_padded(name, width)}(Wstat: 0 Tests: {total} Failed: {len(failing)})")
        summary.append(f"  Failed test{'s' if len(failing) > 1 else ''}:  {_ranges(failing)}")
    if summary:
        out += ["", "Test Summary Report", "-------------------", *summary]
    elif names:
        out.append("All tests successful.")
    tests = sum(len(s.cases) for s in report.suites) + sum(len(f) for _, f in pseudo)
    out.append(f"Files={len(names)}, Tests={tests}, {_clock(report)}")
    result = "NOTESTS" if not names else ("PASS" if report.ok else "FAIL")
    out.append(f"Result: {result}")
    out.extend(f"FAILED--Further testing stopped: {s.bail_out}" for s in report.suites if s.bail_out is not None)
    return "\n".join(out) + "\n"


def _clock(report: Report) -> str:
    details = report.details.get("test", {})
    wall = details.get("wall_s", report.timings.get("total_s", 0.0))
    cpu = details.get("cpu_s")
    text = f"{wall:2.0f} wallclock secs"
    if cpu:
        total = sum(cpu.values())
        text += (f" ({cpu['usr']:5.2f} usr {cpu['sys']:5.2f} sys + {cpu['cusr']:5.2f} cusr "
                 f"{cpu['csys']:5.2f} csys = {total:5.2f} CPU)")
    return text
