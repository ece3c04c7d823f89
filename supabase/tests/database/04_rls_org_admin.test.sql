-- An org admin has every operation on the certifications of their organisation's members, and none
-- on another organisation's; they manage their organisation's profiles but cannot move them out.
begin;
select plan(22);

\ir _setup/certification_world.psql

select tests.authenticate_as('org_admin_a');

select is(pg_temp.visible_certifications(), array['a1_cpr', 'a1_first_aid', 'a2_safeguarding'],
  'org_admin_a sees every certification of org_a and nothing of org_b');
select lives_ok(
  pg_temp.insert_certification('mentor_a1', 'mental_health_first_aid'),
  'org_admin_a adds a certification for a mentor of org_a');
select throws_ok(
  pg_temp.insert_certification('mentor_b1'),
  '42501', null, 'org_admin_a cannot add a certification for a mentor of org_b');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'suspended'
      where id = pg_temp.fixture_id('a1_first_aid') $$), 1,
  'org_admin_a updates a certification of org_a');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'active'
      where id = pg_temp.fixture_id('b1_grief_support') $$), 0,
  'org_admin_a cannot update a certification of org_b');
select throws_ok(
  $$ update public.peer_mentor_certifications set peer_mentor_id = pg_temp.fixture_id('mentor_b1') $$,
  '42501', null,
  'org_admin_a cannot move org_a certifications to a mentor of org_b (WITH CHECK, no column read)');
select is(pg_temp.affected_rows(
  $$ delete from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr') $$), 1,
  'org_admin_a deletes a certification of org_a');
select is(pg_temp.affected_rows(
  $$ delete from public.peer_mentor_certifications where id = pg_temp.fixture_id('b1_first_aid') $$), 0,
  'org_admin_a cannot delete a certification of org_b');

-- profiles of the organisation
select results_eq($$ select count(*)::int from public.users $$, array[4],
  'org_admin_a sees the four profiles of org_a');
select is(pg_temp.affected_rows(
  $$ update public.users set role = 'coordinator' where id = pg_temp.fixture_id('mentor_a2') $$), 1,
  'org_admin_a promotes a mentor of org_a');
select is(pg_temp.affected_rows($$ update public.users set full_name = 'Renamed by org_admin_a' $$), 4,
  'org_admin_a updating every profile updates exactly the four of org_a (no column read, no error)');
select throws_ok(
  $$ update public.users set organisation_id = pg_temp.fixture_id('org_b') $$,
  '42501', null, 'org_admin_a cannot move profiles into org_b');
select throws_ok(
  $$ update public.users set id = pg_temp.fixture_id('no_profile') where id = pg_temp.fixture_id('mentor_a2') $$,
  '42501', null, 'org_admin_a cannot re-point a profile to another auth account (ids are immutable)');
select is(pg_temp.affected_rows(
  $$ delete from public.users where id = pg_temp.fixture_id('mentor_b1') $$), 0,
  'org_admin_a cannot remove a profile of org_b');
select is(pg_temp.affected_rows(
  $$ delete from public.users where id = pg_temp.fixture_id('coordinator_a') $$), 1,
  'org_admin_a removes a profile of org_a');
select is(pg_temp.affected_rows($$ update public.organisations set name = 'Renamed' $$), 1,
  'org_admin_a renames their own organisation and no other');

-- the other organisation's admin, after org_a's admin has acted
select tests.authenticate_as('org_admin_b');
select is(pg_temp.visible_certifications(), array['b1_first_aid', 'b1_grief_support'],
  'org_admin_b still sees both org_b certifications and nothing of org_a');
select is(pg_temp.affected_rows($$ delete from public.peer_mentor_certifications $$), 2,
  'org_admin_b deleting everything deletes exactly org_b''s two certifications');
select is(pg_temp.affected_rows(
  $$ update public.peer_mentor_certifications set status = 'expired'
      where peer_mentor_id = pg_temp.fixture_id('mentor_a1') $$), 0,
  'org_admin_b cannot update certifications of org_a');
select is(pg_temp.affected_rows($$ delete from public.users $$), 3,
  'org_admin_b removing every profile removes exactly the three of org_b, their own included (no column read)');

reset role;
select is(
  (select array_agg(f.label order by f.label) from fixture_ids as f
    join public.peer_mentor_certifications as c on c.id = f.id),
  array['a1_first_aid', 'a2_safeguarding'],
  'after both admins: org_a keeps the rows it did not delete, org_b''s rows are gone');
select is(
  (select count(*)::int from public.peer_mentor_certifications
    where peer_mentor_id = pg_temp.fixture_id('mentor_a1') and certification_type = 'mental_health_first_aid'),
  1,
  'org_admin_a''s insert is there');

select * from finish();
rollback;
