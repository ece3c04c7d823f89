"""JUnit XML: a <testsuite> per pgTAP suite with a <testcase> per assertion, and a <testsuite> per
other check whose findings are test cases (a <failure> for error and critical, passing otherwise).

A suite that died, bailed out or broke its plan gets one more test case, `(suite)`, that fails
with the reason. SKIP assertions are <skipped>; a failing TODO assertion is <skipped> too (it does
not fail the run, as in every TAP harness).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from harness.findings import Finding
from harness.report.explain_junit import explain_findings, explain_testsuite
from harness.report.model import Report, SuiteResult, TestCase
from harness.report.mutate_junit import mutate_testsuite

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def _clean(root: ET.Element) -> None:
    """Drop control characters a suite may print; they would make the XML unreadable."""
    for element in root.iter():
        if element.text:
            element.text = _NOT_XML.sub("", element.text)
        for key, value in element.attrib.items():
            element.attrib[key] = _NOT_XML.sub("", value)


def _name(case: TestCase) -> str:
    number = f"{case.number}" if case.number is not None else "?"
    return f"{number} - {case.description}" if case.description else number


def _case_element(parent: ET.Element, suite: SuiteResult, case: TestCase) -> None:
    element = ET.SubElement(parent, "testcase", classname=suite.file, name=_name(case), time="0")
    if case.directive == "SKIP":
        ET.SubElement(element, "skipped", message=case.reason or "SKIP")
    elif case.directive == "TODO":
        ET.SubElement(element, "skipped", message=f"TODO {case.reason or ''}".strip())
        if case.diagnostics:
            ET.SubElement(element, "system-out").text = case.diagnostics
    elif not case.ok:
        failure = ET.SubElement(element, "failure", message=f"not ok {_name(case)}", type="test-failed")
        failure.text = case.diagnostics


def _suite_element(root: ET.Element, suite: SuiteResult, findings: list[Finding]) -> None:
    cases = len(suite.cases) + (1 if suite.error else 0)
    failures = sum(1 for c in suite.cases if not c.passed) + (1 if suite.error else 0)
    skipped = sum(1 for c in suite.cases if c.directive is not None)
    element = ET.SubElement(
        root, "testsuite", name=suite.file, tests=str(cases), failures=str(failures), errors="0",
        skipped=str(skipped), time=f"{suite.elapsed_s:.3f}",
    )
    for case in suite.cases:
        _case_element(element, suite, case)
    if suite.error:
        died = ET.SubElement(element, "testcase", classname=suite.file, name="(suite)", time="0")
        failure = ET.SubElement(died, "failure", message=suite.error, type="test-failed")
        failure.text = "\n".join(
            f.message + (f"\n{f.evidence['detail']}" if f.evidence.get("detail") else "")
            for f in findings
            if f.evidence.get("suite") == suite.file and "test" not in f.evidence
        ) or suite.error
    if suite.stderr.strip():
        ET.SubElement(element, "system-err").text = suite.stderr


def _finding_element(parent: ET.Element, finding: Finding) -> None:
    where = [w for w in (finding.location, finding.table, finding.persona, finding.operation) if w]
    element = ET.SubElement(
        parent, "testcase", classname=f"harness.{finding.check}.{finding.rule}",
        name=" · ".join(where) or finding.message, time="0",
    )
    if finding.fails_gate:
        failure = ET.SubElement(element, "failure", message=finding.message, type=finding.severity.value)
        failure.text = finding.message
    else:
        ET.SubElement(element, "system-out").text = f"{finding.severity.value}: {finding.message}"


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name=f"harness {report.command}")
    shown = {s.file for s in report.suites}
    for suite in report.suites:
        _suite_element(root, suite, [f for f in report.findings if f.check == "test"])
    explain_suite = explain_testsuite(report)  # a test case per explain target
    if explain_suite is not None:
        root.append(explain_suite)
    mutate_suite = mutate_testsuite(report)  # a test case per mutant
    if mutate_suite is not None:
        root.append(mutate_suite)
    carried = {id(f) for f in explain_findings(report)}
    loose = [f for f in report.sorted_findings()
             if not (f.check == "test" and f.evidence.get("suite") in shown) and id(f) not in carried]
    by_check: dict[str, list[Finding]] = {}
    for finding in loose:
        by_check.setdefault(finding.check, []).append(finding)
    for check, findings in by_check.items():
        element = ET.SubElement(
            root, "testsuite", name=f"harness {check}", tests=str(len(findings)),
            failures=str(sum(1 for f in findings if f.fails_gate)), errors="0", skipped="0",
            time=f"{report.timings.get(check, 0.0):.3f}",
        )
        for finding in findings:
            _finding_element(element, finding)
    totals = {"tests": 0, "failures": 0}
    for element in root:
        totals["tests"] += int(element.get("tests", "0"))
        totals["failures"] += int(element.get("failures", "0"))
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("time", f"{report.timings.get('total_s', 0.0):.3f}")
    _clean(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
