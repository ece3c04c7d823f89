-- A peer mentor reads their own certifications and nothing else, and writes nothing: not their own
-- rows, not another mentor's in the same organisation, not another organisation's.
begin;
select plan(20);

\ir _setup/certification_world.psql

create temporary table certifications_before on commit drop as
  select * from public.peer_mentor_certifications;

select tests.authenticate_as('mentor_a1');

select is(pg_temp.visible_certifications(), array['a1_cpr', 'a1_first_aid'],
  'mentor_a1 sees exactly their own two certifications');
select is_empty(
  $$ select id from public.peer_mentor_certifications where id = pg_temp.fixture_id('a2_safeguarding') $$,
  'mentor_a1 cannot read mentor_a2''s certification (same organisation)');
select is_empty(
  $$ select id from public.peer_mentor_certifications where peer_mentor_id = pg_temp.fixture_id('mentor_b1') $$,
  'mentor_a1 cannot read mentor_b1''s certifications (other organisation)');
select is(
  (select renewal_history from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr')),
  '[]'::jsonb,
  'mentor_a1 reads the renewal history of their own certification');

select throws_ok(
  pg_temp.insert_certification('mentor_a1'),
  '42501', null, 'mentor_a1 cannot add a certification for themselves');
select throws_ok(
  pg_temp.insert_certification('mentor_a2'),
  '42501', null, 'mentor_a1 cannot add a certification for another mentor of the organisation');
select throws_ok(
  pg_temp.insert_certification('mentor_b1'),
  '42501', null, 'mentor_a1 cannot add a certification for a mentor of another organisation');

select is(pg_temp.affected_rows($$ update public.peer_mentor_certifications set status = 'active' $$), 0,
  'mentor_a1 cannot update any certification, not even their own (no WHERE: write policies alone)');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set expires_at = now() + interval '5 years'
      where id = pg_temp.fixture_id('a1_cpr') $$), 0,
  'mentor_a1 cannot extend their own expired certification');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'suspended'
      where id = pg_temp.fixture_id('a2_safeguarding') $$), 0,
  'mentor_a1 cannot update mentor_a2''s certification');
select is(pg_temp.affected_rows($$ delete from public.peer_mentor_certifications $$), 0,
  'mentor_a1 cannot delete any certification, not even their own');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), now() + interval '1 year') $$,
  'P0002', null, 'mentor_a1 cannot renew their own certification through the renewal function');

-- profiles and organisations through the same persona
select results_eq(
  $$ select id from public.users $$,
  array[pg_temp.fixture_id('mentor_a1')],
  'mentor_a1 sees only their own profile');
select results_eq(
  $$ select id from public.organisations $$,
  array[pg_temp.fixture_id('org_a')],
  'mentor_a1 sees only their own organisation');
select is(pg_temp.affected_rows($$ update public.users set role = 'org_admin' $$), 0,
  'mentor_a1 cannot promote themselves');
select is(public.get_user_organisation_id(), pg_temp.fixture_id('org_a'),
  'get_user_organisation_id() answers mentor_a1''s organisation');
select is(public.get_user_role(), 'peer_mentor', 'get_user_role() answers peer_mentor');

-- the other organisation's mentor, so an asymmetric policy is caught too
select tests.authenticate_as('mentor_b1');
select is(pg_temp.visible_certifications(), array['b1_first_aid', 'b1_grief_support'],
  'mentor_b1 sees exactly their own two certifications');
select is(pg_temp.affected_rows($$ delete from public.peer_mentor_certifications $$), 0,
  'mentor_b1 cannot delete any certification');

reset role;
select set_eq(
  $$ select * from public.peer_mentor_certifications $$,
  $$ select * from certifications_before $$,
  'no certification changed while peer mentors tried to write');

select * from finish();
rollback;
