-- updated_at is set to now() by a BEFORE UPDATE trigger on every UPDATE, whatever the statement
-- says, and INSERT leaves it alone. now() is the transaction's start time, so rows are planted with
-- old timestamps and compared with now().
begin;
select plan(11);

\ir _setup/certification_world.psql

select has_trigger('public', 'peer_mentor_certifications', 'peer_mentor_certifications_set_updated_at',
  'the certifications table has its updated_at trigger');
select matches(
  (select pg_get_triggerdef(oid) from pg_trigger
    where tgrelid = 'public.peer_mentor_certifications'::regclass
      and tgname = 'peer_mentor_certifications_set_updated_at'),
  '^CREATE TRIGGER \S+ BEFORE UPDATE ON public\.peer_mentor_certifications '
  'FOR EACH ROW EXECUTE FUNCTION (public\.)?set_updated_at\(\)$',
  'it fires BEFORE UPDATE, FOR EACH ROW, and calls public.set_updated_at()');
select has_trigger('public', 'users', 'users_set_updated_at', 'public.users has an updated_at trigger');
select has_trigger('public', 'organisations', 'organisations_set_updated_at',
  'public.organisations has an updated_at trigger');

insert into public.peer_mentor_certifications
  (peer_mentor_id, certification_type, issued_at, created_at, updated_at)
values
  (pg_temp.fixture_id('mentor_a1'), 'trigger_owner', '2019-06-01', '2020-01-01 00:00+00', '2020-01-01 00:00+00'),
  (pg_temp.fixture_id('mentor_a2'), 'trigger_api', '2019-06-01', '2020-01-01 00:00+00', '2020-01-01 00:00+00'),
  (pg_temp.fixture_id('mentor_a2'), 'trigger_noop', '2019-06-01', '2020-01-01 00:00+00', '2020-01-01 00:00+00');

select is(
  (select updated_at from public.peer_mentor_certifications where certification_type = 'trigger_owner'),
  '2020-01-01 00:00+00'::timestamptz,
  'INSERT keeps the given updated_at (the trigger is for UPDATE only)');

update public.peer_mentor_certifications set status = 'suspended' where certification_type = 'trigger_owner';
select is(
  (select updated_at from public.peer_mentor_certifications where certification_type = 'trigger_owner'),
  now(), 'UPDATE sets updated_at to now()');
select is(
  (select created_at from public.peer_mentor_certifications where certification_type = 'trigger_owner'),
  '2020-01-01 00:00+00'::timestamptz, 'UPDATE leaves created_at alone');

update public.peer_mentor_certifications set updated_at = '1999-12-31 23:59+00'
 where certification_type = 'trigger_owner';
select is(
  (select updated_at from public.peer_mentor_certifications where certification_type = 'trigger_owner'),
  now(), 'an UPDATE that sets updated_at itself still gets now()');

update public.peer_mentor_certifications set status = status where certification_type = 'trigger_noop';
select is(
  (select updated_at from public.peer_mentor_certifications where certification_type = 'trigger_noop'),
  now(), 'an UPDATE that changes nothing still sets updated_at');

select tests.authenticate_as('coordinator_a');
update public.peer_mentor_certifications set expires_at = now() + interval '1 year'
 where certification_type = 'trigger_api';
reset role;
select is(
  (select updated_at from public.peer_mentor_certifications where certification_type = 'trigger_api'),
  now(), 'an UPDATE through the API (a coordinator, under RLS) sets updated_at');
select is(
  (select count(*)::int from public.peer_mentor_certifications
    where certification_type like 'trigger_%' and updated_at = '2020-01-01 00:00+00'),
  0, 'no updated row kept its old updated_at');

select * from finish();
rollback;
