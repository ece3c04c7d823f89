-- The tests.* helpers themselves: basejump-compatible behaviour plus the claims of a real token.
-- Needs pgTAP and pgtap/supabase_test_helpers.sql installed; run with pg_prove or `harness test`.
begin;
select plan(38);

-- users
select lives_ok($$ select tests.create_supabase_user('helper_plain') $$, 'create_supabase_user(identifier)');
select lives_ok(
  $$ select tests.create_supabase_user('helper_full', 'helper.full@example.test', '+4790000000', '{"full_name": "Helper Full"}') $$,
  'create_supabase_user(identifier, email, phone, metadata)');
select is(tests.get_supabase_uid('helper_full'),
  (select id from auth.users where raw_user_meta_data ->> 'test_identifier' = 'helper_full'),
  'get_supabase_uid finds the user by identifier, kept where basejump keeps it');
select results_eq(
  $$ select aud::text, role::text, email::text, phone, raw_app_meta_data, raw_user_meta_data, email_confirmed_at is not null
       from auth.users where id = tests.get_supabase_uid('helper_full') $$,
  $$ values ('authenticated', 'authenticated', 'helper.full@example.test', '+4790000000',
             '{"provider": "email", "providers": ["email"]}'::jsonb,
             '{"full_name": "Helper Full", "test_identifier": "helper_full"}'::jsonb, true) $$,
  'the auth.users row is the one GoTrue writes for a confirmed email sign-up');
select is((select count(*)::int from auth.identities where user_id = tests.get_supabase_uid('helper_full') and provider = 'email'),
  1, 'the user has an email identity');
select is((select email::text from auth.users where id = tests.get_supabase_uid('helper_plain')),
  tests.get_supabase_uid('helper_plain')::text || '@test.com', 'without an email, one is made from the id');
select is(tests.get_supabase_uid('helper.full@example.test'), tests.get_supabase_uid('helper_full'),
  'get_supabase_uid also finds a user by email (e.g. a seeded one)');
select is(tests.get_supabase_user('helper_full') ->> 'phone', '+4790000000', 'get_supabase_user returns the phone');
select is(tests.get_supabase_user('helper_full') -> 'raw_user_meta_data' ->> 'full_name', 'Helper Full',
  'get_supabase_user returns the user metadata');
select throws_ok($$ select tests.get_supabase_uid('nobody') $$, 'P0001', 'User with identifier nobody not found',
  'an unknown identifier raises basejump''s message');

-- authenticate_as: role and the claims of a real access token
select tests.authenticate_as('helper_full');
select is(current_user::text, 'authenticated', 'authenticate_as switches to the authenticated role');
select is(auth.uid(), tests.get_supabase_uid('helper_full'), 'auth.uid() is the user');
select is(auth.role(), 'authenticated', 'auth.role() is authenticated');
select is(auth.email(), 'helper.full@example.test', 'auth.email() is the user''s email');
select ok(auth.jwt() ?& array['sub', 'role', 'aud', 'email', 'phone', 'app_metadata', 'user_metadata',
                              'aal', 'amr', 'session_id', 'is_anonymous', 'iat', 'exp', 'iss'],
  'the claims carry every key of a Supabase access token');
select is(auth.jwt() -> 'app_metadata' ->> 'provider', 'email', 'app_metadata comes from raw_app_meta_data');
select is(auth.jwt() -> 'user_metadata' ->> 'full_name', 'Helper Full', 'user_metadata comes from raw_user_meta_data');
select is(auth.jwt() ->> 'aal', 'aal1', 'aal is aal1');
select is(auth.jwt() -> 'is_anonymous', 'false'::jsonb, 'is_anonymous is false');
select ok((auth.jwt() ->> 'exp')::bigint > extract(epoch from now()), 'exp is in the future');
select is(current_setting('request.jwt.claim.sub'), tests.get_supabase_uid('helper_full')::text,
  'the legacy per-claim setting agrees');
select throws_ok($$ select * from auth.users $$, '42501', null, 'the authenticated role cannot read auth.users');
select lives_ok($$ select tests.authenticate_as('helper_plain') $$,
  'the helpers can be called again after switching role');
select is(auth.uid(), tests.get_supabase_uid('helper_plain'), 'and switch to another user');
select ok(tests.create_supabase_user('helper_made_as_authenticated') is not null,
  'create_supabase_user can be called by an API role');
select is(current_user::text, 'authenticated', 'and leaves the role alone');

-- anon, service role, clear
select tests.authenticate_as_anon();
select is(current_user::text, 'anon', 'authenticate_as_anon switches to the anon role');
select is(auth.jwt() ->> 'role', 'anon', 'with the anon key''s claims');
select is(auth.uid(), null, 'and no user');
select tests.authenticate_as_service_role();
select is(current_user::text, 'service_role', 'authenticate_as_service_role switches to service_role');
select is(auth.role(), 'service_role', 'with the service key''s role claim');
select tests.clear_authentication();
select is(current_user::text, 'anon', 'clear_authentication goes back to anon, as in basejump');
select is(current_setting('request.jwt.claims'), '', 'with empty claims');

-- rls_enabled
reset role;
create table public.helpers_probe (id int);
select check_test(tests.rls_enabled('public', 'helpers_probe'), false, 'rls_enabled(schema, table) fails without RLS');
alter table public.helpers_probe enable row level security;
select check_test(tests.rls_enabled('public', 'helpers_probe'), true, 'rls_enabled(schema, table) passes with RLS');
create schema helpers_probe_schema;
create table helpers_probe_schema.without_rls (id int);
select check_test(tests.rls_enabled('helpers_probe_schema'), false, 'rls_enabled(schema) fails when a table lacks RLS');

-- frozen time
select tests.freeze_time('2020-01-01 00:00+00');
select is(now(), '2020-01-01 00:00+00'::timestamptz, 'freeze_time freezes now()');
select tests.unfreeze_time();
select is(now(), pg_catalog.now(), 'unfreeze_time restores now()');

select * from finish();
rollback;
