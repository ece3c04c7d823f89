"""A reviewer's mark on an equivalent mutant: `-- harness: equivalent <operator> <reason>` in the
comment block right above a statement (top-level, or inside a DO block or function body) says that
this operator's mutants of that statement change nothing observable, and why. The reason is
required; a mark that names no known operator or gives no reason is an error (exit 2)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from harness.findings import HarnessError
from harness.sql.directives import comment_block_above, read_directives
from harness.sql.source import SourceText


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
            for above in comment_block_above(self._source, line):
                reason = self._reasons.get((above, operator))
                if reason is not None:
                    return reason
        return None


def read_marks(text: str, file: str, operators: Collection[str]) -> Marks:
    """Every mark of a file. Raises HarnessError for a mark without a known operator or a reason."""
    source = SourceText(text)
    reasons: dict[tuple[int, str], str] = {}
    for mark in read_directives(source, ("equivalent",)):
        number = mark.line
        operator = mark.names[0] if len(mark.names) == 1 else ",".join(mark.names)
        if not mark.names or operator not in operators:
            named = f"names unknown operator {operator!r}" if mark.names else "names no operator"
            raise HarnessError(f"{file}:{number}: `harness: equivalent` {named} "
                               f"(operators: {', '.join(sorted(operators))})")
        if not mark.reason:
            raise HarnessError(f"{file}:{number}: `harness: equivalent {operator}` gives no reason; "
                               "say why the mutant changes nothing observable after the operator")
        reasons[(number, operator)] = mark.reason
    return Marks(source, reasons)
