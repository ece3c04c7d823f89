"""The lint loop: parse each file in order, run every rule on every statement, keep the model current."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from harness.findings import Finding, Severity
from harness.lint.model import SchemaModel
from harness.lint.parse import ParsedFile, parse_file
from harness.lint.rules import RULES, RULES_BY_ID, Hit, LintContext, Rule
from harness.sql.suppressions import Suppressions, parse_suppressions


@dataclass(frozen=True)
class SourceFile:
    file: str  # as findings show it: relative to the project root
    text: str


def lint_sources(
    sources: Sequence[SourceFile], api_schemas: Iterable[str] = ("public",), only: set[str] | None = None,
    changed: frozenset[str] | None = None,
) -> list[Finding]:
    """Lint files in the given (version) order; report findings for `only` files when given.

    `changed`: the change set's files (None: the whole history, each file its own change)."""
    ctx = LintContext(SchemaModel(), frozenset(api_schemas), reviewed=None if only is None else frozenset(only),
                      changed=changed)
    rules = [rule(ctx) for rule in RULES]
    per_statement = [rule for rule in rules if type(rule).statement is not Rule.statement]  # the hot loop
    parsed: list[ParsedFile] = []
    hits: list[Hit] = []
    for source in sources:
        current = parse_file(source.text, source.file)
        parsed.append(current)
        ctx.file = source.file
        for stmt in current.statements:
            for rule in per_statement:
                hits.extend(rule.statement(stmt))
            ctx.model.apply(stmt)
        for rule in rules:
            hits.extend(rule.end_file())
    for rule in rules:
        hits.extend(rule.end_project())
    by_file: dict[str, list[Hit]] = {}
    for hit in hits:
        by_file.setdefault(hit.stmt.file, []).append(hit)
    findings: list[Finding] = []
    for current in parsed:
        if only is None or current.file in only:
            findings.extend(_file_findings(current, by_file.get(current.file, [])))
    return findings


def _file_findings(parsed: ParsedFile, hits: list[Hit]) -> Iterable[Finding]:
    source = parsed.source
    suppressions: Suppressions = parse_suppressions(source, set(RULES_BY_ID))
    for hit in hits:
        if not suppressions.covers(hit.rule, hit.stmt.anchor_lines, source):
            yield _finding(
                parsed, hit.rule, hit.severity, hit.message, hit.stmt.line, hit.stmt.column, hit.table, hit.evidence
            )
    for note in parsed.notes:
        anchors = (note.line,) if note.anchor_line is None else (note.line, note.anchor_line)
        if not suppressions.covers(note.rule, anchors, source):
            rule = RULES_BY_ID[note.rule]
            yield _finding(parsed, note.rule, rule.severity, note.message, note.line, note.column)
    for problem in suppressions.problems:
        rule = RULES_BY_ID[problem.rule]
        yield _finding(parsed, problem.rule, rule.severity, problem.message, problem.line, None)


def _finding(
    parsed: ParsedFile,
    rule: str,
    severity: Severity,
    message: str,
    line: int,
    column: int | None,
    table: str | None = None,
    evidence: dict[str, object] | None = None,
) -> Finding:
    evidence = dict(evidence or {})
    evidence["source"] = parsed.source.line_text(line).strip()
    return Finding(
        check="lint",
        rule=rule,
        severity=severity,
        message=message,
        file=parsed.file,
        line=line,
        column=column,
        table=table,
        evidence=evidence,
    )
