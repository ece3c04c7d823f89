"""A `-- harness: ignore <rule>` (or `ignore-file`) suppression gives no reason.

Why it matters: a suppression is a decision that a finding is acceptable; without the why, the next
reviewer cannot tell a considered exception from a silenced alarm. The suppression still applies.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class SuppressionWithoutReason(Rule):
    id = "suppression-without-reason"
    severity = Severity.WARNING
