-- The audited relations that exist: kind, RLS flags, primary key and columns (with which API roles
-- may UPDATE each). %(names)s: the spec's schema-qualified names.
select
  wanted.name,
  c.relkind::text,
  c.relrowsecurity,
  c.relforcerowsecurity,
  coalesce((
    select array_agg(a.attname::text order by k.ord)
    from pg_index i
    cross join lateral unnest(i.indkey) with ordinality as k (attnum, ord)
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where i.indrelid = c.oid and i.indisprimary
  ), '{}') as primary_key,
  coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'generated', a.attgenerated <> '' or a.attidentity = 'a',
      'updatable_by', (
        select coalesce(jsonb_agg(r.rolname), '[]')
        from (values ('anon'), ('authenticated')) as r (rolname)
        where exists (select 1 from pg_roles where pg_roles.rolname = r.rolname)
          and has_column_privilege(r.rolname, c.oid, a.attnum, 'UPDATE')
      )
    ) order by a.attnum)
    from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns
from unnest(%(names)s::text[]) as wanted (name)
join pg_class c on c.oid = to_regclass(wanted.name)
