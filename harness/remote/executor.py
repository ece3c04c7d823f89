"""Executors: run one read-only catalog query, get its rows as JSON-shaped dicts.

An `Executor` is all the drift logic and the catalog rules need from a database, so the same SQL
text runs on the live project (through the Management API) and on the local migrated database
(through psycopg), and both answers have the same shape: what JSON gives (str, bool, numbers,
lists, dicts, None).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Callable

import psycopg
from psycopg.rows import dict_row

from harness.remote.client import ManagementClient
from harness.remote.errors import QueryFailedError, RefusedQueryError
from harness.remote.guard import check_catalog_query

Rows = list[dict[str, Any]]
Executor = Callable[[str], Rows]


class CatalogQueries:
    """The query texts the harness built itself from its own .sql files; an executor sends no other."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}

    def file(self, package: str, name: str) -> str:
        """The text of a packaged .sql file, registered under its name."""
        text = resources.files(package).joinpath(*name.split("/")).read_text(encoding="utf-8")
        return self.add(text, f"{package.replace('.', '/')}/{name}")

    def add(self, text: str, label: str) -> str:
        check_catalog_query(text)
        self._labels[text] = label
        return text

    def label(self, text: str) -> str | None:
        return self._labels.get(text)


def guarded(send: Executor, queries: CatalogQueries) -> Executor:
    """`send`, for the registered catalog queries only; a failure names the query."""

    def run(text: str) -> Rows:
        label = queries.label(text)
        if label is None:
            raise RefusedQueryError("refused to send a query that the harness did not build from its own "
                                    "read-only catalog queries")
        try:
            return send(text)
        except QueryFailedError as exc:
            raise QueryFailedError(f"{label}: {exc}") from None

    return run


def remote_executor(client: ManagementClient, ref: str, queries: CatalogQueries) -> Executor:
    """The live project, through `POST /v1/projects/{ref}/database/query` with `read_only: true`."""
    return guarded(lambda text: client.run_query(ref, text, read_only=True), queries)


def local_executor(conn: psycopg.Connection, queries: CatalogQueries, search_path: str | None = None) -> Executor:
    """A local database, each query in a read-only transaction that is rolled back.

    `search_path` is the live project's: `pg_get_expr` and `regprocedure` leave out the schemas on
    the path, so both sides must print names under the same path to print them alike.
    """

    def send(text: str) -> Rows:
        with conn.transaction(force_rollback=True):
            conn.execute("set transaction read only")
            if search_path is not None:
                conn.execute("select set_config('search_path', %s, true)", [search_path])
            with conn.cursor(row_factory=dict_row) as cursor:
                try:
                    cursor.execute(text.encode("utf-8"))
                except psycopg.Error as exc:
                    raise QueryFailedError(f"the local database refused a catalog query: {exc}".strip()) from None
                rows = cursor.fetchall()
        plain: Rows = json.loads(json.dumps(rows, default=str))
        return plain

    return guarded(send, queries)
