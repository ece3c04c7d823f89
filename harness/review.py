"""What the change set does to a report: its own findings (a shipped file edited, a migration out of
order), findings that predate the change marked as such, `[rules]` applied, and the header lines.

Narrow functions, called once per command after its checks ran (see `finish_report`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from harness.changeset import ChangeSet
from harness.findings import Finding, Severity
from harness.rule_settings import apply_rule_settings, describe_rule_settings

if TYPE_CHECKING:
    from harness.config import Config
    from harness.report.model import Report

# Heuristic runtime rules: a finding of theirs that exists at the base already is not this change's.
# Findings against the user's explicit intent (failing tests, access-spec verdicts, EXPLAIN budgets)
# always count.
PRE_EXISTING_CHECKS = ("catalog",)


def change_set_findings(change_set: ChangeSet) -> list[Finding]:
    """`shipped-migration-edited` and `migration-order` for the change set."""
    findings = [_edited(edit.file, edit.how, edit.renamed_to) for edit in change_set.edits]
    newest = change_set.newest_shipped_version
    for file in change_set.judged or ():
        version = Path(file).name.split("_", 1)[0]
        if newest is not None and version.isdigit() and version < newest:
            findings.append(Finding(
                check="migrate", rule="migration-order", severity=Severity.ERROR, file=file,
                message=f"{Path(file).name} sorts before {newest}, the newest shipped migration: `supabase db push` "
                        "refuses it without --include-all, and databases that already ran the newer ones apply it "
                        "out of order; give it a version after the newest shipped one",
                evidence={"version": version, "newest_shipped": newest},
            ))
    return findings


def _edited(file: str, how: str, renamed_to: str | None) -> Finding:
    what = {"edited": "was edited", "deleted": "was deleted", "renamed": f"was renamed to {renamed_to}"}[how]
    return Finding(
        check="migrate", rule="shipped-migration-edited", severity=Severity.ERROR, file=renamed_to or file,
        message=f"{file} shipped already and {what}: the Supabase CLI never runs a recorded migration again, so "
                "databases that have it drift silently from the files; put the change in a new migration",
        evidence={"shipped_file": file, "change": how, "renamed_to": renamed_to},
    )


def finding_key(finding: Finding) -> tuple[object, ...]:
    """What makes two runtime findings the same finding, at the base and at the head."""
    return (finding.check, finding.rule, finding.table, finding.persona, finding.operation, finding.message)


def mark_pre_existing(findings: Iterable[Finding], at_base: Iterable[Finding] | None) -> list[Finding]:
    """Heuristic runtime findings that exist at the base get `pre_existing=True`, the others False.

    `at_base` None: there is no base (the whole history); findings are left as they are.
    """
    if at_base is None:
        return list(findings)
    known = {finding_key(f) for f in at_base}
    return [
        dataclasses.replace(f, pre_existing=finding_key(f) in known) if f.check in PRE_EXISTING_CHECKS else f
        for f in findings
    ]


def finish_report(
    report: Report,
    config: Config,
    change_set: ChangeSet | None,
    base_findings: list[Finding] | None = None,
    shipped_findings: int = 0,
) -> Report:
    """Apply the change set and `[rules]` to a command's report (in place; returned for chaining)."""
    if change_set is not None and not change_set.whole:
        report.findings = mark_pre_existing(report.findings, base_findings)
        data = change_set.to_json()
        data["shipped_findings"] = shipped_findings
        report.change_set = data
        report.header.append(change_set.headline())
        if shipped_findings:
            report.header.append(
                f"{shipped_findings} finding{'s' if shipped_findings != 1 else ''} on shipped migrations not shown "
                "(--whole-history shows them)"
            )
    elif change_set is not None:
        report.header.append(change_set.headline())
    if config.rules:
        report.findings = apply_rule_settings(report.findings, config.rules)
        report.header.append(describe_rule_settings(config.rules))
    return report
