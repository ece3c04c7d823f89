-- The audit's machinery inside its own scratch database (never in a project's migrated template):
-- a row identity, two probe triggers per audited table, and the batch runner.
create schema if not exists harness_audit;
grant usage on schema harness_audit to public;

-- A row's identity: its key values as a JSON array (the whole row's md5 when there is no key).
-- The same text whether it is computed from a SELECT under a persona or from OLD in a trigger.
create or replace function harness_audit.harness_audit_identity(r jsonb, keys text[])
returns text
language sql
immutable
as $$
  select case
    when coalesce(cardinality(keys), 0) = 0 then md5(r::text)
    else (select jsonb_agg(r -> k order by o) from unnest(keys) with ordinality as u (k, o))::text
  end
$$;
-- Granted explicitly: personas call it (select probes, and the probe trigger runs as the persona), and
-- a project's `alter default privileges ... revoke execute on functions from public` must not reach it.
grant execute on function harness_audit.harness_audit_identity(jsonb, text[]) to public;

-- The probe trigger, installed twice per audited table. tg_argv: its phase, the table's owner and
-- tenant columns ('' when it has none), then its key columns.
--   "first" (named "!harness_first", it fires before the table's own BEFORE triggers): narrows an
--     UPDATE or DELETE to the one row named by harness.target without the statement reading any
--     column, and turns an UPDATE into a no-op (harness.mode = 'noop') before the table's own
--     triggers see it. (A trigger, not a restrictive policy: CREATE POLICY would lock the table
--     exclusively, and only the project's policies may decide what a persona reaches.)
--   "last" (named "~harness_last", it fires after them): records in harness.hits the rows an
--     UPDATE or DELETE reached (and skips each of them in harness.mode = 'collect'), and the owner
--     and tenant an INSERT really wrote (harness.mode = 'insert'), whatever the table's own
--     triggers made of the values the statement gave.
-- With harness.mode empty (outside probes) it changes nothing.
create or replace function harness_audit.probe_trigger()
returns trigger
language plpgsql
as $$
declare
  mode text := coalesce(current_setting('harness.mode', true), '');
  target text := coalesce(current_setting('harness.target', true), '');
  hit text;
begin
  if tg_op = 'INSERT' then
    if mode = 'insert' then
      hit := jsonb_build_array(tg_table_schema || '.' || tg_table_name,
                               to_jsonb(new) -> nullif(tg_argv[1], ''), to_jsonb(new) -> nullif(tg_argv[2], ''))::text;
      perform set_config('harness.hits', coalesce(current_setting('harness.hits', true), '') || hit || e'\n', true);
    end if;
    return new;
  end if;
  if mode in ('noop', 'move', 'collect') then
    if tg_argv[0] = 'first' then
      if target <> '' and harness_audit.harness_audit_identity(to_jsonb(old), tg_argv[3:]) <> target then
        return null;
      end if;
      if tg_op = 'UPDATE' and mode = 'noop' then
        return old;
      end if;
    else
      perform set_config('harness.hits', coalesce(current_setting('harness.hits', true), '')
                         || harness_audit.harness_audit_identity(to_jsonb(old), tg_argv[3:]) || e'\n', true);
      if mode = 'collect' then
        return null;
      end if;
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

-- Runs a batch of probes. Each probe is a subtransaction that becomes the persona exactly as
-- PostgREST does (role and request.jwt.claims set locally, then the project's db-pre-request
-- function, `pre_request`: the statement that calls it, or null), runs one statement, and is always
-- rolled back: success ends in a private exception that carries the row count and the hits out.
create or replace function harness_audit.run(persona_role text, claims text, probes jsonb, pre_request text)
returns jsonb[]
language plpgsql
as $$
declare
  probe jsonb;
  results jsonb[] := '{}';
  affected bigint;
  state text;
  message text;
  detail text;
begin
  for probe in select value from jsonb_array_elements(probes) loop
    begin
      perform set_config('role', persona_role, true),
              set_config('request.jwt.claims', claims, true),
              set_config('request.method', probe ->> 'method', true),
              set_config('harness.mode', coalesce(probe ->> 'mode', ''), true),
              set_config('harness.target', coalesce(probe ->> 'target', ''), true),
              set_config('harness.hits', '', true);
      if pre_request is not null then
        execute pre_request;
      end if;
      execute probe ->> 'sql';
      get diagnostics affected = row_count;
      raise exception using errcode = 'HA000', message = affected::text,
        detail = coalesce(current_setting('harness.hits', true), '');
    exception
      when sqlstate 'HA000' then
        get stacked diagnostics message = message_text, detail = pg_exception_detail;
        results := array_append(results, jsonb_build_object('ok', true, 'rows', message::bigint, 'hits', detail));
      when query_canceled then
        results := array_append(results, jsonb_build_object('ok', false, 'state', '57014', 'message', 'canceled (statement timeout)'));
      when others then
        get stacked diagnostics state = returned_sqlstate, message = message_text, detail = pg_exception_detail;
        results := array_append(results, jsonb_build_object('ok', false, 'state', state, 'message', message, 'detail', detail));
    end;
  end loop;
  return results;
end
$$;
revoke execute on function harness_audit.run(text, text, jsonb, text) from public;
