"""`[rules]` in harness.toml: severities changed or rules turned off, validated like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.config import ConfigError, load_config
from harness.findings import Finding, Severity
from harness.report.model import Report
from harness.review import finish_report
from harness.rule_settings import apply_rule_settings


def _config(tmp_path: Path, toml: str):  # type: ignore[no-untyped-def]
    (tmp_path / "harness.toml").write_text(toml, encoding="utf-8")
    return load_config(tmp_path)


def _finding(check: str, rule: str, severity: str = "error") -> Finding:
    return Finding(check=check, rule=rule, severity=Severity(severity), message="m")


def test_overrides_by_rule_id_or_by_check_and_rule(tmp_path: Path) -> None:
    config = _config(tmp_path, '[rules]\n"not-idempotent" = "warning"\n"catalog/rls-not-forced" = "off"\n'
                               '"lint/table-without-comment" = "critical"\n')
    findings = [_finding("lint", "not-idempotent"), _finding("migrate", "not-idempotent"),
                _finding("catalog", "rls-not-forced", "info"), _finding("lint", "table-without-comment", "info"),
                _finding("audit", "leak", "critical")]
    out = apply_rule_settings(findings, config.rules)
    assert [(f.check, f.rule, f.severity.value) for f in out] == [
        ("lint", "not-idempotent", "warning"), ("migrate", "not-idempotent", "warning"),
        ("lint", "table-without-comment", "critical"), ("audit", "leak", "critical")]


def test_the_report_header_says_which_rules_changed_and_the_gate_follows(tmp_path: Path) -> None:
    config = _config(tmp_path, '[rules]\n"not-idempotent" = "warning"\n')
    report = finish_report(Report(command="migrate", findings=[_finding("migrate", "not-idempotent")]), config, None)
    assert report.ok and report.header == ["rules changed: not-idempotent → warning"]


@pytest.mark.parametrize(("toml", "message"), [
    ('[project]\nseed = ""\n\n[rules]\n"not-a-rule" = "off"\n', "harness.toml:5: [rules.not-a-rule] unknown rule id"),
    ('[rules]\n"leak" = "fatal"\n', "harness.toml:2: [rules.leak] expected one of off, info, warning, error, critical"),
])
def test_unknown_rules_and_levels_are_configuration_errors(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, toml)
    assert message in str(caught.value)


def test_every_rule_id_can_be_configured(tmp_path: Path) -> None:
    from harness.catalog import rule_ids
    from harness.lint.rules import RULES_BY_ID

    ids = [*RULES_BY_ID, *rule_ids(), "shipped-migration-edited", "migration-order", "migration-error", "leak",
           "denied", "policy-error", "test-failed", "seq-scan", "too-slow"]
    ids = list(dict.fromkeys(ids))
    toml = "[rules]\n" + "".join(f'"{rule}" = "info"\n' for rule in ids)
    assert set(_config(tmp_path, toml).rules) == set(ids)
