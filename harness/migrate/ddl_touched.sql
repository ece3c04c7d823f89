-- What the last file touched, from the DDL watch's log (emptied as it is read): one row per table
-- whose policy surface may have changed, every role (DDL on roles is not logged: a renamed or
-- dropped role is noticed here), and `rescan` when a command can change surfaces the log
-- cannot name (extensions create tables unseen; a renamed schema requalifies every expression).
with log as (
  delete from harness_ddl_watch.touched returning classid, objid, tag, table_oid
)
select 'rescan' as kind, null::oid as table_oid, null::text as role_name
from log where tag in ('RESCAN', 'CREATE EXTENSION', 'ALTER EXTENSION', 'ALTER SCHEMA', 'IMPORT FOREIGN SCHEMA')
union
select 'table', table_oid, null from log where table_oid is not null
union
-- the relation itself (created, altered, renamed, dropped: the surface read tells which)
select 'table', objid, null from log where classid = 'pg_class'::regclass
union
select 'table', p.polrelid, null from log join pg_policy p on p.oid = log.objid where log.classid = 'pg_policy'::regclass
union
-- tables whose policies depend on the object (a called function, a referenced table or type)
select 'table', p.polrelid, null
from log
join pg_depend d on d.refclassid = log.classid and d.refobjid = log.objid and d.classid = 'pg_policy'::regclass
join pg_policy p on p.oid = d.objid
union all
select 'role', oid, rolname::text from pg_roles
