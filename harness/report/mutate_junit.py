"""The mutants as a JUnit <testsuite name="harness mutate">, for harness/report/junit.py.

One <testcase classname="mutate.<operator>" name="#<n> <file>:<line> <description>"> per mutant: a
survivor is a <failure> (its statement before and after in the text), equivalent and stillborn
mutants are <skipped> with the reason, a killed one passes and says what killed it in <system-out>.
The score is a <property> of the suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from harness.report.model import Report


def mutate_testsuite(report: Report) -> ET.Element | None:
    details = report.details.get("mutate")
    if not details or details.get("skipped"):
        return None
    outcomes = details["outcomes"]
    suite = ET.Element("testsuite", {
        "name": "harness mutate", "tests": str(len(outcomes)), "failures": str(details["survived"]),
        "errors": "0", "skipped": str(details["equivalent"] + details["stillborn"]),
        "time": f"{details['seconds']:.3f}",
    })
    properties = ET.SubElement(suite, "properties")
    for name in ("score", "min_score", "killed", "survived", "equivalent", "stillborn"):
        value = details.get(name)
        ET.SubElement(properties, "property", name=name, value="" if value is None else f"{value:g}")
    suite.extend(_testcase(outcome) for outcome in outcomes)
    return suite


def _testcase(outcome: dict[str, Any]) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": f"mutate.{outcome['operator']}",
        "name": f"#{outcome['id']} {outcome['file']}:{outcome['line']} {outcome['description']}",
        "time": f"{outcome['elapsed_s']:.3f}",
    })
    status = outcome["status"]
    if status == "survived":
        failure = ET.SubElement(case, "failure", type="mutant-survived",
                                message=f"survived: {outcome['description']}")
        failure.text = f"before: {outcome['before']}\nafter:  {outcome['after'] or '(statement removed)'}"
    elif status in ("equivalent", "stillborn"):
        ET.SubElement(case, "skipped", message=f"{status}: {outcome['reason'] or ''}".rstrip(": "))
    else:
        killer = outcome["killed_by"] or {}
        ET.SubElement(case, "system-out").text = f"killed by {killer.get('name')}: {killer.get('detail')}"
    return case
