-- column-grant-defeated (error): a column-level grant to anon or authenticated (or PUBLIC) for a
-- privilege the same role already holds on the whole table. The column list restricts nothing:
-- Supabase grants everything in public to the API roles, so a column grant only works after the
-- table-wide privilege is revoked.
with column_grants as (
  select c.oid, t.qualified, t.nspname, t.relname, a.attname, acl.grantee, acl.privilege_type
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join harness_api_relations t on t.oid = c.oid
  cross join lateral aclexplode(a.attacl) as acl
  where a.attacl is not null and a.attnum > 0 and not a.attisdropped
),
defeated as (
  select g.*, coalesce(nullif(pg_get_userbyid(g.grantee), '-'), 'public') as rolname
  from column_grants g
  join pg_class c on c.oid = g.oid
  where (g.grantee = 0 or g.grantee in (select oid from pg_roles where rolname in ('anon', 'authenticated')))
    and exists (
      select 1 from aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) as t
      where t.privilege_type = g.privilege_type and (t.grantee = g.grantee or t.grantee = 0)
    )
)
select
  'column-grant-defeated' as name,
  'error' as level,
  'Column grant defeated by a table-wide grant' as title,
  qualified as "table",
  case when grantee = 0 then 'anon' else rolname end as persona,
  lower(privilege_type) as operation,
  'A column-level privilege adds nothing when the role already has the privilege on the whole table.' as description,
  format('%s on %s (%s) is granted to %s column by column, but %s also holds %s on the whole table, '
         'so every column is open', privilege_type, qualified, string_agg(attname, ', ' order by attname), rolname,
         rolname, privilege_type) as detail,
  format('revoke %s on %I.%I from %s; (then the column grant is the only one)', lower(privilege_type), nspname,
         relname, case when grantee = 0 then 'public' else quote_ident(rolname) end) as remediation,
  jsonb_build_object('columns', array_agg(attname order by attname), 'role', rolname) as metadata
from defeated
where privilege_type in ('SELECT', 'INSERT', 'UPDATE')
group by qualified, nspname, relname, rolname, grantee, privilege_type
order by 4, 5, 6
