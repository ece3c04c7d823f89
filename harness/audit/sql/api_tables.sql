-- Every table in the API schemas (for "not covered by the access spec"). %(schemas)s: text[].
select format('%%s.%%s', n.nspname, c.relname)
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname = any (%(schemas)s::text[])
order by 1
