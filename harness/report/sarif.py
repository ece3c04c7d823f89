"""SARIF 2.1.0, for GitHub code scanning: one result per finding, ruleId `check/rule`."""

from __future__ import annotations

import json
from typing import Any

from harness import __version__
from harness.findings import Finding, Severity
from harness.report.model import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.CRITICAL: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub ranks security alerts by this rule property (CVSS-like, 0-10).
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.ERROR: "7.5", Severity.WARNING: "4.0", Severity.INFO: "1.0"}

def rule_id(finding: Finding) -> str:
    return f"{finding.check}/{finding.rule}"


def describe_rule(rule: str) -> tuple[str, str]:
    """(short, full) description of a `check/rule` id, from the check registry."""
    from harness.checks import rules_by_key

    known = rules_by_key().get(rule)
    if known is None:
        name = rule.partition("/")[2]
        return name, name
    return known.summary, known.full_help


def render_sarif(report: Report) -> str:
    findings = report.sorted_findings()
    ids = list(dict.fromkeys(rule_id(f) for f in findings))
    worst = {rid: max((f.severity for f in findings if rule_id(f) == rid), key=lambda s: s.rank) for rid in ids}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "harness",
                "version": __version__,
                "rules": [_rule(rid, worst[rid]) for rid in ids],
            }
        },
        "automationDetails": {"id": f"harness/{report.command}/"},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, ids.index(rule_id(f))) for f in findings],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, default=str) + "\n"


def _rule(rid: str, severity: Severity) -> dict[str, Any]:
    short, full = describe_rule(rid)
    return {
        "id": rid,
        "name": "".join(part.capitalize() for part in rid.replace("/", "-").split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["security", rid.split("/", 1)[0]], "security-severity": SECURITY_SEVERITY[severity]},
    }


def _result(finding: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": rule_id(finding),
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if finding.file is not None:
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"}}
        if finding.line is not None:
            region: dict[str, Any] = {"startLine": finding.line}
            if finding.column is not None:
                region["startColumn"] = finding.column
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    elif finding.table is not None:
        result["locations"] = [{"logicalLocations": [{"fullyQualifiedName": finding.table, "kind": "table"}]}]
    properties: dict[str, Any] = {
        key: value
        for key, value in (
            ("severity", finding.severity.value),
            ("table", finding.table),
            ("persona", finding.persona),
            ("operation", finding.operation),
        )
        if value
    }
    if finding.evidence:
        properties["evidence"] = finding.evidence
    if finding.pre_existing is not None:  # compared with the change set's base
        result["baselineState"] = "unchanged" if finding.pre_existing else "new"
    result["properties"] = properties
    return result
