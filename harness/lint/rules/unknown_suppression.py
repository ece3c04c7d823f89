"""A `-- harness: ignore` suppression names no rule, or a rule that does not exist.

Why it matters: a misspelt rule id suppresses nothing, so the finding it was meant for is still
reported (or, worse, the author believes a check is covered when it is not).
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class UnknownSuppression(Rule):
    id = "unknown-suppression"
    severity = Severity.WARNING
