"""Small helpers over pglast's AST: walking, qualified names, options, key constraints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

DEFAULT_SCHEMA = "public"


def iter_nodes(root: Any, skip: type | tuple[type, ...] = ()) -> Iterator[ast.Node]:
    """Every AST node below (and including) `root`, depth first; `skip` nodes are not entered."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Node):
            if skip and isinstance(item, skip):
                continue
            yield item
            for attr in item.__slots__:
                value = getattr(item, attr, None)
                if isinstance(value, (ast.Node, tuple)):
                    stack.append(value)
        elif isinstance(item, tuple):
            stack.extend(reversed(item))


def qualify(schema: str | None, name: str) -> str:
    """`schema.name`, unqualified names taken to live in `public`."""
    return f"{schema or DEFAULT_SCHEMA}.{name}"


def relation_name(rv: ast.RangeVar) -> str:
    return qualify(rv.schemaname, rv.relname)


def dotted(names: Iterable[Any]) -> str:
    """A name list (`String` nodes) qualified with `public` when it has one part."""
    parts = [n.sval for n in names if isinstance(n, ast.String)]
    if len(parts) == 1:
        return qualify(None, parts[0])
    return ".".join(parts[-2:])


def func_name(call: ast.FuncCall) -> str:
    return dotted(call.funcname)


def last_name(names: Iterable[Any]) -> str:
    parts = [n.sval for n in names if isinstance(n, ast.String)]
    return parts[-1] if parts else ""


def option(options: Iterable[Any] | None, name: str) -> ast.DefElem | None:
    for item in options or ():
        if isinstance(item, ast.DefElem) and item.defname == name:
            return item
    return None


def is_true(value: Any) -> bool:
    """Whether an option value (`true`, `on`, `1`, a Boolean node) means true."""
    if isinstance(value, ast.Boolean):
        return bool(value.boolval)
    if isinstance(value, ast.Integer):
        return value.ival != 0
    if isinstance(value, ast.String):
        return value.sval.lower() in ("true", "on", "1", "yes")
    return value is None  # a bare `security_invoker` means true


def is_true_const(expr: Any) -> bool:
    """The expression is the constant `true`."""
    return isinstance(expr, ast.A_Const) and isinstance(expr.val, ast.Boolean) and bool(expr.val.boolval)


def role_names(roles: Iterable[Any] | None) -> list[str]:
    """Role names of a policy or grant; `public` for PUBLIC, the keyword for CURRENT_USER and friends."""
    names = []
    for spec in roles or ():
        if spec.rolename:
            names.append(spec.rolename)
        else:
            names.append(spec.roletype.name.removeprefix("ROLESPEC_").lower())
    return names


@dataclass(frozen=True)
class KeyConstraint:
    """A primary key, unique or foreign key constraint, column-level ones normalised to table-level."""

    kind: str  # "primary", "unique" or "foreign"
    columns: tuple[str, ...]
    name: str | None = None
    ref_table: str | None = None
    on_delete: str | None = None  # pg's action letter: a = no action (the default), c, n, d, r

    def describe(self, table: str) -> str:
        return (
            f"{'foreign key' if self.kind == 'foreign' else self.kind + ' key'} ({', '.join(self.columns)}) of {table}"
        )


_KINDS = {
    ConstrType.CONSTR_PRIMARY: "primary",
    ConstrType.CONSTR_UNIQUE: "unique",
    ConstrType.CONSTR_FOREIGN: "foreign",
}


def key_constraint(con: ast.Constraint, column: str | None = None) -> KeyConstraint | None:
    kind = _KINDS.get(con.contype)
    if kind is None:
        return None
    if kind == "foreign":
        cols = con.fk_attrs
    else:
        cols = con.keys
    columns = tuple(c.sval for c in cols) if cols else ((column,) if column else ())
    ref = relation_name(con.pktable) if kind == "foreign" and con.pktable else None
    return KeyConstraint(kind, columns, con.conname, ref, con.fk_del_action if kind == "foreign" else None)


def column_constraints(col: ast.ColumnDef) -> Iterator[KeyConstraint]:
    for con in col.constraints or ():
        key = key_constraint(con, col.colname)
        if key is not None:
            yield key


def table_elements(elements: Iterable[Any] | None) -> Iterator[ast.ColumnDef | KeyConstraint]:
    """Columns and key constraints of a CREATE TABLE element list (column-level keys follow their column)."""
    for element in elements or ():
        if isinstance(element, ast.ColumnDef):
            yield element
            yield from column_constraints(element)
        elif isinstance(element, ast.Constraint):
            key = key_constraint(element)
            if key is not None:
                yield key


def added_elements(stmt: ast.AlterTableStmt) -> Iterator[ast.ColumnDef | KeyConstraint]:
    """Columns and key constraints that an ALTER TABLE adds."""
    for cmd in stmt.cmds or ():
        if cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield cmd.def_
            yield from column_constraints(cmd.def_)
        elif cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            key = key_constraint(cmd.def_)
            if key is not None:
                yield key


def type_name(col: ast.ColumnDef) -> str:
    return last_name(col.typeName.names) if col.typeName else ""


_ROUTINES = {"function", "procedure", "routine", "aggregate"}
_ON_TABLE = {"policy", "trigger", "rule"}


def object_kind(objtype: Any) -> str:
    """`OBJECT_MATVIEW` -> "matview"; functions, procedures and routines are all "function"."""
    kind = objtype.name.removeprefix("OBJECT_").lower()
    return "function" if kind in _ROUTINES else kind


def drop_keys(stmt: ast.DropStmt) -> list[tuple[str, ...]]:
    """What a DROP removes, as keys: (kind, name) or (kind, table, name) for policies and triggers."""
    kind = object_kind(stmt.removeType)
    keys: list[tuple[str, ...]] = []
    for obj in stmt.objects or ():
        if isinstance(obj, ast.TypeName):
            keys.append((kind, dotted(obj.names)))
        elif isinstance(obj, ast.ObjectWithArgs):
            keys.append((kind, dotted(obj.objname)))
        elif isinstance(obj, ast.String):
            keys.append((kind, obj.sval))
        elif isinstance(obj, tuple) and kind in _ON_TABLE:
            keys.append((kind, dotted(obj[:-1]), obj[-1].sval))
        elif isinstance(obj, tuple):
            keys.append((kind, dotted(obj)))
    return keys
