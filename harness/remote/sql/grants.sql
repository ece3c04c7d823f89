-- Every relation a policy or a grant can guard (the ones the drift check compares), with its owner
-- and its privileges, table-wide and per column: one {grantee, privilege, grantable[, column]} per
-- entry. No ACL yet means the owner's defaults (acldefault), as PostgreSQL reads it. The grantor is
-- left out: who granted does not change who may.
select format('%I.%I', n.nspname, c.relname) as table_name,
       n.nspname::text as schema,
       case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                      when 'm' then 'materialized view' else 'foreign table' end as kind,
       pg_get_userbyid(c.relowner)::text as owner,
       coalesce((
         select jsonb_agg(jsonb_build_object(
                  'grantee', case when a.grantee = 0 then 'public' else pg_get_userbyid(a.grantee)::text end,
                  'privilege', a.privilege_type, 'grantable', a.is_grantable))
         from aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a), '[]'::jsonb)
       || coalesce((
         select jsonb_agg(jsonb_build_object(
                  'grantee', case when x.grantee = 0 then 'public' else pg_get_userbyid(x.grantee)::text end,
                  'privilege', x.privilege_type, 'grantable', x.is_grantable, 'column', att.attname::text))
         from pg_attribute att
         cross join lateral aclexplode(att.attacl) x
         where att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped and att.attacl is not null),
         '[]'::jsonb) as grants
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f')
  -- an extension's own tables (postgis's spatial_ref_sys in public, say) come with the extension
  and not exists (select 1 from pg_depend e
                  where e.classid = 'pg_class'::regclass and e.objid = c.oid and e.deptype = 'e')
  and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  and n.nspname not like 'pg\_temp\_%' and n.nspname not like 'pg\_toast\_temp\_%'
