"""Inline suppressions: `-- harness: ignore <rule>[,<rule>] <reason>` and `-- harness: ignore-file ...`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from harness.sql.directives import comment_block_above, read_directives
from harness.sql.source import SourceText


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
        return any(rule in self.line_rules.get(above, ()) for line in lines for above in comment_block_above(source, line))


def parse_suppressions(source: SourceText, known_rules: set[str]) -> Suppressions:
    """Every directive of a file, and what is wrong with them."""
    found = Suppressions()
    for directive in read_directives(source, ("ignore", "ignore-file")):
        number, kind = directive.line, directive.verb
        if not directive.names:
            found.problems.append(SuppressionProblem(number, "unknown-suppression", f"`harness: {kind}` names no rule"))
            continue
        rules = set(directive.names)
        for rule in sorted(rules - known_rules):
            found.problems.append(
                SuppressionProblem(number, "unknown-suppression", f"`harness: {kind}` names unknown rule {rule!r}")
            )
        if not directive.reason:
            found.problems.append(
                SuppressionProblem(
                    number,
                    "suppression-without-reason",
                    f"`{directive.written}` gives no reason; say why after the rule id",
                )
            )
        if kind == "ignore-file":
            found.file_rules |= rules
        else:
            found.line_rules.setdefault(number, set()).update(rules)
    return found
