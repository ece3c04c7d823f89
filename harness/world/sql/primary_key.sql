-- The single-column primary key of %(table)s (nothing when it has none or a composite one).
select a.attname
from pg_catalog.pg_index i
join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
where i.indrelid = %(table)s::regclass and i.indisprimary and i.indnkeyatts = 1
