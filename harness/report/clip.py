"""Human reports show what a person reads; a 50 MB assertion description is not that.

rich lays out every line it prints (wrapping, markup, cell widths), which costs far more than linear
time on a line of megabytes. The text renderers clip each piece of project-made text here; the JSON,
SARIF and JUnit reports keep it whole.
"""

from __future__ import annotations

MAX_CHARS = 4_000  # per line of text shown
MAX_LINES = 200  # per block of lines shown (diagnostics, stderr, evidence)


def clip(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … [{len(text) - limit} more characters: --format json has them all]"


def clip_lines(text: str, limit: int = MAX_LINES) -> list[str]:
    """text.splitlines(), at most `limit` lines, each clipped, then a line saying how many were left
    out. Linear in the text, and reads no further than it shows."""
    lines: list[str] = []
    start = 0
    while start < len(text) and len(lines) < limit:
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        lines.append(clip(text[start:end].rstrip("\r")))
        start = end + 1
    if start < len(text):
        rest = text[start:]
        more = rest.count("\n") + (0 if rest.endswith("\n") else 1)
        lines.append(f"… [{more} more lines: --format json has them all]")
    return lines
