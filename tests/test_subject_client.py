"""The subject as the mobile app sees it, through the pytest plugin: signed in with normal
credentials, every query runs as PostgREST runs it (role + JWT claims, one transaction each)."""

from __future__ import annotations

import psycopg
import pytest

from harness.pytest_plugin import HarnessDatabase
from harness.world import World

QUERY = "select id::text from public.peer_mentor_certifications"


@pytest.fixture
def certifications(harness_db: HarnessDatabase, harness_world: World) -> dict[str, set[str]]:
    """Two certifications per member of every role in both tenants; ids by owner label ("A:peer_mentor")."""
    owned: dict[str, set[str]] = {}
    with harness_db.connect() as conn:
        for (tenant, role), user_id in harness_world.members.items():
            rows = conn.execute(
                "insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at) "
                "select %s, kind, now() from unnest(array['first_aid', 'cpr']) as kind returning id::text",
                (user_id,),
            ).fetchall()
            owned[f"{tenant}:{role}"] = {r[0] for r in rows}
    return owned


def _of_tenant(owned: dict[str, set[str]], tenant: str) -> set[str]:
    return set().union(*(ids for owner, ids in owned.items() if owner.startswith(f"{tenant}:")))


@pytest.mark.parametrize("tenant", ["A", "B"])
def test_peer_mentor_gets_exactly_their_own(as_persona, certifications, tenant: str) -> None:  # type: ignore[no-untyped-def]
    rows = {r[0] for r in as_persona("peer_mentor", tenant).execute(QUERY)}
    assert rows == certifications[f"{tenant}:peer_mentor"]


@pytest.mark.parametrize("role", ["coordinator", "org_admin"])
@pytest.mark.parametrize("tenant", ["A", "B"])
def test_staff_get_their_organisations(as_persona, certifications, role: str, tenant: str) -> None:  # type: ignore[no-untyped-def]
    rows = {r[0] for r in as_persona(role, tenant).execute(QUERY)}
    assert rows == _of_tenant(certifications, tenant)


@pytest.mark.parametrize("role", ["peer_mentor", "coordinator", "org_admin"])
def test_nobody_gets_another_organisations(as_persona, certifications, role: str) -> None:  # type: ignore[no-untyped-def]
    for tenant, other in (("A", "B"), ("B", "A")):
        rows = {r[0] for r in as_persona(role, tenant).execute(QUERY)}
        assert not rows & _of_tenant(certifications, other)


def test_signed_in_without_a_profile_gets_nothing(as_persona, certifications) -> None:  # type: ignore[no-untyped-def]
    assert as_persona("authenticated").execute(QUERY) == []


def test_signed_out_gets_nothing(as_persona, certifications) -> None:  # type: ignore[no-untyped-def]
    # The anon key has no privilege on the table at all: PostgREST answers 401 / permission denied.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_persona("anon").execute(QUERY)
