-- RPC functions and storage buckets in the suites that `harness emit` writes (included after
-- world.psql by their suites; not a suite). Everything lives in pg_temp, inside the suite's transaction.

-- -------------------------------------------------------------------------------------------------
-- RPC functions
-- -------------------------------------------------------------------------------------------------

-- An AFTER trigger on every table under test that records, in harness.probe_mode 'watch', each row a
-- call inserted, updated or deleted: [table, owner before, tenant before, owner after, tenant after].
create function pg_temp.harness_watch_trigger() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('harness.probe_mode', true), '') = 'watch' then
    perform set_config('harness.probe_hits', coalesce(current_setting('harness.probe_hits', true), '')
      || jsonb_build_array('change', tg_argv[0],
           case when tg_op <> 'INSERT' then to_jsonb(old) ->> nullif(tg_argv[1], '') end,
           case when tg_op <> 'INSERT' then to_jsonb(old) ->> nullif(tg_argv[2], '') end,
           case when tg_op <> 'DELETE' then to_jsonb(new) ->> nullif(tg_argv[1], '') end,
           case when tg_op <> 'DELETE' then to_jsonb(new) ->> nullif(tg_argv[2], '') end)::text || e'\n', true);
  end if;
  return null;
end;
$$;

create function pg_temp.harness_watch_tables() returns void
language plpgsql
as $$
declare
  t record;
begin
  for t in select * from pg_temp.harness_tables order by table_name loop
    execute format('create trigger "~harness_watch" after insert or update or delete on %s for each row '
                   'execute function pg_temp.harness_watch_trigger(%L, %L, %L)',
                   t.table_name, t.table_name, coalesce(t.owner_column, ''), coalesce(t.tenant_column, ''));
  end loop;
end;
$$;

-- The tenant label ('A', 'B' or null) of a row with this owner (user id) and tenant id.
create function pg_temp.harness_label_of(owner text, tenant_id text) returns text
language sql stable
as $$
  select coalesce(
    (select x.label from pg_temp.harness_tenants as x where x.id = tenant_id and x.label in ('A', 'B')),
    case when tenant_id is null then (select m.tenant from pg_temp.harness_members as m where m.user_id::text = owner) end)
$$;

-- Calls `call` ({target_tenant} = tenant `tenant`'s id, {target_user} = member `member`'s id) as the
-- current persona, rolled back. Returns what it returned and changed outside `scope`, one text per
-- row ('returned a row of tenant B', 'changed a row of public.users of tenant B'), or the error
-- 'error SQLSTATE: message'. With `owner_column`/`tenant_column`, each returned row is judged by them.
create function pg_temp.harness_call(call text, owner_column text, tenant_column text, tenant text, member text,
                                     scope text, out outside text[], out returned integer, out error text)
language plpgsql
as $$
declare
  rendered text := replace(replace(call,
    '{target_tenant}', coalesce((select t.id from pg_temp.harness_tenants as t where t.label = tenant), '')),
    '{target_user}', coalesce((select m.user_id::text from pg_temp.harness_members as m where m.label = member), ''));
  statement text := rendered;
  outcome record;
  hit jsonb;
  label text;
begin
  if owner_column is not null or tenant_column is not null then
    statement := format(
      'select set_config(''harness.probe_hits'', x.rows || coalesce(current_setting(''harness.probe_hits'', true), ''''), true) '
      'from (select coalesce(string_agg(jsonb_build_array(''row'', %s, %s)::text, e''\n''), '''') || e''\n'' as rows '
      'from (%s) as r) as x',
      case when owner_column is null then 'null' else format('r.%I::text', owner_column) end,
      case when tenant_column is null then 'null' else format('r.%I::text', tenant_column) end,
      rtrim(btrim(rendered), ';'));
  end if;
  outside := '{}';
  returned := 0;
  outcome := pg_temp.harness_probe(statement, 'watch');
  if not outcome.ok then
    error := format('error %s: %s', outcome.state, outcome.message);
    return;
  end if;
  foreach hit in array (select coalesce(array_agg(h::jsonb), '{}') from unnest(outcome.hits) as h) loop
    if hit ->> 0 = 'row' then
      continue when hit ->> 1 is null and hit ->> 2 is null;  -- a NULL answer names nobody's data
      returned := returned + 1;
      label := pg_temp.harness_label_of(hit ->> 1, hit ->> 2);
      if not pg_temp.harness_in_scope(scope, hit ->> 1, label) then
        outside := outside || format('returned a row of %s', coalesce('tenant ' || label, 'no tenant'));
      end if;
    elsif (hit ->> 2 is not null or hit ->> 3 is not null) and not pg_temp.harness_in_scope(scope, hit ->> 2, pg_temp.harness_label_of(hit ->> 2, hit ->> 3)) then
      outside := outside || format('changed a row of %s of %s', hit ->> 1,
                                   coalesce('tenant ' || pg_temp.harness_label_of(hit ->> 2, hit ->> 3), 'no tenant'));
    elsif (hit ->> 4 is not null or hit ->> 5 is not null) and not pg_temp.harness_in_scope(scope, hit ->> 4, pg_temp.harness_label_of(hit ->> 4, hit ->> 5)) then
      outside := outside || format('changed a row of %s into %s', hit ->> 1,
                                   coalesce('tenant ' || pg_temp.harness_label_of(hit ->> 4, hit ->> 5), 'no tenant'));
    end if;
  end loop;
end;
$$;

-- -------------------------------------------------------------------------------------------------
-- Storage buckets
-- -------------------------------------------------------------------------------------------------

-- The bucket (private, unless a migration made it) and one object per member of tenants A and B at
-- `path` ({tenant}, {user}, {name}), written as the storage API writes an upload. storage.objects
-- becomes a table under test: its rows are labelled by member, with that member as owner and the
-- path's tenant as tenant, and an UPDATE that sets last_accessed_at is its no-op.
create function pg_temp.harness_bucket(bucket text, path text) returns void
language plpgsql
as $$
declare
  m record;
begin
  insert into storage.buckets (id, name, public) values (bucket, bucket, false) on conflict (id) do nothing;
  perform pg_temp.harness_table('storage.objects', null, null, array['id'], null);
  for m in select * from pg_temp.harness_members where tenant is not null order by label loop
    perform pg_temp.harness_run(format(
      'insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version) values (%L, %L, %L, %L, %L, %L)',
      bucket, pg_temp.harness_object_name(path, m.tenant, m.label, replace(m.label, ' ', '-') || '.pdf'),
      m.user_id, m.user_id, '{"mimetype": "application/pdf", "size": 1024}', 'harness-emit'),
      format('[buckets."%s"] object for %s', bucket, m.label), m.label);
    update pg_temp.harness_rows as r set owner = m.user_id::text, tenant = m.tenant
    where r.table_name = 'storage.objects' and r.label = m.label;
  end loop;
  insert into pg_temp.harness_noop values ('storage.objects', 'anon', 'last_accessed_at', 'now()'),
                                          ('storage.objects', 'authenticated', 'last_accessed_at', 'now()');
  perform set_config('storage.allow_delete_query', 'true', true);  -- as the storage API does before it deletes
end;
$$;

-- `path` with {tenant} = tenant `tenant`'s id, {user} = member `member`'s id, {name} = `file`.
create function pg_temp.harness_object_name(path text, tenant text, member text, file text) returns text
language sql stable
as $$
  select replace(replace(replace(path,
    '{tenant}', coalesce((select t.id from pg_temp.harness_tenants as t where t.label = tenant), '')),
    '{user}', coalesce((select m.user_id::text from pg_temp.harness_members as m where m.label = member), '')),
    '{name}', file)
$$;

-- Runs an upload (an INSERT without RETURNING) and rolls it back; raises 42501 when it was refused.
create function pg_temp.harness_try(statement text) returns void
language plpgsql
as $$
declare
  outcome record := pg_temp.harness_probe(statement, 'insert');
begin
  if not outcome.ok and outcome.state in ('42501', 'P0001') then
    raise exception using errcode = '42501', message = outcome.message;
  elsif not outcome.ok and outcome.state not like '23%' then
    raise exception using errcode = outcome.state, message = outcome.message;
  end if;
end;
$$;

-- The statement lives_ok / throws_ok run: the current persona uploads `file` into the folder of
-- member `member` in tenant `tenant` of `bucket`, as the storage API inserts it.
create function pg_temp.harness_upload(bucket text, path text, tenant text, member text, file text) returns text
language sql stable
as $$
  select format('select pg_temp.harness_try(%L)', format(
    'insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version) values (%L, %L, %L::uuid, %L, %L, %L)',
    bucket, pg_temp.harness_object_name(path, tenant, member, file), pg_temp.harness_uid(), pg_temp.harness_uid(),
    '{"mimetype": "application/pdf", "size": 2048}', 'harness-upload'))
$$;

-- One probe per object of `category`: rename it into the folder of member `member` of tenant `tenant`
-- with an UPDATE that reads no column; passes when no object moved.
create function pg_temp.harness_cannot_move_object(path text, category text, tenant text, member text,
                                                   description text) returns text
language plpgsql
as $$
declare
  target record;
  outcome record;
  moved text[] := '{}';
begin
  for target in
    select r.identity, r.label from pg_temp.harness_rows as r
    where r.table_name = 'storage.objects' and pg_temp.harness_in_category(r.owner, r.tenant, category)
    order by r.label collate "C", r.identity collate "C"
  loop
    outcome := pg_temp.harness_probe(format('update storage.objects set name = %L',
                                            pg_temp.harness_object_name(path, tenant, member, 'moved-' || md5(target.identity) || '.pdf')),
                                     'move', target.identity);
    if (outcome.ok and target.identity = any (outcome.hits)) or outcome.state like '23%' then
      moved := moved || target.label;
    elsif not outcome.ok and outcome.state not in ('42501', 'P0001') then
      moved := moved || format('error %s: %s', outcome.state, outcome.message);
    end if;
  end loop;
  return is(moved, '{}'::text[], description);
end;
$$;
