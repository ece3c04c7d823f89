"""Positions in a migration's text: offsets to 1-based lines and columns, statement starts."""

from __future__ import annotations

from bisect import bisect_right


class SourceText:
    """A file's text with a line index, so offsets map to (line, column) cheaply."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        index = text.find("\n")
        while index != -1:
            self._starts.append(index + 1)
            index = text.find("\n", index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        if not 1 <= line <= len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self._starts)


def skip_trivia(text: str, offset: int, end: int | None = None) -> int:
    """The offset of the first token at or after `offset`: whitespace and comments skipped."""
    end = len(text) if end is None else end
    while offset < end:
        char = text[offset]
        if char.isspace():
            offset += 1
        elif text.startswith("--", offset):
            newline = text.find("\n", offset)
            offset = end if newline == -1 else newline + 1
        elif text.startswith("/*", offset):
            offset = _block_comment_end(text, offset)
        else:
            break
    return min(offset, end)


def _block_comment_end(text: str, offset: int) -> int:
    """Offset just past a (possibly nested) block comment starting at `offset`."""
    depth = 0
    while offset < len(text):
        if text.startswith("/*", offset):
            depth += 1
            offset += 2
        elif text.startswith("*/", offset):
            depth -= 1
            offset += 2
            if depth == 0:
                return offset
        else:
            offset += 1
    return offset


def ascii_safe(text: str) -> str:
    """`text` with every non-ASCII character replaced by one ASCII letter.

    pglast reports syntax-error positions in a mix of bytes and characters; on ASCII text the two
    agree, so the error position found on this copy is the right character offset.
    """
    return text if text.isascii() else "".join(c if c < "\x80" else "x" for c in text)
