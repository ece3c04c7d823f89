"""Writing TOML by hand, correctly: strings and keys escaped as the TOML 1.0 grammar requires (what
`harness init` writes must read back exactly, whatever a table, column or template contains)."""

from __future__ import annotations

import re

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for char in value:
        if char in ESCAPES:
            out.append(ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    """A bare key where the grammar allows one, else a quoted key."""
    return name if BARE_KEY.fullmatch(name) else string(name)


def array(values: list[str]) -> str:
    return "[" + ", ".join(string(v) for v in values) + "]"


def inline_table(pairs: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{key(k)} = {string(v)}" for k, v in pairs.items()) + " }"
