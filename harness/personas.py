"""Impersonation exactly as PostgREST does it.

PostgREST runs every request in a transaction that first sets, locally, the role named by the JWT
(`anon`, `authenticated`, `service_role`) and `request.jwt.claims` to the JWT payload. Policies see
the claims through `auth.uid()`, `auth.jwt()` and `current_setting(...)`. We do the same, and nothing
more: no superuser shortcut, no claim PostgREST would not set.
"""

from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import psycopg

API_ROLES = ("anon", "authenticated", "service_role")
TOKEN_LIFETIME_S = 3600


@dataclass(frozen=True)
class Persona:
    """Who a request runs as: a database role and the JWT claims that come with it."""

    name: str  # e.g. "coordinator", "anon", "service_role", or a user's label
    role: str  # the database role PostgREST switches to
    claims: dict[str, Any] = field(default_factory=dict)
    user_id: uuid.UUID | None = None
    tenant: str | None = None  # the tenant label ("A", "B") in the audit's world

    def claims_json(self) -> str:
        return json.dumps(self.claims, sort_keys=True)


def user_claims(
    user_id: uuid.UUID | str,
    email: str | None = None,
    phone: str = "",
    app_metadata: dict[str, Any] | None = None,
    user_metadata: dict[str, Any] | None = None,
    is_anonymous: bool = False,
) -> dict[str, Any]:
    """The payload of a Supabase access token for a signed-in user."""
    now = int(time.time())
    return {
        "aud": "authenticated",
        "sub": str(user_id),
        "role": "authenticated",
        "email": email or "",
        "phone": phone,
        "app_metadata": app_metadata if app_metadata is not None else {"provider": "email", "providers": ["email"]},
        "user_metadata": user_metadata or {},
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": now}],
        "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"session:{user_id}")),
        "is_anonymous": is_anonymous,
        "iat": now,
        "exp": now + TOKEN_LIFETIME_S,
    }


def member(name: str, user_id: uuid.UUID, email: str, tenant: str | None = None,
           app_metadata: dict[str, Any] | None = None, user_metadata: dict[str, Any] | None = None) -> Persona:
    claims = user_claims(user_id, email, app_metadata=app_metadata, user_metadata=user_metadata)
    return Persona(name=name, role="authenticated", claims=claims, user_id=user_id, tenant=tenant)


ANON = Persona(name="anon", role="anon", claims={"role": "anon"})
SERVICE_ROLE = Persona(name="service_role", role="service_role", claims={"role": "service_role"})


def impersonate(conn: psycopg.Connection, persona: Persona, pre_request: str | None = None) -> None:
    """Inside an open transaction: become `persona` until it ends (PostgREST's own statements: the
    role and claims set locally, then the db-pre-request function `pre_request`, "schema.name", if any)."""
    if persona.role not in API_ROLES:
        raise ValueError(f"{persona.role!r} is not an API role")
    conn.execute(
        "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true), "
        "set_config('request.method', 'GET', true)",
        (persona.role, persona.claims_json()),
    )
    if pre_request:
        from harness.world.prerequest import pre_request_call

        conn.execute(pre_request_call(pre_request))


@contextmanager
def as_persona(conn: psycopg.Connection, persona: Persona, *, rollback: bool = True,
               pre_request: str | None = None) -> Iterator[psycopg.Connection]:
    """A transaction on an autocommit connection in which every statement runs as `persona`.

    Rolled back at the end unless `rollback=False` (then committed, as PostgREST commits a request).
    `pre_request`: the project's db-pre-request function, called first as PostgREST does.
    """
    if not conn.autocommit:
        raise ValueError("as_persona needs an autocommit connection (transactions are explicit)")
    with conn.transaction(force_rollback=rollback):
        impersonate(conn, persona, pre_request)
        yield conn


class PersonaConnection:
    """A connection whose every `execute` is one PostgREST-style request as one persona.

    Each call opens a transaction, sets the role and claims locally, runs the query, and commits
    (or rolls back with `rollback=True`), so nothing leaks from one request into the next.
    """

    def __init__(self, conn: psycopg.Connection, persona: Persona, rollback: bool = False,
                 pre_request: str | None = None) -> None:
        self.conn = conn
        self.persona = persona
        self.rollback = rollback
        self.pre_request = pre_request

    def execute(self, query: Any, params: Any = None) -> list[tuple[Any, ...]]:
        with as_persona(self.conn, self.persona, rollback=self.rollback, pre_request=self.pre_request):
            cursor = self.conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        self.conn.close()
