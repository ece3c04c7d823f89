-- What `harness init` reads from the migrated catalog: every table of the API schemas with its
-- primary key, its columns (required or not), its foreign keys and its text CHECK value lists.
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
                 'required', a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '')
               order by a.attnum)
        from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       coalesce((select jsonb_agg(jsonb_build_object(
                   'column', (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = fk.conkey[1]),
                   'references', format('%I.%I', rn.nspname, rc.relname),
                   'on_delete', fk.confdeltype))
                 from pg_constraint fk
                 join pg_class rc on rc.oid = fk.confrelid
                 join pg_namespace rn on rn.oid = rc.relnamespace
                 where fk.conrelid = c.oid and fk.contype = 'f' and array_length(fk.conkey, 1) = 1), '[]') as foreign_keys,
       coalesce((select jsonb_agg(jsonb_build_object('definition', pg_get_constraintdef(ck.oid)))
                 from pg_constraint ck where ck.conrelid = c.oid and ck.contype = 'c'), '[]') as checks
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
order by 1
