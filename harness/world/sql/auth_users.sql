-- The audit's people as real auth.users rows (GoTrue's columns that policies and triggers read).
-- %(people)s: a JSON array of {id, email, app_metadata, user_metadata}.
insert into auth.users (
  instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
  created_at, updated_at, is_sso_user, is_anonymous
)
select '00000000-0000-0000-0000-000000000000', (p ->> 'id')::uuid, 'authenticated', 'authenticated',
       p ->> 'email', now(), p -> 'app_metadata', p -> 'user_metadata', now(), now(), false, false
from jsonb_array_elements(%(people)s::jsonb) as p
