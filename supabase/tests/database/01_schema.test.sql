-- Schema facts of public.peer_mentor_certifications and its helpers: columns, types, defaults,
-- NOT NULL, keys, the cascading foreign key, indexes, RLS, policies, trigger, comments, privileges.
begin;
select plan(58);

\ir _setup/certification_world.psql

-- table and columns
select has_table('public', 'peer_mentor_certifications', 'the certifications table exists');
select columns_are('public', 'peer_mentor_certifications',
  array['id', 'peer_mentor_id', 'certification_type', 'issued_at', 'expires_at', 'status',
        'renewal_history', 'created_at', 'updated_at'],
  'the certifications table has exactly the specified columns');

select col_type_is('public', 'peer_mentor_certifications', 'id', 'uuid', 'id is a uuid');
select col_type_is('public', 'peer_mentor_certifications', 'peer_mentor_id', 'uuid', 'peer_mentor_id is a uuid');
select col_type_is('public', 'peer_mentor_certifications', 'certification_type', 'text', 'certification_type is text');
select col_type_is('public', 'peer_mentor_certifications', 'issued_at', 'timestamp with time zone', 'issued_at is a timestamptz');
select col_type_is('public', 'peer_mentor_certifications', 'expires_at', 'timestamp with time zone', 'expires_at is a timestamptz');
select col_type_is('public', 'peer_mentor_certifications', 'status', 'text', 'status is text');
select col_type_is('public', 'peer_mentor_certifications', 'renewal_history', 'jsonb', 'renewal_history is jsonb');
select col_type_is('public', 'peer_mentor_certifications', 'created_at', 'timestamp with time zone', 'created_at is a timestamptz');
select col_type_is('public', 'peer_mentor_certifications', 'updated_at', 'timestamp with time zone', 'updated_at is a timestamptz');

select col_not_null('public', 'peer_mentor_certifications', 'id', 'id is NOT NULL');
select col_not_null('public', 'peer_mentor_certifications', 'peer_mentor_id', 'peer_mentor_id is NOT NULL');
select col_not_null('public', 'peer_mentor_certifications', 'certification_type', 'certification_type is NOT NULL');
select col_not_null('public', 'peer_mentor_certifications', 'issued_at', 'issued_at is NOT NULL');
select col_is_null('public', 'peer_mentor_certifications', 'expires_at', 'expires_at is nullable (NULL = never expires)');
select col_not_null('public', 'peer_mentor_certifications', 'status', 'status is NOT NULL');
select col_not_null('public', 'peer_mentor_certifications', 'renewal_history', 'renewal_history is NOT NULL');

select col_default_is('public', 'peer_mentor_certifications', 'id', 'gen_random_uuid()', 'id defaults to gen_random_uuid()');
select col_default_is('public', 'peer_mentor_certifications', 'status', 'active'::text, 'status defaults to active');
select col_default_is('public', 'peer_mentor_certifications', 'renewal_history', '[]'::jsonb, 'renewal_history defaults to an empty array');
select col_default_is('public', 'peer_mentor_certifications', 'created_at', 'now()', 'created_at defaults to now()');
select col_default_is('public', 'peer_mentor_certifications', 'updated_at', 'now()', 'updated_at defaults to now()');

-- keys
select col_is_pk('public', 'peer_mentor_certifications', 'id', 'id is the primary key');
select fk_ok('public', 'peer_mentor_certifications', 'peer_mentor_id', 'public', 'users', 'id',
  'peer_mentor_id references public.users(id)');
select is(
  (select confdeltype::text from pg_constraint
    where conrelid = 'public.peer_mentor_certifications'::regclass and contype = 'f'),
  'c',
  'the peer_mentor_id foreign key is ON DELETE CASCADE');

delete from auth.users where id = pg_temp.fixture_id('mentor_a1');
select is(
  (select array_agg(f.label order by f.label) from fixture_ids as f
    join public.peer_mentor_certifications as c on c.id = f.id),
  array['a2_safeguarding', 'b1_first_aid', 'b1_grief_support'],
  'deleting a user (auth.users -> public.users) deletes their certifications and no others');

-- indexes
select has_index('public', 'peer_mentor_certifications', 'peer_mentor_certifications_peer_mentor_id_status_idx',
  array['peer_mentor_id', 'status'], 'coordinator dashboard index on (peer_mentor_id, status)');
select has_index('public', 'peer_mentor_certifications', 'peer_mentor_certifications_expires_at_idx',
  array['expires_at'], 'nightly expiry index on expires_at');
select has_index('public', 'users', 'users_organisation_id_idx', array['organisation_id', 'id'],
  'public.users is indexed by organisation for the policies');

-- row level security and policies
select tests.rls_enabled('public', 'peer_mentor_certifications');
select tests.rls_enabled('public');
select is(
  (select relforcerowsecurity from pg_class where oid = 'public.peer_mentor_certifications'::regclass),
  false,
  'RLS is not forced: the owner-run nightly job and SECURITY DEFINER helpers are not filtered');

select policies_are('public', 'peer_mentor_certifications', array[
  'Peer mentors can view their own certifications',
  'Coordinators can view certifications in their organisation',
  'Coordinators can add certifications in their organisation',
  'Coordinators can update certifications in their organisation',
  'Org admins can manage certifications in their organisation'
], 'the certifications table has exactly the five specified policies');

select policy_cmd_is('public', 'peer_mentor_certifications', 'Peer mentors can view their own certifications', 'select',
  'peer mentor policy is for SELECT');
select policy_cmd_is('public', 'peer_mentor_certifications', 'Coordinators can view certifications in their organisation', 'select',
  'coordinator view policy is for SELECT');
select policy_cmd_is('public', 'peer_mentor_certifications', 'Coordinators can add certifications in their organisation', 'insert',
  'coordinator add policy is for INSERT');
select policy_cmd_is('public', 'peer_mentor_certifications', 'Coordinators can update certifications in their organisation', 'update',
  'coordinator update policy is for UPDATE');
select policy_cmd_is('public', 'peer_mentor_certifications', 'Org admins can manage certifications in their organisation', 'all',
  'org admin policy is for ALL commands');

select policy_roles_are('public', 'peer_mentor_certifications', 'Peer mentors can view their own certifications',
  array['authenticated'], 'peer mentor policy applies to authenticated only');
select policy_roles_are('public', 'peer_mentor_certifications', 'Coordinators can view certifications in their organisation',
  array['authenticated'], 'coordinator view policy applies to authenticated only');
select policy_roles_are('public', 'peer_mentor_certifications', 'Coordinators can add certifications in their organisation',
  array['authenticated'], 'coordinator add policy applies to authenticated only');
select policy_roles_are('public', 'peer_mentor_certifications', 'Coordinators can update certifications in their organisation',
  array['authenticated'], 'coordinator update policy applies to authenticated only');
select policy_roles_are('public', 'peer_mentor_certifications', 'Org admins can manage certifications in their organisation',
  array['authenticated'], 'org admin policy applies to authenticated only');

select is_empty(
  $$ select policyname from pg_policies
      where schemaname = 'public' and tablename = 'peer_mentor_certifications'
        and (cmd in ('INSERT', 'UPDATE', 'ALL') and with_check is null
             or cmd <> 'INSERT' and qual is null) $$,
  'every policy has its USING and every write policy its own WITH CHECK');
select is_empty(
  $$ select tablename || ': ' || policyname from pg_policies
      where schemaname = 'public' and cmd in ('UPDATE', 'ALL') and with_check is distinct from qual $$,
  'every UPDATE and ALL policy of schema public has a WITH CHECK that repeats its USING condition');

-- the updated_at trigger
select trigger_is('public', 'peer_mentor_certifications', 'peer_mentor_certifications_set_updated_at',
  'public', 'set_updated_at', 'updated_at trigger calls public.set_updated_at()');

-- helpers: SECURITY DEFINER with an empty search_path
select is_definer('public', 'get_user_organisation_id', array[]::name[], 'get_user_organisation_id() is SECURITY DEFINER');
select is_definer('public', 'get_user_role', array[]::name[], 'get_user_role() is SECURITY DEFINER');
select is_definer('private', 'get_organisation_member_ids', array['text']::name[], 'private.get_organisation_member_ids(text) is SECURITY DEFINER');
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc as p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and p.proname in ('get_user_organisation_id', 'get_user_role', 'get_organisation_member_ids',
                          'is_valid_renewal_history',
                          'renew_peer_mentor_certification', 'expire_peer_mentor_certifications', 'set_updated_at')
        and not coalesce(p.proconfig @> array['search_path=""'], false) $$,
  'every function of the migrations pins search_path to empty');
select is(
  (select provolatile::text from pg_proc where oid = 'public.is_valid_renewal_history(jsonb)'::regprocedure),
  'i',
  'the renewal_history validator is IMMUTABLE (usable in a CHECK)');

-- comments
select matches(
  obj_description('public.peer_mentor_certifications'::regclass, 'pg_class'),
  'Certifications held by peer mentors',
  'the table has a comment describing its purpose');
select matches(
  col_description('public.peer_mentor_certifications'::regclass,
    (select attnum from pg_attribute
      where attrelid = 'public.peer_mentor_certifications'::regclass and attname = 'renewal_history')),
  'about 50.*hard cap 500|hard cap 500.*about 50',
  'the renewal_history comment documents the ~50 entry guidance and the 500 cap');

-- privileges: RLS is the barrier for authenticated, anon has nothing, nobody on the API truncates
select table_privs_are('public', 'peer_mentor_certifications', 'anon', array[]::text[],
  'anon has no privilege on the certifications table');
select table_privs_are('public', 'peer_mentor_certifications', 'authenticated',
  array['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  'authenticated has exactly SELECT, INSERT, UPDATE, DELETE (no TRUNCATE, which RLS does not govern)');
select function_privs_are('public', 'expire_peer_mentor_certifications', array['timestamp with time zone'],
  'authenticated', array[]::text[], 'authenticated cannot run the nightly expiry');
select function_privs_are('public', 'renew_peer_mentor_certification',
  array['uuid', 'timestamp with time zone', 'text'], 'anon', array[]::text[], 'anon cannot call the renewal function');

select * from finish();
rollback;
