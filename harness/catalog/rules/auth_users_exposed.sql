-- auth-users-exposed (error): a view or materialized view in an API schema that anon or
-- authenticated can read exposes auth.users (emails, phone numbers, metadata) with its owner's rights.
select distinct on (v.nspname, v.relname)
  'auth-users-exposed' as name,
  'error' as level,
  'auth.users exposed through a view' as title,
  v.qualified as "table",
  reader.rolname::text as persona,
  'select' as operation,
  'auth.users holds every user''s email, phone and metadata; a view over it in an API schema hands '
  'them to the API with the view owner''s rights.' as description,
  format('%s reads auth.users and %s can select from it through the API', v.qualified, reader.rolname) as detail,
  format('revoke select on %I.%I from anon, authenticated; or rebuild it as a security_invoker view over a '
         'profile table of your own', v.nspname, v.relname) as remediation,
  jsonb_build_object('kind', case v.relkind when 'm' then 'materialized view' else 'view' end) as metadata
from harness_view_reads reads
join harness_api_relations v on v.oid = reads.view_oid and v.relkind in ('v', 'm')
cross join harness_api_roles reader
where reads.table_oid = to_regclass('auth.users')
  and v.oid not in (select oid from harness_invoker_views)
  and has_schema_privilege(reader.rolname, v.nspname, 'USAGE')
  and has_table_privilege(reader.rolname, v.oid, 'SELECT')
order by v.nspname, v.relname, reader.rank
