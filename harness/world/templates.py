"""The [tenancy] and [tables] SQL templates: placeholders, and which tables a template writes."""

from __future__ import annotations

import pglast

PLACEHOLDER_IDS = {"{user}": "00000000-0000-0000-0000-0000000000a1", "{tenant}": "00000000-0000-0000-0000-0000000000b2"}


def render(template: str, user: str = "", tenant: str = "", role: str = "", owner: str = "") -> str:
    """Placeholders are plain text (CONTRACT.md §3): templates quote them themselves. `{owner}`: the
    tenant's primary owner (tenant templates only)."""
    text = template.replace("{user}", user).replace("{tenant}", tenant).replace("{role}", role)
    return text.replace("{owner}", owner)


def inserted_tables(template: str) -> list[str]:
    """The tables a template inserts into, schema-qualified, in order (read from the SQL, never
    guessed from what changed in the database). Empty when the text does not parse."""
    from harness.sql.nodes import iter_nodes, relation_name

    text = render(template, PLACEHOLDER_IDS["{user}"], PLACEHOLDER_IDS["{tenant}"], "role", PLACEHOLDER_IDS["{user}"])
    try:
        statements = pglast.parse_sql(text)
    except pglast.parser.ParseError:
        return []
    names = [relation_name(node.relation) for node in iter_nodes(statements)
             if isinstance(node, pglast.ast.InsertStmt) and node.relation is not None]
    return list(dict.fromkeys(names))
