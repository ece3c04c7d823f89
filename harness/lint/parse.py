"""Turning a migration file into statements: top-level ones, and those inside DO blocks and EXECUTE strings."""

from __future__ import annotations

from dataclasses import dataclass, field

import pglast
from pglast import ast
from pglast.parser import ParseError

from harness.lint import plpgsql
from harness.lint.facts import (
    facts_of,
    fragment_facts,
    mentions_user_metadata,
    normalise,
)
from harness.lint.statement import BodyFacts, Note, Statement
from harness.sql import fastparse
from harness.sql.nodes import option
from harness.sql.source import SourceText, ascii_safe, skip_trivia


@dataclass
class ParsedFile:
    file: str
    source: SourceText
    statements: list[Statement] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def error_offset(sql: str, exc: ParseError) -> int | None:
    """The character offset of a syntax error (see `ascii_safe` for why the text is re-parsed)."""
    if not sql.isascii():
        try:
            pglast.parser.parse_sql_json(ascii_safe(sql))
        except ParseError as again:
            return again.args[1] if len(again.args) > 1 else None
    return exc.args[1] if len(exc.args) > 1 else None


def parse_file(text: str, file: str) -> ParsedFile:
    """Every statement of a file in execution order; a syntax error is a `parse-error` note and the rest is salvaged."""
    parsed = ParsedFile(file, SourceText(text))
    builder = _Builder(parsed)
    try:
        pieces = fastparse.parse_sql(text)
    except ParseError as exc:
        offset = error_offset(text, exc)
        line, column = parsed.source.position(offset) if offset is not None else (1, None)
        parsed.notes.append(Note("parse-error", line, f"not valid PostgreSQL: {exc.args[0]}", column))
        pieces = _salvage(text)
    for node, location, length in pieces:
        end = location + length if length else len(text)
        start = skip_trivia(text, location, end)
        line, column = parsed.source.position(start)
        builder.add(node, text[start:end], line, column, top_line=line)
    return parsed


def _salvage(text: str) -> list[tuple[ast.Node, int, int]]:
    """The statements that parse on their own, from a file that does not parse as a whole."""
    try:
        slices = pglast.parser.split(text, with_parser=False, only_slices=True)
    except ParseError:
        return []
    pieces: list[tuple[ast.Node, int, int]] = []
    for piece in slices:
        try:
            parsed = fastparse.parse_sql(text[piece])
        except ParseError:
            continue
        pieces.extend(
            (node, piece.start + location, length or piece.stop - piece.start - location)
            for node, location, length in parsed
        )
    return pieces


class _Builder:
    """Adds statements to a ParsedFile, opening DO blocks and function bodies as it goes."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed

    def add(
        self,
        node: ast.Node,
        text: str,
        line: int,
        column: int | None,
        top_line: int,
        nested: bool = False,
        guarded: bool = False,
    ) -> None:
        stmt = Statement(
            node, text, self.parsed.file, line, column, len(self.parsed.statements), top_line, nested, guarded
        )
        self.parsed.statements.append(stmt)
        if isinstance(node, ast.DoStmt):
            self._open_do(stmt)
        elif isinstance(node, ast.CreateFunctionStmt):
            stmt.body = self._function_body(stmt)

    def _note(self, rule: str, line: int, message: str, anchor: int | None = None) -> None:
        self.parsed.notes.append(Note(rule, line, message, anchor_line=anchor))

    def _not_analysed(self, stmt: Statement, what: str, exc: ParseError) -> None:
        """A syntax error in a plpgsql body is a `parse-error`. Any other complaint comes from checks
        libpg_query's plpgsql parser makes without a catalog, which reject bodies PostgreSQL accepts
        (a field of a %ROWTYPE variable, ...): the server is the authority there, so it is `info`."""
        message = str(exc.args[0])
        if message.startswith("syntax error"):
            self._note("parse-error", stmt.line, f"{what} body is not valid plpgsql: {message}")
        else:
            self._note("body-not-analysed", stmt.line, f"body not analysed: {what} body: {message}")

    def _open_do(self, stmt: Statement) -> None:
        language = option(stmt.node.args, "language")
        body = option(stmt.node.args, "as")
        if body is None or (language is not None and language.arg.sval.lower() != "plpgsql"):
            return
        try:
            found = plpgsql.fragments(stmt.text)
        except ParseError as exc:
            self._not_analysed(stmt, "DO block", exc)
            return
        base = _body_line(stmt, body.arg.sval)
        for fragment in found:
            line = base + fragment.lineno - 1
            if fragment.kind == "sql":
                self._add_nested(fragment.query, line, stmt, fragment.guarded)
            elif fragment.kind == "execute":
                sql = plpgsql.literal_sql(fragment.query)
                if sql is None:
                    self._note(
                        "dynamic-sql",
                        line,
                        f"EXECUTE {_short(fragment.query)}: dynamic SQL the linter cannot read",
                        stmt.top_line,
                    )
                elif not self._add_nested(sql, line, stmt, fragment.guarded):
                    self._note(
                        "dynamic-sql",
                        line,
                        f"EXECUTE string does not parse, the linter cannot read it: {_short(sql)}",
                        stmt.top_line,
                    )

    def _add_nested(self, sql: str, line: int, parent: Statement, guarded: bool) -> bool:
        try:
            parsed = fastparse.parse_sql(sql)
        except ParseError:
            return False
        for node, location, length in parsed:
            end = location + length if length else len(sql)
            start = skip_trivia(sql, location, end)
            self.add(
                node,
                sql[start:end],
                line + sql.count("\n", 0, start),
                None,
                parent.top_line,
                nested=True,
                guarded=guarded or parent.guarded,
            )
        return True

    def _function_body(self, stmt: Statement) -> BodyFacts | None:
        node: ast.CreateFunctionStmt = stmt.node
        if node.sql_body:
            atomic = stmt.text.lower().find("begin atomic")
            return facts_of([node.sql_body], "sql:" + normalise(stmt.text[atomic:]))
        body_option = option(node.options, "as")
        if body_option is None or not body_option.arg:
            return None
        body = body_option.arg[0].sval
        language_option = option(node.options, "language")
        language = language_option.arg.sval.lower() if language_option else "sql"
        key = f"{language}:{normalise(body)}"
        fallback = BodyFacts(reads_user_metadata=mentions_user_metadata(body), key=key)
        if language == "sql":
            try:
                return facts_of([fastparse.parse_statements(body)], key)
            except ParseError as exc:
                offset = error_offset(body, exc) or 0
                line = _body_line(stmt, body) + body.count("\n", 0, offset)
                self._note("parse-error", line, f"body of function is not valid SQL: {exc.args[0]}")
                return fallback
        if language == "plpgsql":
            try:
                found = plpgsql.fragments(stmt.text)
            except ParseError as exc:
                self._not_analysed(stmt, "function", exc)
                return fallback
            return fragment_facts(((f.query, f.mode) for f in found), key)
        return fallback


def _body_line(stmt: Statement, body: str) -> int:
    """The line where a quoted body starts (its opening quote's line)."""
    offset = stmt.text.find(body)
    return stmt.line + (stmt.text.count("\n", 0, offset) if offset >= 0 else 0)


def _short(text: str, width: int = 60) -> str:
    text = normalise(text)
    return text if len(text) <= width else text[: width - 1] + "…"
