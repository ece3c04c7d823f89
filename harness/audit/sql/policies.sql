-- The policies on the audited tables, for evidence: which ones apply to a persona and command.
select format('%%s.%%s', p.schemaname, p.tablename) as table_name,
       p.policyname, p.permissive, p.roles::text[], p.cmd, p.qual, p.with_check
from pg_policies p
where format('%%s.%%s', p.schemaname, p.tablename) = any (%(names)s::text[])
order by 1, p.policyname
