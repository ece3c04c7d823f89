-- anon (the public API key) sees nothing and writes nothing: it has no table privilege, and even
-- if one were granted there is no policy for it. A signed-in user without a profile is no better.
begin;
select plan(16);

\ir _setup/certification_world.psql

select tests.authenticate_as_anon();

select throws_ok($$ select count(*) from public.peer_mentor_certifications $$, '42501', null,
  'anon cannot read certifications');
select throws_ok(
  pg_temp.insert_certification('mentor_a1'),
  '42501', null, 'anon cannot add a certification');
select throws_ok($$ update public.peer_mentor_certifications set status = 'active' $$, '42501', null,
  'anon cannot update certifications');
select throws_ok($$ delete from public.peer_mentor_certifications $$, '42501', null,
  'anon cannot delete certifications');
select throws_ok($$ select count(*) from public.users $$, '42501', null, 'anon cannot read profiles');
select throws_ok($$ select count(*) from public.organisations $$, '42501', null, 'anon cannot read organisations');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), now() + interval '1 year') $$,
  '42501', null, 'anon cannot call the renewal function');

-- Second line of defence: grant anon the table (as a careless later migration might) and RLS still
-- shows and accepts nothing, because no policy applies to anon.
reset role;
grant select, insert, update, delete on public.peer_mentor_certifications to anon;
select tests.authenticate_as_anon();
select is_empty($$ select id from public.peer_mentor_certifications $$,
  'with a table grant, anon still sees no certification (no policy for anon)');
select throws_ok(
  pg_temp.insert_certification('mentor_a1'),
  '42501', null, 'with a table grant, anon still cannot add a certification');
select is(pg_temp.affected_rows($$ delete from public.peer_mentor_certifications $$), 0,
  'with a table grant, anon still deletes nothing');

reset role;
select is_empty(
  $$ select tablename || ': ' || policyname from pg_policies
      where schemaname = 'public'
        and tablename in ('peer_mentor_certifications', 'users', 'organisations')
        and roles && array['public', 'anon']::name[] $$,
  'no policy of the subject applies to anon or to public');
select is_empty(
  $$ select tablename || ': ' || policyname from pg_policies
      where schemaname = 'public'
        and tablename in ('peer_mentor_certifications', 'users', 'organisations')
        and (qual = 'true' or with_check = 'true') $$,
  'no policy of the subject is unconditional');

-- signed in, but a member of no organisation
select tests.authenticate_as('no_profile');
select is(pg_temp.visible_certifications(), '{}'::text[], 'a user without a profile sees no certification');
select throws_ok(
  pg_temp.insert_certification('mentor_a1'),
  '42501', null, 'a user without a profile cannot add a certification');
select is(pg_temp.affected_rows($$ update public.peer_mentor_certifications set status = 'expired' $$), 0,
  'a user without a profile updates nothing');
select is_empty($$ select id from public.users union all select id from public.organisations $$,
  'a user without a profile sees no profile and no organisation');

select * from finish();
rollback;
