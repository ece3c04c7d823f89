"""An existing PostgreSQL given by URL (`--db-url`): a `supabase start` stack, a CI service.

Nothing outside scratch databases is written: the harness creates a platform database from
template0, clones it as the local engine does, and drops every database it made when the run ends.
Cluster-wide objects (roles, role settings) are only read: the Supabase roles must already exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import psycopg

from harness.engine.lease import Lease, sweep_expired
from harness.engine.local import platform_sources
from harness.engine.server import Server
from harness.engine.target import guarded_params, is_local, resolve
from harness.findings import HarnessError

REQUIRED_ROLES = ("anon", "authenticated", "service_role", "authenticator")
CLUSTER_LEVEL_FILES = ("00_roles.sql",)  # roles and role settings: never written through a URL


def is_local_host(host: str) -> bool:
    return is_local(host)


def server_from_params(params: dict[str, str]) -> Server:
    """A Server that connects with exactly `params` (resolved by harness.engine.target.resolve)."""
    rest = dict(params)
    port = rest.pop("port", "") or "5432"
    return Server(
        host=rest.pop("host", ""),
        port=int(port.split(",")[0]),
        user=rest.pop("user", "") or "postgres",
        password=rest.pop("password", None) or None,
        admin_db=rest.pop("dbname", "") or "postgres",
        owns_cluster=False,
        params=rest,
    )


def server_from_url(url: str) -> Server:
    return server_from_params(resolve(url))


@dataclass
class UrlEngine:
    url: str
    allow_remote: bool = False
    progress: Callable[[str], None] | None = None
    server: Server | None = field(default=None, init=False)
    _lease: Lease | None = field(default=None, init=False)

    def start(self) -> Server:
        server = server_from_params(guarded_params(
            self.url, self.allow_remote, "the harness creates and drops scratch databases there"))
        try:
            with server.connect(server.admin_db) as conn:
                can_create, = conn.execute(
                    "select rolsuper or rolcreatedb from pg_roles where rolname = current_user"
                ).fetchone() or (False,)
                present = {r for (r,) in conn.execute(
                    "select rolname from pg_roles where rolname = any(%s)", (list(REQUIRED_ROLES),))}
        except psycopg.OperationalError as exc:
            raise HarnessError(f"cannot connect to --db-url: {str(exc).strip()}") from None
        if not can_create:
            raise HarnessError(f"the user {server.user} of --db-url cannot create databases (needs CREATEDB)")
        missing = [r for r in REQUIRED_ROLES if r not in present]
        if missing:
            raise HarnessError(
                f"the server of --db-url lacks Supabase's roles ({', '.join(missing)}); point it at a Supabase "
                "database (supabase start) or use the local engine"
            )
        self.server = server
        try:
            self._take_lease(server)
            server.platform_db = server.create_database(server.unique_name("harness_platform"), "template0")
            self._load_platform(server)
        except BaseException:
            self.stop()
            raise
        return server

    def _load_platform(self, server: Server) -> None:
        with server.connect(server.platform_db) as conn:
            for name, text in platform_sources():
                if name in CLUSTER_LEVEL_FILES:
                    continue
                try:
                    conn.execute(text)
                except psycopg.Error as exc:
                    raise HarnessError(
                        f"the platform layer {name} does not load through --db-url ({str(exc).strip()}); "
                        "connect as a superuser (on Supabase: supabase_admin)"
                    ) from None

    def _take_lease(self, server: Server) -> None:
        """Name this run's databases after a lease it holds; drop those of runs that are gone."""
        self._lease = Lease(server.conninfo(server.admin_db))
        self._lease.acquire()
        server.scratch_prefix = self._lease.prefix
        with server.connect(server.admin_db) as conn:
            dropped = sweep_expired(conn)
        if dropped and self.progress:
            self.progress(f"dropped {len(dropped)} scratch databases of runs that were killed")

    def stop(self) -> None:
        if self.server is not None:
            try:
                self.server.drop_created()
            finally:
                self.server = None
                if self._lease is not None:
                    self._lease.release()
                    self._lease = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
