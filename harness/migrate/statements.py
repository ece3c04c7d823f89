"""Split a migration file into statements that know where they start (a character offset)."""

from __future__ import annotations

from dataclasses import dataclass

from pglast import parser

from harness.sql.fastparse import statement_spans
from harness.sql.source import skip_trivia


@dataclass(frozen=True)
class Statement:
    sql: str
    offset: int  # character offset of the statement's first token in the file


def split_statements(text: str) -> list[Statement]:
    """Statements in file order. Uses PostgreSQL's parser, and its scanner when the file does not parse
    (the server then reports the syntax error with its position)."""
    try:
        slices = [slice(start, start + length if length else len(text)) for start, length in statement_spans(text)]
    except parser.ParseError:
        try:
            slices = list(parser.split(text, with_parser=False, only_slices=True))
        except parser.ParseError:
            # Not even the scanner gets through (an unterminated quote, dollar quote or comment, an
            # empty "" identifier): send the whole file, so the server reports the error and its
            # position, exactly as `supabase db push` would see it.
            slices = []
    statements = []
    for piece in slices:
        start = skip_trivia(text, piece.start, piece.stop)
        body = text[start : piece.stop].strip().rstrip(";").strip()
        if body:
            statements.append(Statement(sql=body, offset=start))
    first = skip_trivia(text, 0, len(text))
    if not statements and first < len(text):
        # The scanner gives no slice at all for some broken files (an unclosed parenthesis): send the
        # whole file, so the server reports the error instead of the file passing as empty.
        statements.append(Statement(sql=text[first:].strip(), offset=first))
    return statements
