-- The row level security policies that apply to one API role, per table: "schema.table" and
-- "policy name (command)". Empty for a role that bypasses RLS (service_role).
select n.nspname || '.' || c.relname as table_name,
       p.polname || ' (' || case p.polcmd when 'r' then 'select' when 'a' then 'insert'
                                          when 'w' then 'update' when 'd' then 'delete'
                                          else 'all' end || ')' as policy
from pg_catalog.pg_policy as p
join pg_catalog.pg_class as c on c.oid = p.polrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
join pg_catalog.pg_roles as r on r.rolname = %(role)s
where c.relrowsecurity
  and not r.rolbypassrls
  and (p.polroles = '{0}'::oid[] or r.oid = any (p.polroles))
order by 1, 2
