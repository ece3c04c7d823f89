-- The audit's change watcher for RPC probes: an AFTER trigger on every audited table that records,
-- while harness.mode = 'watch', each row a statement inserted, updated or deleted, with its owner and
-- tenant before and after. The function probe runs in a subtransaction that is rolled back, so
-- what a function changed is judged and then undone. tg_argv: the table's owner and tenant columns
-- ('' when it has none). Outside a function probe it does nothing.
create or replace function harness_audit.watch_trigger()
returns trigger
language plpgsql
as $$
declare
  before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
begin
  if coalesce(current_setting('harness.mode', true), '') = 'watch' then
    perform set_config('harness.hits', coalesce(current_setting('harness.hits', true), '')
      || jsonb_build_array('change', tg_table_schema || '.' || tg_table_name, lower(tg_op),
                           before -> nullif(tg_argv[0], ''), before -> nullif(tg_argv[1], ''),
                           after -> nullif(tg_argv[0], ''), after -> nullif(tg_argv[1], ''))::text
      || e'\n', true);
  end if;
  return null;
end
$$;
