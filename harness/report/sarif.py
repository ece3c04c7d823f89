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

# The rules of CONTRACT.md §2 that are not lint rules (lint rules document themselves).
CONTRACT_RULES = {
    "migrate/migration-error": "A migration fails to apply.",
    "migrate/not-idempotent": "Applying the migrations again fails, or changes the catalog or table contents.",
    "migrate/foreign-policy": "A migration changes policies, RLS flags or policy-called functions of another's table.",
    "catalog/user-metadata-policy": "A policy, or a function it calls, trusts user_metadata, which users can edit.",
    "test/test-failed": "A pgTAP assertion failed, or a suite died or planned a different number of tests.",
    "audit/leak": "A persona can do more than the access spec allows.",
    "audit/denied": "A persona cannot do what the access spec allows.",
    "audit/policy-error": "A query under a persona raises an error.",
    "catalog/rls-disabled": "A table in an API schema is reachable by anon or authenticated with RLS off.",
    "catalog/security-definer-view": "A view in an API schema reads an RLS-protected table with its owner's rights.",
    "explain/seq-scan": "The plan of an explain target scans a table sequentially where the target forbids it.",
    "explain/too-slow": "The median execution time of an explain target is over its budget.",
    # Rules beyond the contract's table (it may grow):
    "test/seed-error": "The project's seed file does not apply after the migrations, so no suite can run.",
    "explain/query-error": "An explain target's query fails under its persona.",
    "audit/policy-drift": "A live project's policies, RLS flags, grants or policy functions differ from the migrations.",
    "audit/not-covered": "A table in an API schema has no access spec; only the catalog rules checked it.",
    "audit/insert-not-probed": "A table has no row template, so inserts into it were not probed.",
}


def rule_id(finding: Finding) -> str:
    return f"{finding.check}/{finding.rule}"


def describe_rule(rule: str) -> tuple[str, str]:
    """(short, full) description of a `check/rule` id."""
    check, _, name = rule.partition("/")
    if check == "lint":
        from harness.lint.rules import RULES_BY_ID

        known = RULES_BY_ID.get(name)
        if known is not None:
            return known.summary(), " ".join(known.documentation().split())
    text = CONTRACT_RULES.get(rule, name)
    return text, text


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
    result["properties"] = properties
    return result
