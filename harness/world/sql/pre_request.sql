-- PostgREST's in-database configuration (db-config): `pgrst.db_pre_request` as set on the
-- authenticator role (for one database first, then for every database), else on the database.
-- "One database" is this one or `postgres`, the database a Supabase project's API serves (a
-- migration's `alter database postgres set ...` names it; the audit runs on a clone).
with api_databases as (
  select oid from pg_catalog.pg_database where datname in (current_database(), 'postgres')
)
select s.value
from (
  select split_part(setting, '=', 1) as key,
         substr(setting, strpos(setting, '=') + 1) as value,
         case when r.setrole <> 0 and r.setdatabase <> 0 then 1 when r.setrole <> 0 then 2 else 3 end as rank
  from pg_catalog.pg_db_role_setting r
  cross join lateral unnest(r.setconfig) as setting
  where (r.setrole = (select oid from pg_catalog.pg_roles where rolname = 'authenticator')
         and (r.setdatabase = 0 or r.setdatabase in (select oid from api_databases)))
     or (r.setrole = 0 and r.setdatabase in (select oid from api_databases))
) as s
where s.key = 'pgrst.db_pre_request' and s.value <> ''
order by s.rank
limit 1
