-- Text that may read user_metadata: every policy expression and the source of every function
-- outside the system schemas. The audit's forged-claims attacker fills the keys it finds there.
select coalesce(p.qual, '') || ' ' || coalesce(p.with_check, '')
from pg_policies p
union all
select p.prosrc
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where n.nspname not in ('pg_catalog', 'information_schema', 'harness_audit')
  and p.prosrc ~* '(user_metadata|raw_user_meta_data)'
