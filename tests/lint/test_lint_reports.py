"""SARIF (validated against the vendored OASIS 2.1.0 schema) and GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from harness.findings import Finding, Severity
from harness.report.github import render_github
from harness.report.model import Report
from harness.report.sarif import render_sarif

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def report(linter) -> Report:
    findings = linter.run(
        "create table public.notes (id uuid primary key, author uuid references auth.users (id));\n"
        "create policy p on auth.users using (true);"
    )
    findings.append(
        Finding(
            check="audit",
            rule="leak",
            severity=Severity.CRITICAL,
            message="coordinator of tenant A can select 4 rows of tenant B",
            table="public.notes",
            persona="coordinator",
            operation="select",
        )
    )
    return Report(command="check", findings=findings)


def test_sarif_is_valid_2_1_0(report):
    log = json.loads(render_sarif(report))
    jsonschema.validate(log, SCHEMA)
    [run] = log["runs"]
    assert len(run["results"]) == len(report.findings)


def test_sarif_rules_and_results(report):
    [run] = json.loads(render_sarif(report))["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {"lint/not-idempotent", "lint/foreign-policy", "audit/leak"} <= set(rules)
    assert rules["lint/foreign-policy"]["shortDescription"]["text"].startswith(
        "A migration under review changes the row level security"
    )
    assert rules["audit/leak"]["defaultConfiguration"]["level"] == "error"
    by_rule = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], result)
    region = by_rule["lint/not-idempotent"]["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"].endswith("_m1.sql") and region["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }
    assert by_rule["lint/table-without-comment"]["level"] == "note"
    assert by_rule["audit/leak"]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "public.notes"
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_empty_sarif_is_valid():
    jsonschema.validate(json.loads(render_sarif(Report(command="lint"))), SCHEMA)


def test_github_annotations(report):
    lines = render_github(report).splitlines()
    assert lines[0] == "::error title=audit/leak::public.notes: coordinator of tenant A can select 4 rows of tenant B"
    assert any(
        line.startswith(
            "::error file=supabase/migrations/20240101000001_m1.sql,line=1,col=1,title=lint/not-idempotent::"
        )
        for line in lines
    )
    assert any(line.startswith("::notice ") for line in lines)


def test_github_escapes_properties_and_data():
    finding = Finding(
        check="lint", rule="parse-error", severity=Severity.WARNING, message="50% done\nnext", file="a,b:c.sql", line=2
    )
    assert render_github(Report(command="lint", findings=[finding])) == (
        "::warning file=a%2Cb%3Ac.sql,line=2,title=lint/parse-error::50%25 done%0Anext\n"
    )
