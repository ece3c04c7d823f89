"""grant-to-anon."""

from __future__ import annotations


def test_grants_to_anon_in_api_schema(linter):
    sql = """grant select on public.notes to anon;
grant all on all tables in schema public to anon, authenticated;
grant execute on function public.search(text) to anon;
alter default privileges in schema public grant select on tables to anon;"""
    assert [f.line for f in linter.rule("grant-to-anon", sql)] == [1, 2, 3, 4]


def test_other_grants(linter):
    sql = """grant select on public.notes to authenticated;
grant select on private.stats to anon;
grant usage on schema public to anon;
revoke select on public.notes from anon;"""
    assert linter.rule("grant-to-anon", sql) == []


DUMPED = """GRANT USAGE ON SCHEMA "public" TO "anon";
GRANT ALL ON TABLE "public"."notes" TO "anon";
GRANT ALL ON SEQUENCE "public"."notes_id_seq" TO "anon";
GRANT ALL ON FUNCTION "public"."search"("q" "text") TO "anon";
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON TABLES TO "anon";
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON FUNCTIONS TO "anon";"""


def test_supabase_defaults_as_db_dump_writes_them(linter):
    assert linter.rule("grant-to-anon", DUMPED) == []


def test_defaults_granted_again_after_the_project_revoked_them(linter):
    revoked = "alter default privileges for role postgres in schema public revoke all on tables from anon;"
    assert len(linter.rule("grant-to-anon", revoked, DUMPED)) == 5
    one = 'revoke all on table public.notes from anon;\nGRANT ALL ON TABLE "public"."notes" TO "anon";'
    assert [f.line for f in linter.rule("grant-to-anon", one)] == [2]


def test_defaults_only_in_public(linter):
    api = 'GRANT ALL ON TABLE "api"."notes" TO "anon";'
    findings = linter.run(api, api_schemas=("public", "api"))
    assert [f.rule for f in findings if f.rule == "grant-to-anon"] == ["grant-to-anon"]
