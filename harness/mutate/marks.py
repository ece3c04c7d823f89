"""A reviewer's mark on an equivalent mutant: `-- harness: equivalent <operator> <reason>` in the
comment block right above a statement (top-level, or inside a DO block or function body) says that
this operator's mutants of that statement change nothing observable, and why. The reason is
required; a mark that names no known operator or gives no reason is an error (exit 2)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from harness.findings import HarnessError
from harness.lint.source import SourceText

MARK_RE = re.compile(r"--\s*harness:\s*equivalent\b(?P<rest>.*)$", re.IGNORECASE)


class Marks:
    """The marks of one file: (line, operator) -> reason."""

    def __init__(self, source: SourceText, reasons: dict[tuple[int, str], str]) -> None:
        self._source = source
        self._reasons = reasons

    def reason(self, operator: str, lines: Iterable[int]) -> str | None:
        """The reason of a mark for `operator` above any of `lines`, else None."""
        if not self._reasons:
            return None
        for line in lines:
            for above in self._comment_block(line):
                reason = self._reasons.get((above, operator))
                if reason is not None:
                    return reason
        return None

    def _comment_block(self, line: int) -> range:
        """The lines of the `--` comments right above `line`."""
        first = line
        while first > 1 and self._source.line_text(first - 1).lstrip().startswith("--"):
            first -= 1
        return range(first, line)


def read_marks(text: str, file: str, operators: Collection[str]) -> Marks:
    """Every mark of a file. Raises HarnessError for a mark without a known operator or a reason."""
    source = SourceText(text)
    reasons: dict[tuple[int, str], str] = {}
    if "harness:" not in text.lower():
        return Marks(source, reasons)
    for number in range(1, source.line_count + 1):
        match = MARK_RE.search(source.line_text(number))
        if match is None:
            continue
        words = match["rest"].split(None, 1)
        if not words or words[0] not in operators:
            named = f"names unknown operator {words[0]!r}" if words else "names no operator"
            raise HarnessError(f"{file}:{number}: `harness: equivalent` {named} "
                               f"(operators: {', '.join(sorted(operators))})")
        if len(words) < 2 or not words[1].strip():
            raise HarnessError(f"{file}:{number}: `harness: equivalent {words[0]}` gives no reason; "
                               "say why the mutant changes nothing observable after the operator")
        reasons[(number, words[0])] = words[1].strip()
    return Marks(source, reasons)
