"""pglast's AST, built fast: libpg_query's JSON output turned into `pglast.ast` nodes directly.

`pglast.parse_sql` validates every attribute through `Node.__setattr__`, which costs most of the
linter's time on a large history. The JSON parse is ~10x faster; this module builds the same
nodes from it (a test checks the trees are equal) by setting slots without validation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

from pglast import ast, enums
from pglast.parser import parse_sql_json

Converter = Callable[[Any], Any]
_CONSTANTS = {"ival": "Integer", "fval": "Float", "sval": "String", "bsval": "BitString", "boolval": "Boolean"}


def parse_sql(sql: str) -> list[tuple[ast.Node, int, int]]:
    """(statement, location, length) for each statement, in characters; length 0 means "to the end".

    Raises ParseError.
    """
    raws = _raw_statements(sql)
    return [(_tagged(raw["stmt"]), location, length) for raw, (location, length) in zip(raws, _spans(sql, raws))]


def statement_spans(sql: str) -> list[tuple[int, int]]:
    """(location, length) of each statement as the parser saw it, in characters; length 0 means "to
    the end". (pglast's `split` searches for each statement's text instead, and so misplaces a
    statement whose text also occurs earlier, inside a DO block or a function body.) Raises ParseError.
    """
    return _spans(sql, _raw_statements(sql))


def _raw_statements(sql: str) -> list[dict[str, Any]]:
    stmts: list[dict[str, Any]] = json.loads(parse_sql_json(sql)).get("stmts", [])
    return stmts


def _spans(sql: str, raws: list[dict[str, Any]]) -> list[tuple[int, int]]:
    spans = [(raw.get("stmt_location", 0), raw.get("stmt_len", 0)) for raw in raws]
    return spans if sql.isascii() else _characters(sql.encode(), spans)


def _characters(encoded: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """libpg_query's byte offsets as character offsets, in one pass over the text (statement
    boundaries fall between characters, so each slice between two of them decodes on its own)."""
    chars = {0: 0}
    previous = 0
    for offset in sorted({offset for start, length in spans for offset in (start, start + length)}):
        chars[offset] = chars[previous] + len(encoded[previous:offset].decode("utf-8", errors="replace"))
        previous = offset
    return [(chars[start], chars[start + length] - chars[start] if length else 0) for start, length in spans]


def parse_statements(sql: str) -> tuple[ast.Node, ...]:
    return tuple(node for node, _, _ in parse_sql(sql))


def _tagged(value: dict[str, Any]) -> Any:
    """A `{"NodeType": {...fields}}` value; `List` becomes a tuple, as pglast does; `{}` is a NULL."""
    if not value:
        return None
    ((tag, fields),) = value.items()
    if tag == "List":
        return tuple(_tagged(item) for item in fields.get("items", ()))
    return _build(tag, fields)


def _build(tag: str, fields: dict[str, Any]) -> ast.Node:
    cls, plan = _plan(tag)
    node: ast.Node = object.__new__(cls)
    for slot, key, default, convert in plan:
        value = fields.get(key)
        object.__setattr__(node, slot, default if value is None else convert(value))
    if tag == "A_Const":
        for key, constant in _CONSTANTS.items():
            if key in fields:
                object.__setattr__(node, "val", _build(constant, fields[key]))
    return node


@lru_cache(maxsize=None)
def _plan(tag: str) -> tuple[type[ast.Node], list[tuple[str, str, Any, Converter]]]:
    cls: type[ast.Node] = getattr(ast, tag)
    plan: list[tuple[str, str, Any, Converter]] = []
    for slot, info in cls.__slots__.items():
        if tag == "A_Const" and slot == "val":
            plan.append((slot, slot, None, _identity))
            continue
        default, convert = _converter(info.c_type)
        plan.append((slot, slot.rstrip("_"), default, convert))
    return cls, plan


def _identity(value: Any) -> Any:
    return value


def _converter(ctype: str) -> tuple[Any, Converter]:
    """Default value and converter of a slot, by its C type."""
    if ctype == "List*":
        return None, lambda items: tuple(_tagged(item) for item in items)
    if ctype in ("Node*", "Expr*"):
        return None, _tagged
    if ctype == "char*":
        return None, str
    if ctype == "bool":
        return False, bool
    if ctype == "char":
        return "\x00", str
    enum = getattr(enums, ctype, None)
    if enum is not None:
        return next(iter(enum)), lambda name: enum[name]
    name = ctype.rstrip("*")
    if hasattr(ast, name):
        return None, lambda fields: _build(name, fields)
    if ctype.endswith("*"):
        return None, _identity
    return 0, _identity
