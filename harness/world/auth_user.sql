-- A confirmed e-mail user, as GoTrue writes it (the columns policies and helpers can read).
insert into auth.users (
  instance_id, id, aud, role, email, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at
)
values (
  '00000000-0000-0000-0000-000000000000', %(id)s, 'authenticated', 'authenticated', %(email)s, now(),
  '{"provider": "email", "providers": ["email"]}', '{}', false, now(), now()
)
