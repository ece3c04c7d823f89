"""The explain targets as JUnit test cases, for harness/report/junit.py to add to its document.

One <testcase classname="explain" name="<target>" time="<median seconds>"> per target, with one
<failure> per finding of that target (type = the rule, message = the finding's message) and the
measurements in <system-out>. Findings returned here should not be repeated as generic failures.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from harness.findings import Finding
from harness.report.model import Report


def explain_testcases(report: Report) -> list[ET.Element]:
    details = report.details.get("explain")
    if not details:
        return []
    cases = []
    for target in details["targets"]:
        cases.append(_testcase(target, _findings_of(report, target["name"])))
    return cases


def explain_testsuite(report: Report) -> ET.Element | None:
    """<testsuite name="harness explain"> holding `explain_testcases`; None when nothing was measured."""
    cases = explain_testcases(report)
    if not cases:
        return None
    failures = sum(1 for case in cases if case.find("failure") is not None)
    suite = ET.Element("testsuite", {
        "name": "harness explain", "tests": str(len(cases)), "failures": str(failures), "errors": "0",
        "skipped": "0", "time": f"{report.timings.get('explain', 0.0):.3f}",
    })
    suite.extend(cases)
    return suite


def explain_findings(report: Report) -> list[Finding]:
    """The findings `explain_testcases` already carries (so a generic renderer can skip them)."""
    details = report.details.get("explain") or {}
    names = {t["name"] for t in details.get("targets", [])}
    return [f for f in report.findings if f.check == "explain" and f.evidence.get("target") in names]


def _findings_of(report: Report, name: str) -> list[Finding]:
    return [f for f in report.findings if f.check == "explain" and f.evidence.get("target") == name]


def _testcase(target: dict[str, Any], findings: list[Finding]) -> ET.Element:
    median = target.get("median_ms")
    case = ET.Element("testcase", {
        "classname": "explain",
        "name": target["name"],
        "time": f"{(median or 0.0) / 1000:.6f}",
    })
    for finding in findings:
        failure = ET.SubElement(case, "failure", {"type": f"explain/{finding.rule}", "message": finding.message})
        failure.text = finding.message
    out = ET.SubElement(case, "system-out")
    out.text = (
        f"as {target['as']}, {target['rows']} rows; median {median} ms, spread {target.get('spread_ms')} ms, "
        f"planning {target.get('planning_ms')} ms, budget {target.get('budget_ms')} ms; "
        f"indexes: {', '.join(target.get('indexes', [])) or 'none'}"
    )
    return case
