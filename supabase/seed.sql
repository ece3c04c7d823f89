-- Development and test seed, applied after the migrations (as `supabase db reset` does).
-- Two organisations, each with an org admin, a coordinator and peer mentors, and a handful of
-- certifications in every status. Every sign-in uses the password `password123`.
-- Safe to apply again: every insert is ON CONFLICT DO NOTHING on fixed ids.
--
--   Nordlys Peer Mentors                      Fjordkyst Peer Support
--   ingrid.berg@nordlys.example    org_admin  erik.dahl@fjordkyst.example     org_admin
--   kari.nordmann@nordlys.example  coordinator nora.solberg@fjordkyst.example coordinator
--   ola.hansen@nordlys.example     peer_mentor jonas.vik@fjordkyst.example    peer_mentor
--   sofie.lund@nordlys.example     peer_mentor

insert into public.organisations (id, name)
values
  ('0a000000-0000-4000-8000-000000000001', 'Nordlys Peer Mentors'),
  ('0b000000-0000-4000-8000-000000000001', 'Fjordkyst Peer Support')
on conflict (id) do nothing;

with people (id, email, full_name, organisation_id, role) as (
  values
    ('0a000000-0000-4000-8000-0000000000a1'::uuid, 'ingrid.berg@nordlys.example', 'Ingrid Berg',
     '0a000000-0000-4000-8000-000000000001'::uuid, 'org_admin'),
    ('0a000000-0000-4000-8000-0000000000c1', 'kari.nordmann@nordlys.example', 'Kari Nordmann',
     '0a000000-0000-4000-8000-000000000001', 'coordinator'),
    ('0a000000-0000-4000-8000-0000000000e1', 'ola.hansen@nordlys.example', 'Ola Hansen',
     '0a000000-0000-4000-8000-000000000001', 'peer_mentor'),
    ('0a000000-0000-4000-8000-0000000000e2', 'sofie.lund@nordlys.example', 'Sofie Lund',
     '0a000000-0000-4000-8000-000000000001', 'peer_mentor'),
    ('0b000000-0000-4000-8000-0000000000a1', 'erik.dahl@fjordkyst.example', 'Erik Dahl',
     '0b000000-0000-4000-8000-000000000001', 'org_admin'),
    ('0b000000-0000-4000-8000-0000000000c1', 'nora.solberg@fjordkyst.example', 'Nora Solberg',
     '0b000000-0000-4000-8000-000000000001', 'coordinator'),
    ('0b000000-0000-4000-8000-0000000000e1', 'jonas.vik@fjordkyst.example', 'Jonas Vik',
     '0b000000-0000-4000-8000-000000000001', 'peer_mentor')
),
auth_users as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at
  )
  select
    '00000000-0000-0000-0000-000000000000', p.id, 'authenticated', 'authenticated', p.email,
    crypt('password123', gen_salt('bf')), now(),
    '{"provider": "email", "providers": ["email"]}', jsonb_build_object('full_name', p.full_name),
    false, now(), now()
  from people as p
  on conflict (id) do nothing
),
identities as (
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  select p.id::text, p.id, jsonb_build_object('sub', p.id::text, 'email', p.email, 'email_verified', true),
         'email', now(), now()
  from people as p
  on conflict (provider_id, provider) do nothing
)
insert into public.users (id, organisation_id, role, full_name)
select p.id, p.organisation_id, p.role, p.full_name
from people as p
on conflict (id) do nothing;

insert into public.peer_mentor_certifications
  (id, peer_mentor_id, certification_type, issued_at, expires_at, status, renewal_history)
values
  -- Ola: a current first aid certificate, and a CPR one that lapsed after one renewal.
  ('0a000000-0000-4000-8000-00000000ce01', '0a000000-0000-4000-8000-0000000000e1', 'first_aid',
   now() - interval '200 days', now() + interval '165 days', 'active', '[]'),
  ('0a000000-0000-4000-8000-00000000ce02', '0a000000-0000-4000-8000-0000000000e1', 'cpr',
   now() - interval '800 days', now() - interval '30 days', 'expired',
   jsonb_build_array(jsonb_build_object(
     'renewed_at', now() - interval '395 days',
     'previous_expires_at', now() - interval '435 days',
     'renewed_by', '0a000000-0000-4000-8000-0000000000c1',
     'notes', 'Refresher course in Tromsø',
     'schema_version', 1))),
  -- Sofie: the basic peer mentor course, which does not expire.
  ('0a000000-0000-4000-8000-00000000ce03', '0a000000-0000-4000-8000-0000000000e2', 'peer_mentor_basic',
   now() - interval '90 days', null, 'active', '[]'),
  -- Jonas: first aid about to lapse, and a suspended safeguarding certificate.
  ('0b000000-0000-4000-8000-00000000ce01', '0b000000-0000-4000-8000-0000000000e1', 'first_aid',
   now() - interval '355 days', now() + interval '10 days', 'active', '[]'),
  ('0b000000-0000-4000-8000-00000000ce02', '0b000000-0000-4000-8000-0000000000e1', 'safeguarding',
   now() - interval '60 days', now() + interval '305 days', 'suspended', '[]')
on conflict (id) do nothing;
