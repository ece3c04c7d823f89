-- status only ever holds 'active', 'expired' or 'suspended', whoever writes it.
begin;
select plan(13);

\ir _setup/certification_world.psql

select col_has_check('public', 'peer_mentor_certifications', 'status', 'status has a CHECK constraint');
select is(
  (select pg_get_constraintdef(oid) from pg_constraint
    where conrelid = 'public.peer_mentor_certifications'::regclass
      and conname = 'peer_mentor_certifications_status_check'),
  'CHECK ((status = ANY (ARRAY[''active''::text, ''expired''::text, ''suspended''::text])))',
  'the status CHECK allows exactly active, expired and suspended');

select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), 'revoked') $$,
  '23514', null, 'status ''revoked'' is rejected');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), 'ACTIVE') $$,
  '23514', null, 'status is case-sensitive: ''ACTIVE'' is rejected');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), 'active ') $$,
  '23514', null, 'status with trailing blank is rejected');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), '') $$,
  '23514', null, 'empty status is rejected');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), null) $$,
  '23502', null, 'NULL status is rejected');
select throws_ok(
  $$ update public.peer_mentor_certifications set status = 'deleted' where id = pg_temp.fixture_id('a1_first_aid') $$,
  '23514', null, 'an UPDATE to an unknown status is rejected');

select lives_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a1'), 'status_active', now(), 'active'),
            (pg_temp.fixture_id('mentor_a1'), 'status_expired', now(), 'expired'),
            (pg_temp.fixture_id('mentor_a1'), 'status_suspended', now(), 'suspended') $$,
  'active, expired and suspended are accepted');
select lives_ok(
  pg_temp.insert_certification('mentor_a1', 'status_default'),
  'status may be omitted');
select is(
  (select status from public.peer_mentor_certifications where certification_type = 'status_default'),
  'active', 'an omitted status is active');

-- through the API too: the CHECK is not something only the owner runs into
select tests.authenticate_as('coordinator_a');
select throws_ok(
  $$ update public.peer_mentor_certifications set status = 'archived' where id = pg_temp.fixture_id('a2_safeguarding') $$,
  '23514', null, 'a coordinator cannot store an unknown status either');
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, status)
     values (pg_temp.fixture_id('mentor_a2'), 'cpr', now(), 'pending') $$,
  '23514', null, 'a coordinator cannot add a certification with an unknown status');

select * from finish();
rollback;
