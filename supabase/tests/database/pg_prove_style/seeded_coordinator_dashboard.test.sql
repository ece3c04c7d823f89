-- The coordinator dashboard against the rows of supabase/seed.sql, written the way pg_prove suites
-- usually are: psql settings and variables, a shared include, pgcrypto's crypt()/gen_salt() called
-- unqualified (Supabase's search_path finds them in `extensions`), \echo'd TAP comments.
\set ON_ERROR_STOP true
\set QUIET true
\pset format unaligned
\pset tuples_only true
\pset pager off

\ir ../_setup/seed_accounts.psql

begin;
select plan(12);

\echo '# seeded accounts sign in with the documented password'
select ok(
  exists (select 1 from auth.users
           where email = :'coordinator_email'
             and encrypted_password = crypt(:'seed_password', encrypted_password)),
  'the seeded coordinator''s password checks out with crypt()');
select ok(
  not exists (select 1 from auth.users
               where email = :'coordinator_email'
                 and encrypted_password = crypt('not-the-password', encrypted_password)),
  'a wrong password does not');

\echo '# a new mentor joins Nordlys'
select tests.create_supabase_user('new_mentor', 'eva.moen@nordlys.example');
update auth.users set encrypted_password = crypt('Velkommen-2026', gen_salt('bf', 4))
 where email = 'eva.moen@nordlys.example';
insert into public.users (id, organisation_id, role, full_name)
values (tests.get_supabase_uid('new_mentor'), :'nordlys_id', 'peer_mentor', 'Eva Moen');
select is(
  (select crypt('Velkommen-2026', encrypted_password) = encrypted_password
     from auth.users where email = 'eva.moen@nordlys.example'),
  true,
  'a password hashed with gen_salt(''bf'') verifies');

\echo '# coordinator dashboard of' :coordinator_email
select tests.authenticate_as(:'coordinator_email');
select is(
  (select array_agg(u.full_name || ': ' || c.certification_type || ' (' || c.status || ')'
                    order by u.full_name, c.certification_type)
     from public.peer_mentor_certifications as c
     join public.users as u on u.id = c.peer_mentor_id),
  array['Ola Hansen: cpr (expired)', 'Ola Hansen: first_aid (active)', 'Sofie Lund: peer_mentor_basic (active)'],
  'Kari''s dashboard lists Nordlys'' certifications with their mentors, and nothing of Fjordkyst');
select is(
  (select count(*)::int from public.users where organisation_id = :'fjordkyst_id'),
  0,
  'Kari sees no Fjordkyst profile');
select lives_ok(
  format($$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at, expires_at)
            values (%L, 'first_aid', now(), now() + interval '2 years') $$, tests.get_supabase_uid('new_mentor')),
  'Kari records the new mentor''s first aid certificate');
select throws_ok(
  format($$ insert into public.peer_mentor_certifications (peer_mentor_id, certification_type, issued_at)
            values (%L, 'first_aid', now()) $$, tests.get_supabase_uid(:'other_mentor_email')),
  '42501', null,
  'Kari cannot record a certificate for a Fjordkyst mentor');

\echo '# expiring-soon widget of' :other_coordinator_email
select tests.authenticate_as(:'other_coordinator_email');
select is(
  (select array_agg(u.full_name || ': ' || c.certification_type order by c.expires_at)
     from public.peer_mentor_certifications as c
     join public.users as u on u.id = c.peer_mentor_id
    where c.status = 'active' and c.expires_at < now() + interval '30 days'),
  array['Jonas Vik: first_aid'],
  'Nora''s expiring-soon widget shows Jonas'' first aid certificate');
select is(
  (select count(*)::int from public.peer_mentor_certifications
    where peer_mentor_id = tests.get_supabase_uid('new_mentor')),
  0,
  'Nora does not see the certificate Kari just recorded in Nordlys');

\echo '# peer mentors'
select tests.authenticate_as(:'other_mentor_email');
select is(
  (select array_agg(certification_type || ' (' || status || ')' order by certification_type)
     from public.peer_mentor_certifications),
  array['first_aid (active)', 'safeguarding (suspended)'],
  'Jonas sees his own two certificates, the suspended one included');
select tests.authenticate_as(:'mentor_email');
select is(
  (select count(*)::int from public.peer_mentor_certifications
    where peer_mentor_id = tests.get_supabase_uid(:'colleague_email')),
  0,
  'Ola does not see his colleague Sofie''s certificate');

select tests.authenticate_as_anon();
select throws_ok('select count(*) from public.peer_mentor_certifications', '42501', null,
  'the anon key reads nothing');

select * from finish();
rollback;
