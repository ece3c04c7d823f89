-- The spec's functions as the catalog has them (every overload of the name): whether any exists,
-- whether every overload returns void, whether any is volatile or SECURITY DEFINER.
-- %(names)s: the spec's schema-qualified names.
select wanted.name,
       count(p.oid) as overloads,
       coalesce(bool_and(p.prorettype = 'void'::regtype), false) as returns_void,
       coalesce(bool_or(p.provolatile = 'v'), false) as volatile,
       coalesce(bool_or(p.prosecdef), false) as security_definer
from unnest(%(names)s::text[]) as wanted (name)
left join pg_namespace n on n.nspname = split_part(wanted.name, '.', 1)
left join pg_proc p on p.pronamespace = n.oid and p.proname = split_part(wanted.name, '.', 2) and p.prokind in ('f', 'p')
group by wanted.name
