-- The CHECK constraints and column defaults the other suites do not exercise: every value a
-- constraint exists to refuse is refused, and a row written with only its required columns gets the
-- defaults the migrations promise (organisations, users and peer_mentor_certifications).
begin;
select plan(16);

\ir _setup/certification_world.psql

-- organisations: a generated id, a name of 1 to 200 characters that is not only blanks
select col_default_is('public', 'organisations', 'id', 'gen_random_uuid()', 'organisations.id defaults to gen_random_uuid()');
select lives_ok($$ insert into public.organisations (name) values ('Only a name') $$,
  'an organisation needs nothing but a name');
select throws_ok($$ insert into public.organisations (name) values ('   ') $$, '23514', null,
  'an organisation name of blanks only is rejected');
select throws_ok($$ insert into public.organisations (name) values (repeat('x', 201)) $$, '23514', null,
  'an organisation name over 200 characters is rejected');
select throws_ok(
  $$ update public.organisations set name = '' where id = pg_temp.fixture_id('org_a') $$, '23514', null,
  'an organisation cannot be renamed to an empty name');

-- users: a role among peer_mentor, coordinator, org_admin; peer_mentor unless said otherwise
select col_default_is('public', 'users', 'role', 'peer_mentor'::text, 'users.role defaults to peer_mentor');
select lives_ok(
  format('insert into public.users (id, organisation_id) values (%L, %L)',
         tests.create_supabase_user('defaults_member'), pg_temp.fixture_id('org_a')),
  'a profile needs nothing but its account and organisation');
select is(
  (select role from public.users where id = tests.get_supabase_uid('defaults_member')),
  'peer_mentor', 'a profile created without a role is a peer mentor, never staff');
select throws_ok(
  format('insert into public.users (id, organisation_id, role) values (%L, %L, %L)',
         tests.create_supabase_user('superuser_member'), pg_temp.fixture_id('org_a'), 'superuser'),
  '23514', null, 'a role other than peer_mentor, coordinator and org_admin is rejected');
select throws_ok(
  $$ update public.users set role = 'Org_Admin' where id = pg_temp.fixture_id('mentor_a1') $$, '23514', null,
  'roles are case-sensitive: Org_Admin is not org_admin');

-- peer_mentor_certifications: a type of 1 to 100 characters, an expiry after the issue
select throws_ok(
  pg_temp.insert_certification('mentor_a1', '   '), '23514', null, 'a certification type of blanks only is rejected');
select throws_ok(
  pg_temp.insert_certification('mentor_a1', repeat('x', 101)), '23514', null,
  'a certification type over 100 characters is rejected');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), now() - interval '1 day') $$,
  '23514', null, 'a certification cannot expire before it is issued');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), now()) $$,
  '23514', null, 'nor at the instant it is issued');
select throws_ok(
  $$ update public.peer_mentor_certifications set expires_at = issued_at - interval '1 second'
      where id = pg_temp.fixture_id('a1_first_aid') $$,
  '23514', null, 'an UPDATE cannot move the expiry before the issue either');
select lives_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), null) $$,
  'a certification may never expire (expires_at NULL)');

select * from finish();
rollback;
