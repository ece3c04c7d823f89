-- What `harness init` reads from the migrated catalog: every table of the project's own schemas
-- (and auth.users) with its primary key, its columns (required or not, enum labels, default), its
-- single-column foreign keys and unique columns, its CHECK constraints, and whether a trigger on it
-- writes users' app_metadata (a claims cache).
select format('%I.%I', n.nspname, c.relname) as table_name,
       c.relrowsecurity as rls,
       coalesce((select array_agg(a.attname::text order by k.ord)
                 from pg_constraint pk
                 cross join lateral unnest(pk.conkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                 where pk.conrelid = c.oid and pk.contype = 'p'), '{}') as primary_key,
       (select jsonb_agg(jsonb_build_object(
                 'name', a.attname,
                 'type', format_type(a.atttypid, a.atttypmod),
                 'required', a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '',
                 'not_null', a.attnotnull,
                 'generated', a.attidentity = 'a' or a.attgenerated <> '',
                 'default', pg_get_expr(d.adbin, d.adrelid),
                 'enum', (select jsonb_agg(e.enumlabel order by e.enumsortorder) from pg_enum e
                          where e.enumtypid = a.atttypid))
               order by a.attnum)
        from pg_attribute a
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       coalesce((select jsonb_agg(jsonb_build_object(
                   'column', (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = fk.conkey[1]),
                   'references', format('%I.%I', rn.nspname, rc.relname),
                   'referenced_column', (select a.attname from pg_attribute a
                                         where a.attrelid = fk.confrelid and a.attnum = fk.confkey[1])))
                 from pg_constraint fk
                 join pg_class rc on rc.oid = fk.confrelid
                 join pg_namespace rn on rn.oid = rc.relnamespace
                 where fk.conrelid = c.oid and fk.contype = 'f' and array_length(fk.conkey, 1) = 1), '[]') as foreign_keys,
       coalesce((select jsonb_agg(distinct a.attname)
                 from pg_index i
                 join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
                 where i.indrelid = c.oid and i.indisunique and i.indnkeyatts = 1 and i.indpred is null), '[]') as unique_columns,
       coalesce((select jsonb_agg(pg_get_constraintdef(ck.oid))
                 from pg_constraint ck where ck.conrelid = c.oid and ck.contype = 'c'), '[]') as checks,
       exists (select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
               where t.tgrelid = c.oid and not t.tgisinternal
                 and p.prosrc ~* 'raw_app_meta_data') as maintains_claims
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition
  and (format('%I.%I', n.nspname, c.relname) = 'auth.users'
       or (n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'storage', 'realtime',
                             'extensions', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks',
                             'net', 'cron', 'pgbouncer', 'supabase_functions', 'supabase_migrations',
                             '_realtime', '_analytics', 'pgmq', 'tests', 'harness_audit')
           and n.nspname not like 'pg\_temp%' and n.nspname not like 'pg\_toast%'))
order by 1
