"""What the rules see: one SQL statement of a migration, top-level or found inside a DO block."""

from __future__ import annotations

from dataclasses import dataclass

from pglast import ast


@dataclass(frozen=True)
class BodyFacts:
    """What a function body or policy expression does that the rules care about."""

    calls: frozenset[str] = frozenset()  # qualified names of the functions it calls
    reads_user_metadata: bool = False
    key: str = ""  # the normalised body, to tell a real redefinition from a re-run


@dataclass
class Statement:
    node: ast.Node
    text: str
    file: str  # relative to the project root
    line: int  # 1-based line of the statement's first token
    column: int | None  # 1-based; None inside DO blocks, where only the line is known
    index: int  # running number within the file, nested statements included
    top_line: int  # line of the enclosing top-level statement (itself when top-level)
    nested: bool = False  # inside a DO block or a literal EXECUTE string
    guarded: bool = False  # inside a catalog-checking IF or a duplicate-object exception handler
    body: BodyFacts | None = None  # for CREATE FUNCTION: facts about the body

    @property
    def anchor_lines(self) -> tuple[int, ...]:
        """Lines whose comment block above may hold a suppression for this statement."""
        return (self.line,) if self.line == self.top_line else (self.line, self.top_line)


@dataclass(frozen=True)
class Note:
    """A finding the parser itself makes (parse-error, dynamic-sql), before any rule runs."""

    rule: str
    line: int
    message: str
    column: int | None = None
    anchor_line: int | None = None
