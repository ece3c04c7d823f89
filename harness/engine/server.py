"""A running PostgreSQL server and the databases on it: connect, clone a template, drop.

The server (the process, owned by an engine) and its databases (cheap, many, short-lived) are
separate ideas with separate lifetimes, as in pytest-postgresql's executor and janitor.
"""

from __future__ import annotations

import itertools
import os
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import quote

import psycopg
from psycopg import sql

from harness.engine.time_limit import Limit
from harness.limits import DEFAULT_TIMEOUT_S

ADMIN_DB = "postgres"  # where CREATE / DROP DATABASE are issued from
PLATFORM_DB = "harness_platform"  # the Supabase-compatible template every project starts from


@dataclass
class Server:
    host: str  # a socket directory or a host name
    port: int
    user: str = "postgres"  # who migrations, seeds, suites and probes connect as
    # The harness's own superuser where it is not `user` (local engine: `supabase_admin`, as on
    # hosted Supabase, while `postgres` is NOSUPERUSER): creates and drops databases, loads the platform.
    admin_user: str | None = None
    db_owner: str | None = None  # owner of every database we create (None: whoever creates it)
    password: str | None = None
    tcp_port: int | None = None  # also reachable on 127.0.0.1:tcp_port (harness up --port)
    # FILE_COPY copies the template's files and checkpoints; with fsync off that is the fastest way
    # (6 ms against WAL_LOG's 11 ms here). None keeps the server's default (WAL_LOG), kinder to
    # a shared server.
    clone_strategy: str | None = None
    admin_db: str = ADMIN_DB  # where CREATE / DROP DATABASE are issued from
    platform_db: str = PLATFORM_DB  # the platform-loaded database every project starts from
    # True when the whole cluster is ours and throwaway (local, docker): cluster-wide settings such
    # as `pgrst.db_schemas` may then be written. False for --db-url: only scratch databases are.
    owns_cluster: bool = True
    # --timeout: how long one migration file, the seed or one suite may run (harness/engine/time_limit.py)
    timeout_s: float | None = DEFAULT_TIMEOUT_S
    # Every other connection parameter of a --db-url (sslmode, sslrootcert, options, ...), kept as given.
    params: dict[str, str] = field(default_factory=dict)
    scratch_prefix: str = ""  # put before every database name this object makes (a lease, on a --db-url)
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _token: str = field(default_factory=lambda: secrets.token_hex(3), repr=False)
    created: set[str] = field(default_factory=set, repr=False)  # databases we made and not yet dropped

    def conninfo(self, dbname: str, user: str | None = None, with_password: bool = True) -> str:
        params: dict[str, object] = {**self.params, "host": self.host, "port": self.port, "user": user or self.user,
                                     "dbname": dbname}
        if self.password and with_password:
            params["password"] = self.password
        return psycopg.conninfo.make_conninfo(**params)  # type: ignore[arg-type]

    def url(self, dbname: str, user: str | None = None) -> str:
        """A postgresql:// URL; with a TCP port when there is one, else via the socket folder."""
        who = quote(user or self.user)
        if self.password:
            who += ":" + quote(self.password)
        if self.tcp_port is not None:
            return f"postgresql://{who}@127.0.0.1:{self.tcp_port}/{quote(dbname)}"
        if self.host.startswith("/"):
            return f"postgresql://{who}@/{quote(dbname)}?host={quote(self.host, safe='')}&port={self.port}"
        return f"postgresql://{who}@{self.host}:{self.port}/{quote(dbname)}"

    def psql_command(self, dbname: str) -> str:
        if self.tcp_port is not None:
            return f"psql -h 127.0.0.1 -p {self.tcp_port} -U {self.user} -d {dbname}"
        return f"psql -h {self.host} -p {self.port} -U {self.user} -d {dbname}"

    def connect(self, dbname: str, *, autocommit: bool = True, user: str | None = None) -> psycopg.Connection:
        return psycopg.connect(self.conninfo(dbname, user), autocommit=autocommit)

    def connect_admin(self, dbname: str | None = None) -> psycopg.Connection:
        """An autocommit connection as the harness's own superuser (the platform, databases)."""
        return self.connect(dbname or self.admin_db, user=self.admin_user)

    def unique_name(self, prefix: str) -> str:
        with self._lock:
            return f"{self.scratch_prefix}{prefix}_{os.getpid()}_{self._token}_{next(self._names)}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """CREATE DATABASE name [TEMPLATE template]; nobody may be connected to the template."""
        query = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            query = sql.SQL("create database {} template {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
            if self.clone_strategy:
                query += sql.SQL(" strategy {}").format(sql.SQL(self.clone_strategy))
        if self.db_owner:
            query += sql.SQL(" owner {}").format(sql.Identifier(self.db_owner))
        with self.connect_admin() as conn:
            conn.execute(query)
        with self._lock:
            self.created.add(name)
        return name

    def clone(self, template: str, prefix: str = "h") -> str:
        """A fresh database copied from `template`; returns its name."""
        return self.create_database(self.unique_name(prefix), template)

    def drop_database(self, name: str) -> None:
        with self.connect_admin() as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        with self._lock:
            self.created.discard(name)

    def drop_created(self) -> None:
        """Drop every database this object created (for servers that outlive the run)."""
        for name in sorted(self.created):
            self.drop_database(name)

    def limit(self) -> Limit:
        """--timeout for one migration file or the seed on a connection to this server."""
        return Limit(self.timeout_s, self.terminate_backend)

    def terminate_backend(self, pid: int) -> None:
        with self.connect(self.admin_db) as conn:
            conn.execute("select pg_terminate_backend(%s)", (pid,))

    def mark_template(self, name: str) -> None:
        with self.connect_admin() as conn:
            conn.execute(sql.SQL("alter database {} is_template true").format(sql.Identifier(name)))

    @contextmanager
    def scratch_database(self, template: str, prefix: str = "h") -> Iterator[str]:
        """A clone of `template` that is dropped when the block ends, whatever happens in it."""
        name = self.clone(template, prefix)
        try:
            yield name
        finally:
            self.drop_database(name)
