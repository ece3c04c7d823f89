"""The `-- harness: <verb> <names> <reason>` comments a project writes in its SQL.

Three verbs exist: `ignore` / `ignore-file` (lint suppressions, also honoured by the dynamic
foreign-policy check) and `equivalent` (a reviewer's mark on an equivalent mutant). They share one
grammar and one rule for where they apply: the block of `--` comment lines right above a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from harness.sql.source import SourceText

DIRECTIVE_RE = re.compile(r"--\s*harness:\s*(?P<verb>ignore-file|ignore|equivalent)\b(?P<rest>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Directive:
    line: int  # 1-based
    verb: str  # lower case: ignore, ignore-file, equivalent
    names: tuple[str, ...]  # the comma-separated first word: rule ids or operator names
    reason: str  # what follows the names ("" when none was given)

    @property
    def written(self) -> str:
        """The directive as a message quotes it: `harness: ignore not-idempotent`."""
        return " ".join(["harness:", self.verb, ",".join(self.names)]).rstrip()


def read_directives(source: SourceText, verbs: tuple[str, ...]) -> Iterator[Directive]:
    """Every directive of one of `verbs` in a file, in line order."""
    if "harness:" not in source.text.lower():
        return
    for number in range(1, source.line_count + 1):
        match = DIRECTIVE_RE.search(source.line_text(number))
        if match is None or match["verb"].lower() not in verbs:
            continue
        words = match["rest"].split(None, 1)
        names = tuple(n for n in words[0].split(",") if n) if words else ()
        reason = words[1].strip() if len(words) > 1 else ""
        yield Directive(number, match["verb"].lower(), names, reason)


def comment_block_above(source: SourceText, line: int) -> range:
    """The lines of the `--` comments right above `line` (empty when there are none)."""
    first = line
    while first > 1 and source.line_text(first - 1).lstrip().startswith("--"):
        first -= 1
    return range(first, line)
