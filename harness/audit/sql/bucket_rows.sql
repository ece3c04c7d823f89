-- Each bucket of the spec, private, unless a migration created it. %(buckets)s: bucket ids.
insert into storage.buckets (id, name, public)
select b, b, false from unnest(%(buckets)s::text[]) as b
on conflict (id) do nothing
