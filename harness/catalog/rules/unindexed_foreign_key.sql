-- unindexed-foreign-key (info): a foreign key whose columns no index leads with. Deletes and key
-- updates of the referenced table scan this one, and policies that join on it scan too.
select
  'unindexed-foreign-key' as name,
  'info' as level,
  'Foreign key without a covering index' as title,
  t.qualified as "table",
  null::text as persona,
  null::text as operation,
  'No index starts with the foreign key''s columns.' as description,
  format('foreign key %s on %s (%s) has no index that starts with its columns', con.conname, t.qualified,
         (select string_agg(a.attname, ', ' order by k.ord) from unnest(con.conkey) with ordinality k (attnum, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum)) as detail,
  format('create index on %I.%I (%s);', t.nspname, t.relname,
         (select string_agg(quote_ident(a.attname), ', ' order by k.ord) from unnest(con.conkey) with ordinality k (attnum, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum)) as remediation,
  jsonb_build_object('constraint', con.conname) as metadata
from pg_constraint con
join harness_api_relations t on t.oid = con.conrelid
where con.contype = 'f'
  and not exists (
    select 1
    from pg_index i
    where i.indrelid = con.conrelid
      and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
      and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey
  )
order by 4, con.conname
