-- The catalog of everything a migration can create, one row per object:
-- (kind, name, detail). Extension members and system schemas are left out;
-- sequence positions are not part of it (README: the not-idempotent rule).
with
user_ns as (
  select n.oid, n.nspname
  from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
    and n.nspname not like 'pg\_temp\_%' and n.nspname not like 'pg\_toast\_temp\_%'
),
ext_member as (
  select objid, classid from pg_depend where deptype = 'e'
),
rels as (
  select c.oid, c.relname, c.relkind, ns.nspname, c.relrowsecurity, c.relforcerowsecurity,
         c.relacl, c.reloptions, c.relpersistence, c.relispartition,
         pg_get_userbyid(c.relowner) as owner
  from pg_class c
  join user_ns ns on ns.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
    and not exists (select 1 from ext_member e where e.classid = 'pg_class'::regclass and e.objid = c.oid)
)
select 'schema' as kind, ns.nspname as name,
       jsonb_build_object(
         'owner', pg_get_userbyid(n.nspowner),
         'grants', (select array_agg(a::text order by a::text) from unnest(n.nspacl) a),
         'comment', obj_description(n.oid, 'pg_namespace')) as detail
from user_ns ns join pg_namespace n on n.oid = ns.oid
union all
select case r.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                      when 'm' then 'materialized view' when 'f' then 'foreign table' else 'sequence' end,
       format('%I.%I', r.nspname, r.relname),
       jsonb_build_object(
         'owner', r.owner,
         'row level security', r.relrowsecurity,
         'forced row level security', r.relforcerowsecurity,
         'partitioned', r.relkind = 'p',
         'partition of', case when r.relispartition then
             (select i.inhparent::regclass::text from pg_inherits i where i.inhrelid = r.oid) end,
         'partition bound', case when r.relispartition then pg_get_expr(pc.relpartbound, r.oid) end,
         'unlogged', r.relpersistence = 'u',
         'options', to_jsonb(r.reloptions),
         'grants', (select array_agg(a::text order by a::text) from unnest(r.relacl) a),
         'comment', obj_description(r.oid, 'pg_class'),
         'definition', case when r.relkind in ('v', 'm') then pg_get_viewdef(r.oid) end,
         'sequence', case when r.relkind = 'S' then
             (select jsonb_build_object('type', format_type(s.seqtypid, null), 'start', s.seqstart,
                                        'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
                                        'cycle', s.seqcycle, 'cache', s.seqcache)
              from pg_sequence s where s.seqrelid = r.oid) end)
from rels r join pg_class pc on pc.oid = r.oid
union all
select 'column', format('%I.%I.%I', r.nspname, r.relname, a.attname),
       jsonb_build_object(
         'type', format_type(a.atttypid, a.atttypmod),
         'not null', a.attnotnull,
         'default', pg_get_expr(d.adbin, d.adrelid),
         'identity', nullif(a.attidentity, ''),
         'generated', nullif(a.attgenerated, ''),
         'collation', case when a.attcollation <> 0 then (select collname from pg_collation where oid = a.attcollation) end,
         'grants', (select array_agg(x::text order by x::text) from unnest(a.attacl) x),
         'comment', col_description(r.oid, a.attnum),
         'position', a.attnum)
from rels r
join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where r.relkind in ('r', 'p', 'v', 'm', 'f')
union all
select 'constraint', format('%I.%I.%I', r.nspname, r.relname, con.conname),
       jsonb_build_object('definition', pg_get_constraintdef(con.oid),
                          'deferrable', con.condeferrable, 'validated', con.convalidated,
                          'comment', obj_description(con.oid, 'pg_constraint'))
from pg_constraint con join rels r on r.oid = con.conrelid
union all
select 'domain constraint', format('%s.%I', con.contypid::regtype::text, con.conname),
       jsonb_build_object('definition', pg_get_constraintdef(con.oid))
from pg_constraint con join pg_type t on t.oid = con.contypid join user_ns ns on ns.oid = t.typnamespace
where con.contypid <> 0
union all
select 'index', format('%I.%I', ns.nspname, i.relname),
       jsonb_build_object('definition', pg_get_indexdef(i.oid), 'comment', obj_description(i.oid, 'pg_class'))
from pg_index x
join pg_class i on i.oid = x.indexrelid
join user_ns ns on ns.oid = i.relnamespace
where not exists (select 1 from ext_member e where e.classid = 'pg_class'::regclass and e.objid = x.indrelid)
union all
select 'policy', format('%I on %I.%I', p.polname, r.nspname, r.relname),
       jsonb_build_object(
         'command', case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                                  when 'd' then 'DELETE' else 'ALL' end,
         'permissive', p.polpermissive,
         'roles', (select array_agg(pr.name order by pr.name) from
                   (select case when rid = 0 then 'public' else pg_get_userbyid(rid)::text end as name
                    from unnest(p.polroles) rid) pr),
         'using', pg_get_expr(p.polqual, p.polrelid),
         'with check', pg_get_expr(p.polwithcheck, p.polrelid))
from pg_policy p join rels r on r.oid = p.polrelid
union all
select 'trigger', format('%I on %I.%I', t.tgname, r.nspname, r.relname),
       jsonb_build_object('definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled)
from pg_trigger t join rels r on r.oid = t.tgrelid
where not t.tgisinternal
union all
select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
       format('%I.%I(%s)', ns.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       jsonb_build_object(
         'returns', pg_get_function_result(p.oid),
         'language', (select lanname from pg_language l where l.oid = p.prolang),
         'body', p.prosrc,
         'security definer', p.prosecdef,
         'volatility', p.provolatile,
         'strict', p.proisstrict,
         'settings', to_jsonb(p.proconfig),
         'owner', pg_get_userbyid(p.proowner),
         'grants', (select array_agg(a::text order by a::text) from unnest(p.proacl) a),
         'comment', obj_description(p.oid, 'pg_proc'))
from pg_proc p join user_ns ns on ns.oid = p.pronamespace
where not exists (select 1 from ext_member e where e.classid = 'pg_proc'::regclass and e.objid = p.oid)
union all
select 'type', format('%I.%I', ns.nspname, t.typname),
       jsonb_build_object(
         'kind', t.typtype,
         'labels', (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
         'base type', case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
         'not null', t.typnotnull,
         'default', t.typdefault,
         'comment', obj_description(t.oid, 'pg_type'))
from pg_type t join user_ns ns on ns.oid = t.typnamespace
where t.typtype in ('e', 'd', 'r', 'm')
  and not exists (select 1 from ext_member e where e.classid = 'pg_type'::regclass and e.objid = t.oid)
union all
select 'extension', x.extname,
       jsonb_build_object('version', x.extversion, 'schema', x.extnamespace::regnamespace::text)
from pg_extension x
union all
select 'default privileges', format('%s in %s on %s', pg_get_userbyid(d.defaclrole),
                                    coalesce(d.defaclnamespace::regnamespace::text, 'every schema'),
                                    d.defaclobjtype),
       jsonb_build_object('grants', (select array_agg(a::text order by a::text) from unnest(d.defaclacl) a))
from pg_default_acl d
union all
select 'publication', p.pubname,
       jsonb_build_object('all tables', p.puballtables,
                          'tables', (select array_agg(format('%I.%I', pt.schemaname, pt.tablename)::text
                                                     order by pt.schemaname, pt.tablename)
                                     from pg_publication_tables pt where pt.pubname = p.pubname))
from pg_publication p
union all
select 'event trigger', e.evtname,
       jsonb_build_object('event', e.evtevent, 'function', e.evtfoid::regproc::text, 'enabled', e.evtenabled,
                          'tags', to_jsonb(e.evttags))
from pg_event_trigger e
union all
select 'role', r.rolname,
       jsonb_build_object('login', r.rolcanlogin, 'superuser', r.rolsuper, 'inherit', r.rolinherit,
                          'bypass rls', r.rolbypassrls, 'create role', r.rolcreaterole, 'create db', r.rolcreatedb,
                          'member of', (select array_agg(g.rolname::text order by g.rolname) from pg_auth_members m
                                        join pg_roles g on g.oid = m.roleid where m.member = r.oid),
                          'settings', (select to_jsonb(s.setconfig) from pg_db_role_setting s
                                       where s.setrole = r.oid and s.setdatabase = 0))
from pg_roles r
where r.rolname not like 'pg\_%'
