-- security-definer-function (warning): a SECURITY DEFINER function in an API schema that anon or
-- authenticated may execute (PUBLIC's default EXECUTE counts): callable as an RPC, it runs with
-- its owner's rights and bypasses the caller's row level security.
select distinct on (p.oid)
  'security-definer-function' as name,
  'warning' as level,
  'SECURITY DEFINER function executable through the API' as title,
  null::text as "table",
  r.rolname::text as persona,
  null::text as operation,
  'A SECURITY DEFINER function runs with its owner''s rights; in an API schema anyone who may execute '
  'it can call it as /rpc/<name>.' as description,
  format('%s.%s(%s) is SECURITY DEFINER (owner %s) and %s may execute it%s', n.nspname, p.proname,
         pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner), r.rolname,
         case when via_public then ' (through the default EXECUTE of PUBLIC)' else '' end) as detail,
  format('revoke execute on function %I.%I(%s) from public, anon%s; or move it to a schema the API does not '
         'expose (helpers called from policies keep working there)', n.nspname, p.proname,
         pg_get_function_identity_arguments(p.oid), case when r.rolname = 'authenticated' then ', authenticated' else '' end)
    as remediation,
  jsonb_build_object('function', format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
                     'owner', pg_get_userbyid(p.proowner), 'via_public', via_public) as metadata
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
cross join harness_api_roles r
cross join lateral (
  select p.proacl is null or exists (select 1 from aclexplode(p.proacl) a
                                     where a.grantee = 0 and a.privilege_type = 'EXECUTE') as via_public
) as public_grant
where p.prosecdef
  and p.prokind = 'f'
  and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
  and n.nspname = any (string_to_array(current_setting('harness.api_schemas'), ','))
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  and has_schema_privilege(r.rolname, n.oid, 'USAGE')
  and has_function_privilege(r.rolname, p.oid, 'EXECUTE')
order by p.oid, r.rank
