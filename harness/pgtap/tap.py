"""A TAP parser that reads pgTAP output the way pg_prove (Perl's TAP::Parser) does.

What it understands: the plan (`1..N`, first or last, `1..0 # SKIP why`), `ok` / `not ok` lines with
or without numbers, `# SKIP` / `# TODO` directives (an unescaped `#` in a description starts one, as
in TAP::Parser), comment lines (`# ...`: pgTAP's diagnostics, whose values may span lines), `Bail
out!`, `TAP version N`, and everything else as plain output (psql rows, `\\echo`). It reports what
TAP::Parser reports as parse errors: no plan, a plan in the middle, more than one plan, a plan that
does not match the number of tests run, tests out of sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*SKIP\S*\s*(.*?))?\s*$", re.IGNORECASE)
_TEST = re.compile(r"^(not )?ok\b\s*(\d+)?\s*(.*)$")
_DIRECTIVE = re.compile(r"^((?:[^\\#]|\\.)*)#\s*(SKIP|TODO)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_BAIL_OUT = re.compile(r"^\s*Bail out!\s*(.*)$")
_VERSION = re.compile(r"^TAP version (\d+)\s*$", re.IGNORECASE)
# pgTAP's finish() summary ("# Looks like you planned 7 tests but ran 6"): about the suite, not a test.
_SUMMARY = re.compile(r"^#\s*Looks like you ")
# pgTAP's diagnostics of a failed comparison: "have: ..." then "want: ...", values may span lines.
_HAVE_WANT = re.compile(r"^\s*have: ?(.*?)\n\s*want: ?(.*)$", re.DOTALL | re.MULTILINE)


@dataclass
class TapTest:
    ok: bool
    number: int
    description: str
    directive: str | None = None  # "SKIP" or "TODO"
    reason: str | None = None
    output: list[str] = field(default_factory=list)  # the lines after it: diagnostics, rows

    @property
    def passed(self) -> bool:
        return self.ok or self.directive is not None

    @property
    def diagnostics(self) -> str:
        """The comment lines that follow the test, as pgTAP printed them."""
        return "\n".join(line for line in self.output if line.startswith("#"))

    def have_want(self) -> tuple[str, str] | None:
        text = "\n".join(_uncomment(line) for line in self.output if line.startswith("#"))
        match = _HAVE_WANT.search(text)
        return (match.group(1).rstrip(), match.group(2).rstrip()) if match else None


@dataclass
class TapDocument:
    planned: int | None = None
    skip_all: str | None = None  # `1..0 # SKIP why`
    tests: list[TapTest] = field(default_factory=list)
    bail_out: str | None = None
    preamble: list[str] = field(default_factory=list)  # output before the first test
    summary: list[str] = field(default_factory=list)  # pgTAP's "# Looks like you ..." lines
    parse_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[TapTest]:
        return [t for t in self.tests if not t.passed]

    @property
    def ok(self) -> bool:
        return self.bail_out is None and not self.parse_errors and not self.failed


def _uncomment(line: str) -> str:
    return line[2:] if line.startswith("# ") else line[1:]


def _test(match: re.Match[str], expected: int) -> TapTest:
    not_ok, number, rest = match.groups()
    rest = rest.strip()
    if rest.startswith("-"):
        rest = rest[1:].lstrip()
    directive = reason = None
    found = _DIRECTIVE.match(rest)
    if found:
        rest, directive, reason = found.group(1).rstrip(), found.group(2).upper(), found.group(3).strip()
    return TapTest(
        ok=not_ok is None,
        number=int(number) if number is not None else expected,
        description=rest,
        directive=directive,
        reason=reason,
    )


def parse_tap(text: str) -> TapDocument:
    """Parse one suite's standard output."""
    doc = TapDocument()
    plan_index: int | None = None
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if doc.bail_out is not None:
            break  # TAP::Parser reads nothing after a bail out
        plan = _PLAN.match(line)
        if plan:
            if doc.planned is not None:
                doc.parse_errors.append(f"More than one plan found in TAP output: {line!r}")
                continue
            doc.planned = int(plan.group(1))
            if plan.group(2) is not None and doc.planned == 0:
                doc.skip_all = plan.group(2)
            plan_index = len(doc.tests)
            continue
        test = _TEST.match(line)
        if test:
            expected = len(doc.tests) + 1
            parsed = _test(test, expected)
            if parsed.number != expected:
                doc.parse_errors.append(f"Tests out of sequence.  Found ({parsed.number}) but expected ({expected})")
            doc.tests.append(parsed)
            continue
        bail = _BAIL_OUT.match(line)
        if bail:
            doc.bail_out = bail.group(1).strip()
            continue
        if _VERSION.match(line) and index == 0:
            continue
        if _SUMMARY.match(line):
            doc.summary.append(line)
        elif doc.tests:
            doc.tests[-1].output.append(line)
        else:
            doc.preamble.append(line)
    _check_plan(doc, plan_index)
    return doc


def _check_plan(doc: TapDocument, plan_index: int | None) -> None:
    if doc.bail_out is not None:
        return
    ran = len(doc.tests)
    if doc.planned is None:
        doc.parse_errors.append("No plan found in TAP output")
        return
    if plan_index not in (0, ran):
        doc.parse_errors.append(
            f"Plan (1..{doc.planned}) must be at the beginning or end of the TAP output"
        )
    if doc.planned != ran:
        doc.parse_errors.append(f"Bad plan.  You planned {doc.planned} tests but ran {ran}.")  # sic
