"""Where mutants can be placed: every statement of a migration file, and the statements inside its DO
blocks (plain SQL and literal EXECUTE strings) and function bodies (SQL and plpgsql).

Each `Site` carries its statement as a pglast tree and a `rebuild` function that returns the whole
file's text with that statement replaced by other SQL (or removed). Nested statements are rebuilt
inside their body, and the enclosing DO or CREATE FUNCTION is deparsed around the new body; the rest
of the file keeps its text and its line numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pglast
from pglast import ast
from pglast.parser import ParseError

from harness.lint import plpgsql
from harness.mutate.tree import deparse
from harness.sql import fastparse
from harness.sql.nodes import dotted, option
from harness.sql.source import SourceText, skip_trivia

Rebuild = Callable[[str | None], str]  # replacement SQL (None: remove the statement) -> the file's text

# What stands in for a removed statement inside a plpgsql body: a no-op statement, a no-op EXECUTE.
NO_OP = {"sql": "null", "execute": "'select null'"}


@dataclass(frozen=True)
class Site:
    node: ast.Node  # the statement, parsed with pglast's validating parser
    line: int  # where the statement starts
    top_line: int  # where its top-level statement starts (the same at the top level)
    context: str  # "" at the top level, else e.g. "DO block", "function public.f()"
    removable: bool  # a statement can be taken out here (not from an SQL function's body)
    rebuild: Rebuild


def file_sites(text: str) -> list[Site]:
    """Every site of a migration file, in file order (a nested statement after its container)."""
    source = SourceText(text)
    sites: list[Site] = []
    for start, end in _statement_spans(text):
        node = _parse_one(text[start:end])
        if node is None:
            continue
        line = source.position(start)[0]
        rebuild = _splicer(text, start, end, "")
        sites.extend(_expand(node, text[start:end], line, line, "", True, rebuild))
    return sites


def _statement_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each statement, without comments before it or its `;`.
    From the parser's own locations (pglast's `split` can point into an earlier statement when
    the same text occurs twice). A file that does not parse has none: it cannot be mutated."""
    try:
        pieces = fastparse.parse_sql(text)
    except ParseError:
        return []
    spans = []
    for _, location, length in pieces:
        end = location + length if length else len(text)
        start = skip_trivia(text, location, end)
        while end > start and (text[end - 1].isspace() or text[end - 1] == ";"):
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _parse_one(sql: str) -> ast.Node | None:
    try:
        parsed = pglast.parse_sql(sql)
    except ParseError:
        return None
    return parsed[0].stmt if len(parsed) == 1 else None


def _splicer(text: str, start: int, end: int, removed: str) -> Rebuild:
    """Replace text[start:end]; keep the line count, so later statements keep their lines."""
    lines = text.count("\n", start, end)

    def rebuild(sql: str | None) -> str:
        new = removed if sql is None else sql
        return text[:start] + new + "\n" * max(0, lines - new.count("\n")) + text[end:]

    return rebuild


def _expand(node: ast.Node, sql: str, line: int, top_line: int, context: str, removable: bool,
            rebuild: Rebuild) -> Iterator[Site]:
    yield Site(node, line, top_line, context, removable, rebuild)
    if isinstance(node, ast.DoStmt):
        yield from _do_sites(node, sql, line, top_line, rebuild)
    elif isinstance(node, ast.CreateFunctionStmt):
        yield from _function_sites(node, sql, line, top_line, rebuild)


def _with_body(container: ast.Node, body: str, outer: Rebuild) -> str:
    """The file's text with the DO / CREATE FUNCTION `container` deparsed around a new body."""
    rebuilt = copy.deepcopy(container)
    options = rebuilt.args if isinstance(rebuilt, ast.DoStmt) else rebuilt.options
    as_option = option(options, "as")
    assert as_option is not None
    as_option.arg = ast.String(sval=body) if isinstance(rebuilt, ast.DoStmt) else (ast.String(sval=body),)
    return outer(deparse(rebuilt))


def _body_line(sql: str, body: str, line: int) -> int:
    offset = sql.find(body)
    return line + (sql.count("\n", 0, offset) if offset >= 0 else 0)


def _do_sites(node: ast.DoStmt, sql: str, line: int, top_line: int, outer: Rebuild) -> Iterator[Site]:
    language = option(node.args, "language")
    body_option = option(node.args, "as")
    if body_option is None or (language is not None and language.arg.sval.lower() != "plpgsql"):
        return
    yield from _plpgsql_sites(node, sql, body_option.arg.sval, line, top_line, "DO block", outer)


def _function_sites(node: ast.CreateFunctionStmt, sql: str, line: int, top_line: int,
                    outer: Rebuild) -> Iterator[Site]:
    body_option = option(node.options, "as")
    if body_option is None or not body_option.arg or len(body_option.arg) != 1:
        return
    body = body_option.arg[0].sval
    language_option = option(node.options, "language")
    language = language_option.arg.sval.lower() if language_option else "sql"
    context = f"function {dotted(node.funcname)}"
    if language == "plpgsql":
        yield from _plpgsql_sites(node, sql, body, line, top_line, context, outer)
    elif language == "sql":
        base = _body_line(sql, body, line)
        for start, end in _statement_spans(body):
            inner = _parse_one(body[start:end])
            if inner is None:
                continue
            splice = _splicer(body, start, end, "")

            def rebuild(new: str | None, splice: Rebuild = splice) -> str:
                return _with_body(node, splice(new), outer)

            yield from _expand(inner, body[start:end], base + body.count("\n", 0, start), top_line,
                               context, False, rebuild)


def _plpgsql_sites(container: ast.Node, sql: str, body: str, line: int, top_line: int, context: str,
                   outer: Rebuild) -> Iterator[Site]:
    """The SQL statements of a plpgsql body, and the literal SQL of its EXECUTE statements."""
    try:
        fragments = plpgsql.fragments(sql)
    except ParseError:
        return
    base = _body_line(sql, body, line)
    for fragment in fragments:
        if fragment.kind not in ("sql", "execute"):
            continue
        start = body.find(fragment.query, _line_start(body, fragment.lineno))
        if start < 0:
            continue
        end = start + len(fragment.query)
        if fragment.kind == "sql":
            inner_sql, where, quote = fragment.query, context, _plain
        else:
            literal = plpgsql.literal_sql(fragment.query)
            if literal is None:
                continue
            inner_sql, where, quote = literal, f"EXECUTE in {context}", _quoted
        inner = _parse_one(inner_sql)
        if inner is None:
            continue
        splice = _splicer(body, start, end, NO_OP[fragment.kind])

        def rebuild(new: str | None, splice: Rebuild = splice, quote: Callable[[str], str] = quote) -> str:
            return _with_body(container, splice(None if new is None else quote(new)), outer)

        yield from _expand(inner, inner_sql, base + fragment.lineno - 1, top_line, where, True, rebuild)


def _line_start(text: str, line: int) -> int:
    """The offset of a 1-based line of `text`."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _plain(sql: str) -> str:
    return sql


def _quoted(sql: str) -> str:
    """An SQL string literal holding `sql` (standard_conforming_strings, PostgreSQL's default)."""
    return "'" + sql.replace("'", "''") + "'"
