"""Inline suppressions: `-- harness: ignore <rule>[,<rule>] <reason>` and `-- harness: ignore-file ...`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from harness.lint.source import SourceText

DIRECTIVE_RE = re.compile(r"--\s*harness:\s*(?P<kind>ignore-file|ignore)\b(?P<rest>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class SuppressionProblem:
    """A directive that is itself wrong: no reason given, or a rule that does not exist."""

    line: int
    rule: str  # the lint rule that reports it
    message: str


@dataclass
class Suppressions:
    file_rules: set[str] = field(default_factory=set)
    line_rules: dict[int, set[str]] = field(default_factory=dict)
    problems: list[SuppressionProblem] = field(default_factory=list)

    def covers(self, rule: str, lines: Iterable[int], source: SourceText) -> bool:
        """True when `rule` is ignored for the whole file or in the comment block above any of `lines`."""
        if rule in self.file_rules:
            return True
        if not self.line_rules:
            return False
        for line in lines:
            above = line - 1
            while above >= 1 and source.line_text(above).lstrip().startswith("--"):
                if rule in self.line_rules.get(above, ()):
                    return True
                above -= 1
        return False


def parse_suppressions(source: SourceText, known_rules: set[str]) -> Suppressions:
    """Every directive of a file, and what is wrong with them."""
    found = Suppressions()
    if "harness:" not in source.text.lower():
        return found
    for number in range(1, source.line_count + 1):
        match = DIRECTIVE_RE.search(source.line_text(number))
        if match is None:
            continue
        kind = match["kind"].lower()
        words = match["rest"].split(None, 1)
        if not words:
            found.problems.append(SuppressionProblem(number, "unknown-suppression", f"`harness: {kind}` names no rule"))
            continue
        rules = {r for r in words[0].split(",") if r}
        for rule in sorted(rules - known_rules):
            found.problems.append(
                SuppressionProblem(number, "unknown-suppression", f"`harness: {kind}` names unknown rule {rule!r}")
            )
        if len(words) == 1:
            found.problems.append(
                SuppressionProblem(
                    number,
                    "suppression-without-reason",
                    f"`harness: {kind} {words[0]}` gives no reason; say why after the rule id",
                )
            )
        if kind == "ignore-file":
            found.file_rules |= rules
        else:
            found.line_rules.setdefault(number, set()).update(rules)
    return found
