"""`[rules]` in harness.toml: a rule's severity changed, or the rule turned off.

    [rules]
    "not-idempotent" = "warning"        # every check's rule of that id
    "catalog/rls-not-forced" = "off"     # one check's rule only

Keys are validated against every rule the harness knows (an unknown id is a configuration error,
exit 2, with the file and line); the overrides apply to the findings of every command.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from harness.findings import Finding, Severity

LEVELS = ("off", "info", "warning", "error", "critical")


def known_rule_ids() -> set[str]:
    """Every `check/rule` id of the registry, and every bare rule id."""
    from harness.checks import all_rules

    full = {rule.key for rule in all_rules()}
    return full | {key.split("/", 1)[1] for key in full}


def unknown_rules(settings: Iterable[str]) -> list[str]:
    settings = list(settings)
    if not settings:
        return []  # no import of every rule registry for nothing
    known = known_rule_ids()
    return [rule for rule in settings if rule not in known]


def apply_rule_settings(findings: Iterable[Finding], settings: dict[str, str]) -> list[Finding]:
    """Findings with the configured severities; those of rules turned off are left out."""
    if not settings:
        return list(findings)
    out = []
    for finding in findings:
        level = settings.get(f"{finding.check}/{finding.rule}", settings.get(finding.rule))
        if level is None:
            out.append(finding)
        elif level != "off":
            out.append(dataclasses.replace(finding, severity=Severity(level)))
    return out


def describe_rule_settings(settings: dict[str, str]) -> str:
    """For the report header: `rules changed: not-idempotent → warning, rls-not-forced → off`."""
    return "rules changed: " + ", ".join(f"{rule} → {level}" for rule, level in sorted(settings.items()))
