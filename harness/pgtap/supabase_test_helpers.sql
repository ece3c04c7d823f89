-- Test helpers for pgTAP suites against a Supabase-shaped database, in schema `tests`.
--
-- API-compatible with the basejump supabase-test-helpers (same names, arguments and results), so
-- suites written for them run unchanged, with these differences:
--   * authenticate_as() carries the claims of a real Supabase access token (sub, role, aud, email,
--     phone, app_metadata, user_metadata, aal, amr, session_id, is_anonymous, iat, exp), and also
--     sets the legacy per-claim settings request.jwt.claim.* that older policies read;
--   * authenticate_as_anon() is the anon key: role anon, claims {"role": "anon", ...};
--   * authenticate_as_service_role() carries {"role": "service_role", ...} like the service key;
--   * create_supabase_user() writes the auth.users row GoTrue would (aud, role, confirmed email,
--     app metadata of the email provider) and its auth.identities row;
--   * get_supabase_uid()/get_supabase_user() also find a user by email, e.g. one made by seed.sql;
--   * rls_enabled() names the offending tables in its diagnostics.
-- Everything is set transaction-locally (set_config(..., true)): a suite's ROLLBACK undoes it.
--
-- Idempotent (CREATE ... IF NOT EXISTS / OR REPLACE) and needs no more than the `postgres` role of a
-- Supabase project. For test databases only: it lets any API role create auth users.

create schema if not exists tests;
create schema if not exists test_overrides;

comment on schema tests is 'pgTAP test helpers (basejump-compatible). Test databases only.';
comment on schema test_overrides is 'Functions that shadow pg_catalog ones while tests.freeze_time() is on.';

grant usage on schema tests, test_overrides to anon, authenticated, service_role;

-- -------------------------------------------------------------------------------------------------
-- Users
-- -------------------------------------------------------------------------------------------------

-- Creates a confirmed email user, as GoTrue's sign-up would, and returns its id. `identifier` is how
-- the suite refers to the user later; it is stored as raw_user_meta_data.test_identifier (where
-- basejump keeps it, and where basejump-style suites look for it), merged with `metadata`.
create or replace function tests.create_supabase_user(
  identifier text,
  email text default null,
  phone text default null,
  metadata jsonb default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  user_id uuid := pg_catalog.gen_random_uuid();
  user_email text := coalesce(email, user_id::text || '@test.com');
begin
  if identifier is null or identifier = '' then
    raise exception 'tests.create_supabase_user: identifier must not be empty';
  end if;

  insert into auth.users (
    instance_id, id, aud, role, email, phone, encrypted_password,
    email_confirmed_at, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
    is_super_admin, is_anonymous, created_at, updated_at
  )
  values (
    '00000000-0000-0000-0000-000000000000', user_id, 'authenticated', 'authenticated',
    user_email, phone, '',
    pg_catalog.now(), case when phone is not null then pg_catalog.now() end,
    '{"provider": "email", "providers": ["email"]}'::jsonb,
    coalesce(metadata, '{}'::jsonb) || pg_catalog.jsonb_build_object('test_identifier', identifier),
    false, false, pg_catalog.now(), pg_catalog.now()
  );

  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  values (
    user_id::text, user_id,
    pg_catalog.jsonb_build_object('sub', user_id::text, 'email', user_email, 'email_verified', true),
    'email', pg_catalog.now(), pg_catalog.now()
  );

  return user_id;
end;
$$;

-- The user a suite calls `identifier`: the one created with that identifier, else the one with that
-- email. Internal; raises when there is none.
create or replace function tests.find_supabase_user(identifier text)
returns auth.users
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found_user auth.users;
begin
  select u.* into found_user
  from auth.users as u
  where u.raw_user_meta_data ->> 'test_identifier' = identifier
  order by u.created_at desc, u.id
  limit 1;

  if found_user.id is null then
    select u.* into found_user
    from auth.users as u
    where pg_catalog.lower(u.email) = pg_catalog.lower(identifier)
    limit 1;
  end if;

  if found_user.id is null then
    raise exception 'User with identifier % not found', identifier;
  end if;
  return found_user;
end;
$$;

create or replace function tests.get_supabase_uid(identifier text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$ select (tests.find_supabase_user(identifier)).id $$;

create or replace function tests.get_supabase_user(identifier text)
returns json
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.json_build_object(
    'id', u.id,
    'email', u.email,
    'phone', u.phone,
    'raw_user_meta_data', u.raw_user_meta_data,
    'raw_app_meta_data', u.raw_app_meta_data,
    'is_anonymous', u.is_anonymous
  )
  from tests.find_supabase_user(identifier) as u
$$;

-- -------------------------------------------------------------------------------------------------
-- Impersonation, as PostgREST does it: a transaction-local role and request.jwt.claims.
-- -------------------------------------------------------------------------------------------------

-- Sets role and claims for the rest of the transaction. Internal.
create or replace function tests.set_request_identity(api_role text, claims jsonb)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', api_role, true);
  perform pg_catalog.set_config('request.jwt.claims', coalesce(claims::text, ''), true);
  -- PostgREST before v10 exposed each claim as its own setting; auth.uid() still reads .sub first,
  -- so stale values left in the session must not win over the claims above.
  perform pg_catalog.set_config('request.jwt.claim.sub', coalesce(claims ->> 'sub', ''), true);
  perform pg_catalog.set_config('request.jwt.claim.role', coalesce(claims ->> 'role', ''), true);
  perform pg_catalog.set_config('request.jwt.claim.email', coalesce(claims ->> 'email', ''), true);
end;
$$;

-- Claims of a token issued now: what every Supabase key and access token carries.
create or replace function tests.token_claims(api_role text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'iss', 'supabase',
    'role', api_role,
    'iat', pg_catalog.floor(extract(epoch from pg_catalog.now()))::bigint,
    'exp', pg_catalog.floor(extract(epoch from pg_catalog.now() + interval '1 hour'))::bigint
  )
$$;

create or replace function tests.authenticate_as(identifier text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  signed_in auth.users;
begin
  signed_in := tests.find_supabase_user(identifier);
  perform tests.set_request_identity(
    'authenticated',
    tests.token_claims('authenticated') || pg_catalog.jsonb_build_object(
      'aud', 'authenticated',
      'sub', signed_in.id,
      'email', coalesce(signed_in.email, ''),
      'phone', coalesce(signed_in.phone, ''),
      'app_metadata', coalesce(signed_in.raw_app_meta_data, '{}'::jsonb),
      'user_metadata', coalesce(signed_in.raw_user_meta_data, '{}'::jsonb),
      'aal', 'aal1',
      'amr', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
        'method', 'password', 'timestamp', pg_catalog.floor(extract(epoch from pg_catalog.now()))::bigint)),
      'session_id', pg_catalog.gen_random_uuid(),
      'is_anonymous', coalesce(signed_in.is_anonymous, false)
    )
  );
end;
$$;

create or replace function tests.authenticate_as_anon()
returns void
language sql
set search_path = ''
as $$ select tests.set_request_identity('anon', tests.token_claims('anon')) $$;

create or replace function tests.authenticate_as_service_role()
returns void
language sql
set search_path = ''
as $$ select tests.set_request_identity('service_role', tests.token_claims('service_role')) $$;

-- As basejump: back to the anon role with no claims at all (an empty request.jwt.claims).
create or replace function tests.clear_authentication()
returns void
language sql
set search_path = ''
as $$ select tests.set_request_identity('anon', null) $$;

-- -------------------------------------------------------------------------------------------------
-- pgTAP assertions. plpgsql on purpose and without a pinned search_path: is() and the pgTAP
-- functions it calls are found on the suite's search_path at run time, wherever pgTAP is installed
-- (extensions on Supabase), and this file installs even before pgTAP does.
-- -------------------------------------------------------------------------------------------------

-- Every table (ordinary or partitioned) of the schema has row level security enabled; the
-- diagnostics list the tables that do not.
create or replace function tests.rls_enabled(testing_schema text)
returns text
language plpgsql
as $$
begin
  return is(
    (
      select coalesce(pg_catalog.array_agg(c.relname::text order by c.relname), '{}')
      from pg_catalog.pg_class as c
      join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
      where n.nspname = testing_schema
        and c.relkind in ('r', 'p')
        and not c.relrowsecurity
    ),
    '{}'::text[],
    'All tables in the ' || testing_schema || ' schema should have row level security enabled'
  );
end;
$$;

-- The table exists and has row level security enabled (a missing table fails too).
create or replace function tests.rls_enabled(testing_schema text, testing_table text)
returns text
language plpgsql
as $$
begin
  return is(
    (
      select c.relrowsecurity
      from pg_catalog.pg_class as c
      join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
      where n.nspname = testing_schema
        and c.relname = testing_table
        and c.relkind in ('r', 'p')
    ),
    true,
    testing_table || ' table in the ' || testing_schema || ' schema should have row level security enabled'
  );
end;
$$;

-- -------------------------------------------------------------------------------------------------
-- Frozen time. test_overrides.now() shadows pg_catalog.now() for unqualified calls made while
-- test_overrides is first on the search_path (freeze_time() puts it there, pg_catalog explicitly
-- after it). Functions with their own search_path (SECURITY DEFINER helpers), column defaults and
-- CURRENT_TIMESTAMP keep the real clock; give such a function `set search_path = test_overrides, ...`
-- inside the test transaction if it must see the frozen time.
-- -------------------------------------------------------------------------------------------------
create or replace function test_overrides.now()
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
begin
  if nullif(pg_catalog.current_setting('tests.frozen_time', true), '') is not null then
    return pg_catalog.current_setting('tests.frozen_time')::timestamptz;
  end if;
  return pg_catalog.now();
end;
$$;

create or replace function tests.freeze_time(frozen_time timestamptz)
returns void
language plpgsql
as $$
begin
  if pg_catalog.current_setting('search_path') not like 'test_overrides,%' then
    perform pg_catalog.set_config('tests.original_search_path', pg_catalog.current_setting('search_path'), true);
    perform pg_catalog.set_config(
      'search_path',
      'test_overrides, ' || pg_catalog.current_setting('search_path') || ', pg_catalog',
      true
    );
  end if;
  perform pg_catalog.set_config('tests.frozen_time', frozen_time::text, true);
end;
$$;

create or replace function tests.unfreeze_time()
returns void
language plpgsql
as $$
begin
  perform pg_catalog.set_config('tests.frozen_time', '', true);
  if nullif(pg_catalog.current_setting('tests.original_search_path', true), '') is not null then
    perform pg_catalog.set_config('search_path', pg_catalog.current_setting('tests.original_search_path'), true);
    perform pg_catalog.set_config('tests.original_search_path', '', true);
  end if;
end;
$$;

-- -------------------------------------------------------------------------------------------------
-- Privileges: the API roles call the helpers (suites switch roles and then call them again), but
-- PUBLIC does not.
-- -------------------------------------------------------------------------------------------------
revoke execute on all functions in schema tests from public;
revoke execute on all functions in schema test_overrides from public;
grant execute on all functions in schema tests to anon, authenticated, service_role;
grant execute on all functions in schema test_overrides to anon, authenticated, service_role;
