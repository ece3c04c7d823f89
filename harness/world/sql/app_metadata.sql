-- What GoTrue would put into each user's access token as app_metadata: raw_app_meta_data as it is
-- now, after the project's triggers (a claims cache maintained on membership changes) ran.
select id::text, coalesce(raw_app_meta_data, '{}'::jsonb)
from auth.users
where id = any(%(ids)s::uuid[])
