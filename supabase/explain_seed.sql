-- The population `harness explain` measures the subject's [[explain]] targets on (harness.toml,
-- seed_file). Runs as a superuser after the tenancy world exists, with {rows} replaced by the
-- target's row count (--rows N overrides it).
--
-- Realistic, so the planner faces production's choices: greatest(20, rows / 500) organisations
-- (tenant A, whose members the personas are, is one of them), rows / 4 members spread round-robin
-- over them (1 in 25 a coordinator, 1 in 100 an org admin, the rest peer mentors), and {rows}
-- certifications, about four per peer mentor, of six types, issued over the last three years,
-- valid one to three years (5 % never expire), a third with a renewal in their history. Status
-- follows the dates as the nightly job leaves them: expired when expires_at passed more than a day
-- ago, 4 % suspended, else active, so "active but past expires_at" is the one day's worth of rows
-- the next nightly run has to find (about 0.05 %).

select setseed(0.4242);

insert into public.organisations (id, name)
select md5('explain-organisation-' || g)::uuid, 'Seeded organisation ' || g
from generate_series(1, greatest(20, {rows} / 500) - 2) as g;

create temporary table seed_organisations on commit drop as
select id, (row_number() over (order by id) - 1)::int as k from public.organisations;

insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data,
                        raw_user_meta_data, is_super_admin, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', md5('explain-member-' || g)::uuid, 'authenticated',
       'authenticated', 'member-' || g || '@seed.example', now(),
       '{"provider": "email", "providers": ["email"]}', '{}', false, now(), now()
from generate_series(1, greatest(1, {rows} / 4)) as g;

insert into public.users (id, organisation_id, role, full_name)
select md5('explain-member-' || g)::uuid, o.id,
       case when g % 100 = 1 then 'org_admin' when g % 25 = 0 then 'coordinator' else 'peer_mentor' end,
       'Seeded member ' || g
from generate_series(1, greatest(1, {rows} / 4)) as g
join seed_organisations as o on o.k = g % (select count(*) from seed_organisations);

create temporary table seed_mentors on commit drop as
select id, (row_number() over (order by id) - 1)::int as k from public.users where role = 'peer_mentor';
-- Temporary tables have no statistics until analyzed: without them the join below is a nested loop
-- over every (certification, mentor) pair (1.2 s at 10 000 rows instead of 0.1 s).
analyze seed_mentors;

insert into public.peer_mentor_certifications
  (peer_mentor_id, certification_type, issued_at, expires_at, status, renewal_history)
with drawn as materialized (
  select g, now() - random() * interval '3 years' as issued_at,
         random() as expiry_dice, random() as status_dice, random() as history_dice
  from generate_series(1, {rows}) as g
), dated as (
  select d.*,
         case when d.expiry_dice < 0.05 then null
              else d.issued_at + (1 + floor((d.expiry_dice - 0.05) / 0.95 * 3))::int * interval '1 year'
         end as expires_at
  from drawn as d
)
select m.id,
       (array['first_aid', 'cpr', 'peer_mentor_basic', 'peer_mentor_advanced', 'safeguarding',
              'data_protection'])[1 + d.g % 6],
       d.issued_at,
       d.expires_at,
       case when d.status_dice < 0.04 then 'suspended'
            when d.expires_at < now() - interval '1 day' then 'expired'
            else 'active' end,
       case when d.history_dice < 0.33 then jsonb_build_array(jsonb_build_object(
              'renewed_at', to_jsonb(d.issued_at),
              'previous_expires_at', to_jsonb(d.issued_at - interval '1 day'),
              'renewed_by', null, 'notes', 'Refresher course', 'schema_version', 1))
            else '[]'::jsonb end
from dated as d
join seed_mentors as m on m.k = d.g % (select count(*) from seed_mentors);
