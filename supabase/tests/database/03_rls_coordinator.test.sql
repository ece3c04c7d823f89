-- A coordinator reads, adds and updates the certifications of their organisation's members, never
-- deletes, and cannot reach, create in, or move rows into another organisation.
begin;
select plan(21);

\ir _setup/certification_world.psql

create temporary table org_b_before on commit drop as
  select c.* from public.peer_mentor_certifications as c
  where c.peer_mentor_id in (pg_temp.fixture_id('mentor_b1'));

select tests.authenticate_as('coordinator_a');

select is(pg_temp.visible_certifications(), array['a1_cpr', 'a1_first_aid', 'a2_safeguarding'],
  'coordinator_a sees every certification of org_a and nothing of org_b');
select results_eq(
  $$ select count(*)::int from public.users $$, array[4],
  'coordinator_a sees the four profiles of org_a');

select lives_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
     values (pg_temp.fixture_id('mentor_a2'), 'cpr', now(), now() + interval '2 years') $$,
  'coordinator_a adds a certification for a mentor of org_a');
select lives_ok(
  pg_temp.insert_certification('coordinator_a', 'peer_mentor_basic'),
  'coordinator_a adds a certification for themselves (a member of org_a)');
select throws_ok(
  pg_temp.insert_certification('mentor_b1'),
  '42501', null, 'coordinator_a cannot add a certification for a mentor of org_b');
select throws_ok(
  pg_temp.insert_certification('no_profile'),
  '42501', null, 'coordinator_a cannot add a certification for a user outside every organisation');

select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'suspended'
      where id = pg_temp.fixture_id('a2_safeguarding') $$), 1,
  'coordinator_a updates a certification of org_a');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set peer_mentor_id = pg_temp.fixture_id('mentor_a2')
      where id = pg_temp.fixture_id('a1_first_aid') $$), 1,
  'coordinator_a reassigns a certification to another mentor of org_a');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'active'
      where id = pg_temp.fixture_id('b1_grief_support') $$), 0,
  'coordinator_a cannot update a certification of org_b');
select throws_ok(
  $$ update public.peer_mentor_certifications set peer_mentor_id = pg_temp.fixture_id('mentor_b1') $$,
  '42501', null,
  'coordinator_a cannot move org_a certifications to a mentor of org_b (WITH CHECK, no column read)');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set peer_mentor_id = pg_temp.fixture_id('mentor_a1')
      where id = pg_temp.fixture_id('b1_first_aid') $$), 0,
  'coordinator_a cannot pull an org_b certification into org_a');
select is(pg_temp.affected_rows($$ delete from public.peer_mentor_certifications $$), 0,
  'coordinator_a cannot delete certifications, not even in org_a');
select is(pg_temp.affected_rows($$ update public.organisations set name = 'Renamed by a coordinator' $$), 0,
  'coordinator_a cannot rename their organisation (only its org admins can; no column read, no error)');
select is(pg_temp.affected_rows($$ delete from public.users $$), 0,
  'coordinator_a cannot remove profiles, not even in org_a (no column read)');

select lives_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), now() + interval '1 year', 'Refresher') $$,
  'coordinator_a renews a certification of org_a');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('b1_first_aid'), now() + interval '1 year') $$,
  'P0002', null, 'coordinator_a cannot renew a certification of org_b');

-- the other organisation's coordinator
select tests.authenticate_as('coordinator_b');
select is(pg_temp.visible_certifications(), array['b1_first_aid', 'b1_grief_support'],
  'coordinator_b sees every certification of org_b and nothing of org_a');
select throws_ok(
  pg_temp.insert_certification('mentor_a1'),
  '42501', null, 'coordinator_b cannot add a certification for a mentor of org_a');
select throws_ok(
  $$ update public.peer_mentor_certifications set peer_mentor_id = pg_temp.fixture_id('mentor_a1') $$,
  '42501', null, 'coordinator_b cannot move org_b certifications to a mentor of org_a');

reset role;
select set_eq(
  $$ select * from public.peer_mentor_certifications where peer_mentor_id = pg_temp.fixture_id('mentor_b1') $$,
  $$ select * from org_b_before $$,
  'org_b''s certifications are untouched by coordinator_a');
select results_eq(
  $$ select status, peer_mentor_id from public.peer_mentor_certifications
      where id in (pg_temp.fixture_id('a2_safeguarding'), pg_temp.fixture_id('a1_first_aid')) order by status $$,
  $$ values ('active', pg_temp.fixture_id('mentor_a2')), ('suspended', pg_temp.fixture_id('mentor_a2')) $$,
  'coordinator_a''s allowed updates took effect');

select * from finish();
rollback;
