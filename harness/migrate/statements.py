"""Split a migration file into statements that know where they stand (1-based line and column)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pglast import parser


@dataclass(frozen=True)
class Statement:
    sql: str
    offset: int  # character offset of the statement's first token in the file


class SourceMap:
    """Character offsets of one text -> 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._starts.append(index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _skip_trivia(text: str, start: int, end: int) -> int:
    """The offset of the first token at or after `start`: past blanks and comments."""
    i = start
    while i < end:
        if text[i].isspace():
            i += 1
        elif text.startswith("--", i):
            newline = text.find("\n", i)
            i = end if newline == -1 else newline + 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = end if close == -1 else close + 2
        else:
            break
    return i


def split_statements(text: str) -> list[Statement]:
    """Statements in file order. Uses PostgreSQL's parser, and its scanner when the file does not parse
    (the server then reports the syntax error with its position)."""
    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
    except parser.ParseError:
        slices = parser.split(text, with_parser=False, only_slices=True)
    statements = []
    for piece in slices:
        start = _skip_trivia(text, piece.start, piece.stop)
        body = text[start : piece.stop].strip().rstrip(";").strip()
        if body:
            statements.append(Statement(sql=body, offset=start))
    return statements
