-- renewal_history: the CHECK accepts exactly the documented shape; the renewal function appends one
-- entry and moves expires_at in one step; the nightly expiry function expires exactly the right rows.
begin;
select plan(43);

\ir _setup/certification_world.psql

-- A well-formed entry, with some keys replaced (or removed, with a JSON null in `remove`).
create function pg_temp.entry(changes jsonb default '{}', remove text default null) returns jsonb
language sql immutable
as $$
  select (jsonb_build_object(
    'renewed_at', '2026-03-26T09:30:00+00:00',
    'previous_expires_at', '2026-04-01T00:00:00+00:00',
    'renewed_by', '6f1c1d9e-4b1a-4c59-9a55-0a4c6f1f2b10',
    'notes', 'Refresher course',
    'schema_version', 1) || changes) - coalesce(remove, '')
$$;

create function pg_temp.entries(how_many integer) returns jsonb
language sql immutable
as $$ select coalesce(jsonb_agg(pg_temp.entry()), '[]') from generate_series(1, how_many) $$;

-- the validator
select ok(public.is_valid_renewal_history('[]'), 'an empty history is valid');
select ok(public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry())), 'a well-formed entry is valid');
select ok(public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry(
    '{"previous_expires_at": null, "renewed_by": null, "notes": null}'))),
  'previous_expires_at, renewed_by and notes may be null');
select ok(public.is_valid_renewal_history(jsonb_build_array(
    pg_temp.entry('{"renewed_at": "2026-03-26T09:30:00.123456Z"}'),
    pg_temp.entry('{"renewed_at": "2026-03-26 10:30:00+01"}'),
    pg_temp.entry(jsonb_build_object('renewed_at', now(), 'previous_expires_at', now() + interval '1 year')))),
  'Z, fractional seconds, short offsets and to_jsonb(timestamptz) output are valid timestamps');
select ok(public.is_valid_renewal_history(pg_temp.entries(500)), '500 entries (the hard cap) are valid');
select ok(not public.is_valid_renewal_history(pg_temp.entries(501)), '501 entries are over the cap');
select ok(not public.is_valid_renewal_history(pg_temp.entry()), 'an object instead of an array is rejected');
select ok(not public.is_valid_renewal_history('"[]"'), 'a string instead of an array is rejected');
select ok(not public.is_valid_renewal_history('[1, "renewed"]'), 'entries that are not objects are rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry(remove => 'notes'))),
  'an entry with a missing key is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry(remove => 'schema_version'))),
  'an entry without schema_version is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"approved": true}'))),
  'an entry with an extra key is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_at": 1774517400}'))),
  'renewed_at as a number is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_at": null}'))),
  'renewed_at is required');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_at": "26.03.2026 09:30"}'))),
  'renewed_at that is not ISO 8601 is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_at": "2026-02-30T09:30:00+00:00"}'))),
  'renewed_at on a day that does not exist is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_at": "2026-03-26T09:30:00"}'))),
  'renewed_at without a UTC offset is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"previous_expires_at": false}'))),
  'previous_expires_at as a boolean is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"renewed_by": "coordinator"}'))),
  'renewed_by that is not a uuid is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"schema_version": "1"}'))),
  'schema_version as a string is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry('{"schema_version": 2}'))),
  'an unknown schema_version is rejected');
select ok(not public.is_valid_renewal_history(jsonb_build_array(pg_temp.entry(jsonb_build_object('notes', repeat('x', 1001))))),
  'notes longer than 1000 characters are rejected');

-- the constraint on the table
select throws_ok(
  $$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, renewal_history)
     values (pg_temp.fixture_id('mentor_a1'), 'cpr', now(), jsonb_build_array(pg_temp.entry(remove => 'renewed_by'))) $$,
  '23514', null, 'the table rejects a malformed history on INSERT');
select throws_ok(
  $$ update public.peer_mentor_certifications set renewal_history = '{}' where id = pg_temp.fixture_id('a1_first_aid') $$,
  '23514', null, 'the table rejects a history that is not an array on UPDATE');
select lives_ok(
  $$ update public.peer_mentor_certifications set renewal_history = jsonb_build_array(pg_temp.entry())
      where id = pg_temp.fixture_id('a1_first_aid') $$,
  'the table accepts a well-formed history');

-- renewal
create temporary table cpr_before on commit drop as
  select * from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr');

select tests.authenticate_as('coordinator_a');
select lives_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), '2030-01-01 00:00+00', 'Refresher in Bodø') $$,
  'a coordinator renews an expired certification of their organisation');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), now() - interval '1 day') $$,
  '22023', null, 'a renewal into the past is refused');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(gen_random_uuid(), now() + interval '1 year') $$,
  'P0002', null, 'renewing a certification that does not exist is refused');
reset role;

select is(
  (select renewal_history from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr')),
  (select jsonb_build_array(jsonb_build_object(
     'renewed_at', now(), 'previous_expires_at', b.expires_at, 'renewed_by', pg_temp.fixture_id('coordinator_a'),
     'notes', 'Refresher in Bodø', 'schema_version', 1)) from cpr_before as b),
  'renewal appended exactly one entry: now, the previous expiry, the renewing user, the notes, version 1');
select results_eq(
  $$ select expires_at, status from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr') $$,
  $$ values ('2030-01-01 00:00+00'::timestamptz, 'active'::text) $$,
  'renewal moved expires_at and turned expired into active, in the same statement');

select tests.authenticate_as('org_admin_a');
select lives_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a1_cpr'), '2031-01-01 00:00+00', null) $$,
  'an org admin renews it again');
reset role;
select results_eq(
  $$ select jsonb_array_length(renewal_history), renewal_history -> 0 ->> 'notes',
            renewal_history -> 1 ->> 'previous_expires_at', (renewal_history -> 1 ->> 'renewed_by')::uuid
       from public.peer_mentor_certifications where id = pg_temp.fixture_id('a1_cpr') $$,
  $$ values (2, 'Refresher in Bodø'::text, to_jsonb('2030-01-01 00:00+00'::timestamptz) ->> 0,
             pg_temp.fixture_id('org_admin_a')) $$,
  'a second renewal appends after the first and keeps it');

select tests.authenticate_as('coordinator_b');
select lives_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('b1_grief_support'), now() + interval '2 years') $$,
  'coordinator_b renews a suspended certification of org_b');
reset role;
select results_eq(
  $$ select status, renewal_history -> 0 -> 'previous_expires_at'
       from public.peer_mentor_certifications where id = pg_temp.fixture_id('b1_grief_support') $$,
  $$ values ('suspended'::text, 'null'::jsonb) $$,
  'renewing a suspended certification keeps it suspended and records that it had no expiry');

update public.peer_mentor_certifications set renewal_history = pg_temp.entries(500)
 where id = pg_temp.fixture_id('a2_safeguarding');
create temporary table safeguarding_before on commit drop as
  select * from public.peer_mentor_certifications where id = pg_temp.fixture_id('a2_safeguarding');
select tests.authenticate_as('coordinator_a');
select throws_ok(
  $$ select public.renew_peer_mentor_certification(pg_temp.fixture_id('a2_safeguarding'), now() + interval '1 year') $$,
  '23514', null, 'a renewal past the 500-entry cap is refused');
reset role;
select set_eq(
  $$ select * from public.peer_mentor_certifications where id = pg_temp.fixture_id('a2_safeguarding') $$,
  $$ select * from safeguarding_before $$,
  'the refused renewal changed nothing: neither expires_at nor the history');

-- nightly expiry, on the fixture alone (the seed's rows are removed inside this transaction)
delete from public.peer_mentor_certifications where id not in (select id from fixture_ids);
update public.peer_mentor_certifications set renewal_history = '[]', expires_at = now() + interval '30 days'
 where id = pg_temp.fixture_id('a2_safeguarding');
insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at, status)
values
  (pg_temp.fixture_id('mentor_a2'), 'exp_at_the_instant', now() - interval '1 year', now() + interval '31 days', 'active'),
  (pg_temp.fixture_id('mentor_a2'), 'exp_a_microsecond_later', now() - interval '1 year',
   now() + interval '31 days' + interval '1 microsecond', 'active'),
  (pg_temp.fixture_id('mentor_b1'), 'exp_long_past', now() - interval '3 years', now() - interval '2 years', 'active'),
  (pg_temp.fixture_id('mentor_b1'), 'exp_suspended_and_past', now() - interval '3 years', now() - interval '1 year', 'suspended'),
  (pg_temp.fixture_id('mentor_b1'), 'exp_never', now() - interval '3 years', null, 'active');
create temporary table statuses_before on commit drop as
  select c.id, coalesce(f.label, c.certification_type) as label, c.status
  from public.peer_mentor_certifications as c left join fixture_ids as f on f.id = c.id;

select is(public.expire_peer_mentor_certifications(now() + interval '31 days'), 3,
  'the nightly job reports three rows expired as of 31 days from now');
select results_eq(
  $$ select b.label from statuses_before as b join public.peer_mentor_certifications as c using (id)
      where b.status is distinct from c.status order by b.label $$,
  array['a2_safeguarding', 'exp_at_the_instant', 'exp_long_past'],
  'exactly the active rows whose expiry is at or before the instant changed');
select is_empty(
  $$ select c.id from public.peer_mentor_certifications as c join statuses_before as b using (id)
      where b.status <> c.status and c.status <> 'expired' $$,
  'every changed row is now expired');
select is(public.expire_peer_mentor_certifications(now() + interval '31 days'), 0,
  'running the nightly job again changes nothing');

insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
values (pg_temp.fixture_id('mentor_a1'), 'exp_yesterday', now() - interval '1 year', now() - interval '1 day');
select is(public.expire_peer_mentor_certifications(), 1, 'without an argument it expires as of now()');

select tests.authenticate_as('org_admin_a');
select throws_ok($$ select public.expire_peer_mentor_certifications() $$, '42501', null,
  'signed-in users cannot run the nightly job');
reset role;

-- scheduled exactly when pg_cron is installed (the harness's cron stub is not the extension)
select is(
  (select count(*)::int from pg_temp.scheduled_jobs() where jobname = 'expire-peer-mentor-certifications'),
  (select count(*)::int from pg_extension where extname = 'pg_cron'),
  'the nightly job is scheduled if and only if pg_cron is installed');

select * from finish();
rollback;
