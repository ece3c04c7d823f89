-- The probe machinery of the suites that `harness emit` writes. Included by world.psql; not a suite.
-- Everything here lives in pg_temp and is made inside the suite's transaction: its ROLLBACK removes it.
--
-- How a probe addresses rows. A probe never reads a column of the table it probes, because
-- PostgreSQL also applies the SELECT policies to an UPDATE or DELETE that reads one (a WHERE on a
-- column, RETURNING), which can hide a write policy that is too wide:
--   select  reads the key columns of every row it sees (that *is* the select probe);
--   update  `update <table> set <column> = <literal>`: no WHERE, no RETURNING;
--   delete  `delete from <table>`: no WHERE, no RETURNING;
--   insert  the table's `row` template (never with RETURNING).
-- Two BEFORE ROW triggers on every table under test do the addressing. "!harness_probe_first" fires
-- before the table's own triggers: it lets through only the row named by harness.probe_target (when
-- one is named) and turns a no-op UPDATE back into the old row. "~harness_probe_last" fires after
-- them: it records each row the statement reached in harness.probe_hits, and skips it for a DELETE,
-- so nothing is deleted or cascades; for an INSERT it records the owner and tenant really stored.
-- A third, AFTER INSERT, labels the rows the world is built from. Outside a probe (harness.probe_mode
-- empty) they change nothing.
-- Every probe runs in a subtransaction that is always rolled back; a row that passed the policies
-- and then broke a constraint (SQLSTATE class 23) counts as reached, as the policies let it through.

-- -------------------------------------------------------------------------------------------------
-- The world, as the superuser saw it after building it (world.psql fills these tables)
-- -------------------------------------------------------------------------------------------------
create temporary table harness_settings (
  name text primary key,      -- member_template, tenant_template, claims_template, default_role
  value text
) on commit drop;

create temporary table harness_tables (
  table_name text primary key,  -- schema-qualified, as harness.toml names it
  owner_column text,            -- names the member a row belongs to
  tenant_column text,           -- names the row's tenant
  key_columns text[],           -- address one row: harness.toml `key`, else the primary key
  insert_template text          -- what inserts one row: its `row` (or the tenancy template that writes it)
) on commit drop;

create temporary table harness_tenants (label text primary key, id text not null) on commit drop;

-- The access spec (scopes other than 'none'): what judges a row that a trigger rewrote on insert.
create temporary table harness_access (
  table_name text,
  persona text,
  operation text,
  scope text not null,
  primary key (table_name, persona, operation)
) on commit drop;

create temporary table harness_members (
  label text primary key,       -- the tests.create_supabase_user identifier, e.g. 'coordinator A1'
  tenant text,                  -- 'A', 'B', or null (signed in, member of nothing)
  role text,
  user_id uuid not null,
  extra_claims jsonb            -- top-level claims of [tenancy] claims, beyond the metadata
) on commit drop;

create temporary table harness_rows (
  table_name text,
  identity text,                -- the key values as a JSON array (md5 of the row without a key)
  label text not null,          -- who the world made it for: a member, 'tenant A', or 'pre-existing row ...'
  in_world boolean not null,
  owner text,                   -- the owner column's value
  tenant text,                  -- 'A', 'B', or null (neither: rows from before the world)
  primary key (table_name, identity)
) on commit drop;

create temporary table harness_noop (
  table_name text,
  api_role text,
  column_name text not null,    -- a column the role may update: a no-op UPDATE sets it
  value_sql text not null,      -- a literal of its type (the first trigger puts the old row back)
  primary key (table_name, api_role)
) on commit drop;

grant select on harness_settings, harness_tables, harness_tenants, harness_access, harness_members, harness_rows,
  harness_noop
  to public;

-- -------------------------------------------------------------------------------------------------
-- Rows: identity, labels, categories
-- -------------------------------------------------------------------------------------------------

-- A row's identity from the whole row (in triggers): the key values as a JSON array.
create function pg_temp.harness_identity(r jsonb, keys text[]) returns text
language sql immutable
as $$
  select case
    when coalesce(cardinality(keys), 0) = 0 then md5(r::text)
    else (select jsonb_agg(r -> k order by o) from unnest(keys) with ordinality as u (k, o))::text
  end
$$;

-- The same identity as an SQL expression over row `alias` that reads only the key columns.
create function pg_temp.harness_identity_sql(table_name text, alias text) returns text
language sql stable
as $$
  select case
    when coalesce(cardinality(t.key_columns), 0) = 0 then format('md5(to_jsonb(%I)::text)', alias)
    else format('jsonb_build_array(%s)::text',
                (select string_agg(format('%I.%I', alias, k), ', ' order by o)
                 from unnest(t.key_columns) with ordinality as u (k, o)))
  end
  from pg_temp.harness_tables as t
  where t.table_name = harness_identity_sql.table_name
$$;

-- The signed-in user's id, from the claims (null for anon).
create function pg_temp.harness_uid() returns text
language sql stable
as $$ select nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub' $$;

-- Is a row with this owner and tenant in `category`, seen from the signed-in user?
--   'own'            rows it owns
--   'others in A'    rows of tenant A it does not own
--   'tenant A'       rows of tenant A
--   'outside'        rows of neither tenant A nor B (rows from before the world, e.g. seed data)
--   'every row'
create function pg_temp.harness_in_category(owner text, tenant text, category text) returns boolean
language plpgsql stable
as $$
begin
  if category = 'every row' then
    return true;
  elsif category = 'own' then
    return coalesce(owner = pg_temp.harness_uid(), false);
  elsif category = 'outside' then
    return tenant is null;
  elsif category like 'others in %' then
    return coalesce(tenant = substr(category, 11) and owner is distinct from pg_temp.harness_uid(), false);
  elsif category like 'tenant %' then
    return coalesce(tenant = substr(category, 8), false);
  end if;
  raise exception 'harness: unknown row category %', category;
end;
$$;

-- Labels of the rows of `table_name` in `category`, sorted; with `identities`, only those rows.
create function pg_temp.harness_rows_in(table_name text, category text, identities text[] default null)
returns text[]
language sql stable
as $$
  select coalesce(array_agg(r.label order by r.label collate "C", r.identity collate "C"), '{}')
  from pg_temp.harness_rows as r
  where r.table_name = harness_rows_in.table_name
    and (identities is null or r.identity = any (identities))
    and pg_temp.harness_in_category(r.owner, r.tenant, category)
$$;

-- Labels of the rows the world made in `table_name` (not those from before it), sorted.
create function pg_temp.harness_world(table_name text) returns text[]
language sql stable
as $$
  select coalesce(array_agg(r.label order by r.label collate "C"), '{}')
  from pg_temp.harness_rows as r
  where r.table_name = harness_world.table_name and r.in_world
$$;

-- -------------------------------------------------------------------------------------------------
-- The probe triggers and the probe runner
-- -------------------------------------------------------------------------------------------------

-- tg_argv: the phase ('first', 'last' or 'label'), the table as harness.toml names it, its owner and
-- tenant columns ('' for none), then its key columns. In mode 'insert' the last trigger records what
-- an INSERT really stores as owner and tenant, whatever the table's own triggers made of the values
-- the statement gave. In mode 'label' (building the world) the AFTER INSERT trigger "~harness_label"
-- labels each row the world makes with harness.probe_label.
create function pg_temp.harness_probe_trigger() returns trigger
language plpgsql
as $$
declare
  mode text := coalesce(current_setting('harness.probe_mode', true), '');
  target text := coalesce(current_setting('harness.probe_target', true), '');
  hit text;
begin
  if tg_op = 'INSERT' and tg_argv[0] = 'label' then
    if mode = 'label' then
      insert into pg_temp.harness_rows (table_name, identity, label, in_world)
      values (tg_argv[1], pg_temp.harness_identity(to_jsonb(new), tg_argv[4:]), current_setting('harness.probe_label'), true)
      on conflict do nothing;
    end if;
    return null;
  end if;
  if tg_op = 'INSERT' then
    if mode = 'insert' then
      hit := jsonb_build_array(tg_argv[1],
                               to_jsonb(new) ->> nullif(tg_argv[2], ''), to_jsonb(new) ->> nullif(tg_argv[3], ''))::text;
      perform set_config('harness.probe_hits', coalesce(current_setting('harness.probe_hits', true), '')
                         || hit || e'\n', true);
    end if;
    return new;
  end if;
  if mode in ('noop', 'move', 'delete') then
    if tg_argv[0] = 'first' then
      if target <> '' and pg_temp.harness_identity(to_jsonb(old), tg_argv[4:]) <> target then
        return null;  -- not the row this probe is about
      end if;
      if tg_op = 'UPDATE' and mode = 'noop' then
        return old;
      end if;
    else
      perform set_config('harness.probe_hits', coalesce(current_setting('harness.probe_hits', true), '')
                         || pg_temp.harness_identity(to_jsonb(old), tg_argv[4:]) || e'\n', true);
      if tg_op = 'DELETE' then
        return null;  -- reaching the row is the answer: delete nothing, cascade nothing
      end if;
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end;
$$;

-- Runs `statement` as the current role in a subtransaction that is always rolled back. `mode`:
-- 'select' (the statement sets harness.probe_hits itself), 'noop', 'move', 'delete' or 'insert'; `target`: the
-- identity of the one row an UPDATE or DELETE may touch (null: every row).
create function pg_temp.harness_probe(statement text, mode text, target text default null,
                                      out ok boolean, out state text, out message text, out hits text[])
language plpgsql
as $$
declare
  detail text;
begin
  begin
    perform set_config('harness.probe_mode', mode, true),
            set_config('harness.probe_target', coalesce(target, ''), true),
            set_config('harness.probe_hits', '', true);
    execute statement;
    raise exception using errcode = 'HA000', message = 'harness probe done',
      detail = coalesce(current_setting('harness.probe_hits', true), '');
  exception
    when sqlstate 'HA000' then
      get stacked diagnostics detail = pg_exception_detail;
      ok := true;
      hits := coalesce(array_remove(string_to_array(detail, e'\n'), ''), '{}');
    when others then
      get stacked diagnostics state = returned_sqlstate, message = message_text;
      ok := false;
      hits := '{}';
  end;
end;
$$;

-- The statement of `operation` on `table_name` as the current role; see the top of this file.
create function pg_temp.harness_statement(operation text, table_name text) returns text
language plpgsql stable
as $$
declare
  noop record;
begin
  if operation = 'select' then
    return format('select set_config(''harness.probe_hits'', coalesce((select string_agg(%s, e''\n'') from %s as r), ''''), true)',
                  pg_temp.harness_identity_sql(table_name, 'r'), table_name);
  elsif operation = 'update' then
    select n.column_name, n.value_sql into noop
    from pg_temp.harness_noop as n
    where n.table_name = harness_statement.table_name
    order by n.api_role = current_user desc, n.api_role
    limit 1;
    if noop.column_name is null then
      raise exception 'harness: % has no column an UPDATE could set', table_name;
    end if;
    return format('update %s set %I = %s', table_name, noop.column_name, noop.value_sql);
  elsif operation = 'delete' then
    return format('delete from %s', table_name);
  end if;
  raise exception 'harness: unknown operation %', operation;
end;
$$;

-- Labels of the rows of `category` that the current role can `operation` (select, update, delete).
-- A statement refused for want of a table privilege reaches nothing. An UPDATE or DELETE that fails
-- as a whole is retried row by row; a probe that fails in any other way than a refusal (42501, or
-- P0001 from a trigger) shows as 'error SQLSTATE: message', so the assertion fails and says why.
create function pg_temp.harness_reached(operation text, table_name text, category text) returns text[]
language plpgsql
as $$
declare
  statement text := pg_temp.harness_statement(operation, table_name);
  mode text := case operation when 'update' then 'noop' else operation end;
  outcome record;
  reached text[] := '{}';
  errors text[] := '{}';
  target text;
begin
  outcome := pg_temp.harness_probe(statement, mode);
  if outcome.ok then
    reached := outcome.hits;
  elsif outcome.state = '42501' and (operation = 'select' or outcome.message like 'permission denied for table %') then
    reached := '{}';  -- no privilege at all: nothing
  elsif operation = 'select' then
    errors := array[format('error %s: %s', outcome.state, outcome.message)];
  else
    for target in
      select r.identity from pg_temp.harness_rows as r
      where r.table_name = harness_reached.table_name
      order by r.identity collate "C"
    loop
      outcome := pg_temp.harness_probe(statement, mode, target);
      if outcome.ok then
        reached := reached || outcome.hits;
      elsif outcome.state like '23%' then
        reached := reached || target;  -- passed the policies, then broke a constraint
      elsif outcome.state not in ('42501', 'P0001')
            and pg_temp.harness_rows_in(table_name, category, array[target]) <> '{}' then
        errors := errors || format('error %s on %s: %s', outcome.state,
                                   (pg_temp.harness_rows_in(table_name, category, array[target]))[1], outcome.message);
      end if;
    end loop;
  end if;
  return pg_temp.harness_rows_in(table_name, category, reached) || errors;
end;
$$;

-- One probe per row of `category` (rows the signed-in user may update): set the owner column to the
-- member `destination`, or the tenant column to `destination` = 'tenant B', with an UPDATE that
-- reads no column; passes when no row moved (the update was refused or reached no row). Skipped when
-- the column is part of the key or generated (an UPDATE cannot move a row through it).
create function pg_temp.harness_cannot_move(table_name text, category text, destination text, description text)
returns text
language plpgsql
as $$
declare
  spec record;
  column_name text;
  value text;
  target record;
  outcome record;
  moved text[] := '{}';
begin
  select * into spec from pg_temp.harness_tables as t where t.table_name = harness_cannot_move.table_name;
  if destination like 'tenant %' then
    column_name := spec.tenant_column;
    select t.id into value from pg_temp.harness_tenants as t where t.label = substr(destination, 8);
  else
    column_name := spec.owner_column;
    select m.user_id::text into value from pg_temp.harness_members as m where m.label = destination;
  end if;
  if column_name is null or value is null then
    raise exception 'harness: cannot move rows of % to %', table_name, destination;
  end if;
  if column_name = any (spec.key_columns) or exists (
    select 1 from pg_catalog.pg_attribute as a
    where a.attrelid = table_name::regclass and a.attname = column_name
      and (a.attgenerated <> '' or a.attidentity = 'a')
  ) then
    return skip(format('%s is part of the key or generated: an UPDATE cannot move a row through it', column_name), 1);
  end if;
  for target in
    select r.identity, r.label from pg_temp.harness_rows as r
    where r.table_name = harness_cannot_move.table_name
      and pg_temp.harness_in_category(r.owner, r.tenant, category)
    order by r.label collate "C", r.identity collate "C"
  loop
    outcome := pg_temp.harness_probe(format('update %s set %I = %L', table_name, column_name, value), 'move',
                                     target.identity);
    if (outcome.ok and target.identity = any (outcome.hits)) or outcome.state like '23%' then
      moved := moved || target.label;
    elsif not outcome.ok and outcome.state not in ('42501', 'P0001') then
      moved := moved || format('error %s: %s', outcome.state, outcome.message);
    end if;
  end loop;
  return is(moved, '{}'::text[], description);
end;
$$;

-- -------------------------------------------------------------------------------------------------
-- Inserts
-- -------------------------------------------------------------------------------------------------

-- `template` with {user} = the member's id, {tenant} = the id of tenant `tenant` (default: the
-- member's), {role} = the member's role (default: the first tenancy role; none without a member).
create function pg_temp.harness_render(template text, member text, tenant text default null) returns text
language plpgsql stable
as $$
declare
  who record;
  tenant_id text;
begin
  select m.user_id::text as user_id, m.tenant, m.role into who from pg_temp.harness_members as m where m.label = member;
  if member is not null and who.user_id is null then
    raise exception 'harness: no member %', member;
  end if;
  select t.id into tenant_id from pg_temp.harness_tenants as t where t.label = coalesce(tenant, who.tenant);
  return replace(replace(replace(template,
    '{user}', coalesce(who.user_id, '')),
    '{tenant}', coalesce(tenant_id, '')),
    '{role}', coalesce(who.role, case when member is not null then
      (select s.value from pg_temp.harness_settings as s where s.name = 'default_role') end, ''));
end;
$$;

-- The current persona's scope for `operation` on `table_name` (harness_access): the scope of its
-- role when it is a member, else that of 'authenticated' (signed in) or 'anon'.
create function pg_temp.harness_scope(table_name text, operation text) returns text
language sql stable
as $$
  select coalesce((
    select a.scope from pg_temp.harness_access as a
    where a.table_name = harness_scope.table_name and a.operation = harness_scope.operation
      and a.persona = case
        when current_user = 'anon' then 'anon'
        else coalesce((select m.role from pg_temp.harness_members as m
                       where m.user_id::text = pg_temp.harness_uid() and m.tenant is not null), 'authenticated')
      end), 'none')
$$;

-- Is a row with this owner (a user id) and tenant ('A', 'B' or null) in `scope` for the signed-in user?
create function pg_temp.harness_in_scope(scope text, owner text, tenant text) returns boolean
language sql stable
as $$
  select case harness_in_scope.scope
    when 'all' then true
    when 'tenant' then coalesce(harness_in_scope.tenant = m.tenant, false)
    when 'own' then coalesce(harness_in_scope.tenant = m.tenant and harness_in_scope.owner = m.user_id::text, false)
    else false
  end
  from (select) as always
  left join pg_temp.harness_members as m on m.user_id::text = pg_temp.harness_uid()
$$;

-- The tenant ('A', 'B' or null) of a row of `table_name` with this owner and tenant column value.
create function pg_temp.harness_tenant_of(table_name text, owner text, tenant_id text) returns text
language sql stable
as $$
  select case
    when t.tenant_column is not null then
      (select x.label from pg_temp.harness_tenants as x
       where x.id = harness_tenant_of.tenant_id and x.label in ('A', 'B'))
    when t.owner_column is not null then
      (select m.tenant from pg_temp.harness_members as m where m.user_id::text = harness_tenant_of.owner)
  end
  from pg_temp.harness_tables as t
  where t.table_name = harness_tenant_of.table_name
$$;

-- Runs an INSERT of a row of `table_name` meant for `owner` in `tenant`, and rolls it back. Returns
-- when the row was accepted (also when it passed the policies and then broke a constraint: class
-- 23); raises 42501 when it was refused (a trigger's RAISE counts as a refusal); raises any other
-- error as it is. When a trigger stored a different owner or tenant than asked, the stored row is
-- judged against the persona's insert scope, as `harness audit` judges it: the call then behaves as
-- lives_ok / throws_ok need to pass exactly when the stored row is in scope.
create function pg_temp.harness_attempt(statement text, table_name text, owner text, tenant text) returns void
language plpgsql
as $$
declare
  outcome record;
  scope text := pg_temp.harness_scope(table_name, 'insert');
  stored record;
  stored_tenant text;
  rewritten boolean := false;
  stored_in_scope boolean := true;
begin
  outcome := pg_temp.harness_probe(statement, 'insert');
  if not outcome.ok and outcome.state = '42501' then
    raise exception using errcode = '42501', message = outcome.message;
  elsif not outcome.ok and outcome.state = 'P0001' then
    raise exception using errcode = '42501', message = outcome.message, hint = 'refused by a trigger (RAISE)';
  elsif not outcome.ok and outcome.state not like '23%' then
    raise exception using errcode = outcome.state, message = outcome.message;
  elsif not outcome.ok then
    raise notice 'harness: the row passed the policies, then: %', outcome.message;
  end if;
  for stored in
    select u.hit::jsonb ->> 1 as owner, u.hit::jsonb ->> 2 as tenant_id
    from unnest(outcome.hits) as u (hit)
    where u.hit::jsonb ->> 0 = table_name
  loop
    stored_tenant := pg_temp.harness_tenant_of(table_name, stored.owner, stored.tenant_id);
    rewritten := rewritten or stored.owner is distinct from owner or stored_tenant is distinct from tenant;
    stored_in_scope := stored_in_scope and pg_temp.harness_in_scope(scope, stored.owner, stored_tenant);
  end loop;
  if rewritten and pg_temp.harness_in_scope(scope, owner, tenant) <> stored_in_scope then
    raise exception using errcode = '42501',
      message = format('a trigger stored the row with other values of %s (owner) or its tenant, %s the %s scope',
                       table_name, case when stored_in_scope then 'in' else 'outside' end, scope);
  end if;
end;
$$;

-- The statement lives_ok / throws_ok run: insert `table_name`'s row for `member` in `tenant`
-- (default: the member's), always rolled back.
create function pg_temp.harness_insert(table_name text, member text, tenant text default null) returns text
language sql stable
as $$
  select format('select pg_temp.harness_attempt(%L, %L, %L, %L)',
                pg_temp.harness_render(t.insert_template, harness_insert.member, harness_insert.tenant), t.table_name,
                case when t.owner_column is not null then m.user_id::text end,
                case when t.tenant_column is not null then (select x.label from pg_temp.harness_tenants as x
                                                            where x.label = harness_insert.tenant
                                                              and x.label in ('A', 'B'))
                     else m.tenant end)
  from pg_temp.harness_tables as t
  left join pg_temp.harness_members as m on m.label = harness_insert.member
  where t.table_name = harness_insert.table_name
$$;

-- -------------------------------------------------------------------------------------------------
-- Building the world (as the superuser that runs the suite)
-- -------------------------------------------------------------------------------------------------

-- Registers a table under test: its key (the primary key unless harness.toml names one) and the
-- two probe triggers.
create function pg_temp.harness_table(table_name text, owner_column text, tenant_column text,
                                      key_columns text[], insert_template text) returns void
language plpgsql
as $$
declare
  relation regclass := to_regclass(table_name);
  phase text;
begin
  if relation is null then
    raise exception 'harness: harness.toml names the table %, which does not exist', table_name
      using hint = 'check the schema and the spelling, or run `harness emit` again';
  end if;
  if key_columns is null then
    select array_agg(a.attname::text order by k.o) into key_columns
    from pg_catalog.pg_index as i
    cross join unnest(i.indkey) with ordinality as k (attnum, o)
    join pg_catalog.pg_attribute as a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where i.indrelid = relation and i.indisprimary;
  end if;
  insert into pg_temp.harness_tables values (table_name, owner_column, tenant_column, key_columns, insert_template);
  foreach phase in array array['first', 'last', 'label'] loop
    execute format('create trigger %I %s on %s for each row execute function pg_temp.harness_probe_trigger(%s)',
                   case phase when 'first' then '!harness_probe_first' when 'last' then '~harness_probe_last'
                              else '~harness_label' end,
                   case phase when 'first' then 'before update or delete' when 'last' then 'before insert or update or delete'
                              else 'after insert' end, table_name,
                   (select string_agg(quote_literal(a), ', ')
                    from unnest(array[phase, table_name, coalesce(owner_column, ''), coalesce(tenant_column, '')]
                                || coalesce(key_columns, '{}')) as a));
  end loop;
end;
$$;

-- Labels the rows from before the world (seed data, ...): 'pre-existing row <identity>'.
create function pg_temp.harness_label_existing_rows() returns void
language plpgsql
as $$
declare
  t record;
begin
  for t in select * from pg_temp.harness_tables order by table_name loop
    execute format(
      'insert into pg_temp.harness_rows (table_name, identity, label, in_world)
       select %L, i, ''pre-existing row '' || i, false from (select %s as i from %s as r) as s
       on conflict do nothing',
      t.table_name, pg_temp.harness_identity_sql(t.table_name, 'r'), t.table_name);
  end loop;
end;
$$;

-- Runs a template as the superuser; the rows it makes in the tables under test get `label`. A
-- failure names the template.
create function pg_temp.harness_run(statement text, what text, label text) returns void
language plpgsql
as $$
declare
  message text;
begin
  perform set_config('harness.probe_mode', 'label', true), set_config('harness.probe_label', label, true);
  begin
    execute statement;
  exception when others then
    get stacked diagnostics message = message_text;
    raise exception 'harness: % failed, so the world cannot be built: %', what, message
      using detail = 'statement: ' || statement;
  end;
  perform set_config('harness.probe_mode', '', true), set_config('harness.probe_label', '', true);
end;
$$;

-- Tenant `label` ('A' or 'B'), through [tenancy] tenant.
create function pg_temp.harness_tenant(label text) returns void
language sql
as $$
  select pg_temp.harness_run(
    pg_temp.harness_render((select s.value from pg_temp.harness_settings as s where s.name = 'tenant_template'), null, label),
    '[tenancy] tenant for tenant ' || label, 'tenant ' || label)
$$;

-- A signed-in user (tests.create_supabase_user) and, with a tenant, its membership through
-- [tenancy] member; [tenancy] claims go into its app and user metadata (and extra claims).
create function pg_temp.harness_member(label text, tenant text, role text) returns void
language plpgsql
as $$
declare
  new_user uuid := tests.create_supabase_user(label);
  claims jsonb;
begin
  insert into pg_temp.harness_members values (label, tenant, role, new_user, null);
  if tenant is null then
    return;
  end if;
  claims := pg_temp.harness_render((select s.value from pg_temp.harness_settings as s where s.name = 'claims_template'),
                                   label)::jsonb;
  if claims is not null then
    update auth.users as u
    set raw_app_meta_data = coalesce(u.raw_app_meta_data, '{}') || coalesce(claims -> 'app_metadata', '{}'),
        raw_user_meta_data = coalesce(u.raw_user_meta_data, '{}') || coalesce(claims -> 'user_metadata', '{}')
    where u.id = new_user;
    update pg_temp.harness_members as m
    set extra_claims = nullif(claims - 'app_metadata' - 'user_metadata', '{}')
    where m.label = harness_member.label;
  end if;
  perform pg_temp.harness_run(
    pg_temp.harness_render((select s.value from pg_temp.harness_settings as s where s.name = 'member_template'), label),
    '[tenancy] member for ' || label, label);
end;
$$;

-- One row of `table_name` for `member`, through the table's `row` template.
create function pg_temp.harness_seed(table_name text, member text) returns void
language sql
as $$
  select pg_temp.harness_run(
    pg_temp.harness_render((select t.insert_template from pg_temp.harness_tables as t
                            where t.table_name = harness_seed.table_name), member),
    format('[tables."%s"] row for %s', table_name, member), member)
$$;

-- After the world is built: every row's owner and tenant, and each table's no-op UPDATE per API role.
create function pg_temp.harness_classify() returns void
language plpgsql
as $$
declare
  t record;
  api_role text;
  chosen record;
  value text;
begin
  for t in select * from pg_temp.harness_tables order by table_name loop
    execute format(
      'update pg_temp.harness_rows as h set owner = s.owner, tenant = coalesce(
         (select x.label from pg_temp.harness_tenants as x where x.id = s.tenant_id and x.label in (''A'', ''B'')),
         case when %L is null then (select m.tenant from pg_temp.harness_members as m where m.user_id::text = s.owner) end)
       from (select %s as identity, %s as owner, %s as tenant_id from %s as r) as s
       where h.table_name = %L and h.identity = s.identity',
      t.tenant_column, pg_temp.harness_identity_sql(t.table_name, 'r'),
      case when t.owner_column is null then 'null::text' else format('r.%I::text', t.owner_column) end,
      case when t.tenant_column is null then 'null::text' else format('r.%I::text', t.tenant_column) end,
      t.table_name, t.table_name);
    foreach api_role in array array['anon', 'authenticated'] loop
      -- not a key column; the tenant and owner columns first; one the role may update when there is one
      select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type into chosen
      from pg_catalog.pg_attribute as a
      where a.attrelid = t.table_name::regclass and a.attnum > 0 and not a.attisdropped
        and a.attgenerated = '' and a.attidentity <> 'a'
      order by has_column_privilege(api_role, a.attrelid, a.attnum, 'UPDATE') desc,
               a.attname = any (coalesce(t.key_columns, '{}')),
               a.attname is distinct from t.tenant_column and a.attname is distinct from t.owner_column,
               a.attname is distinct from t.tenant_column,
               a.attnum
      limit 1;
      if chosen.name is not null then
        execute format('select %I::text from %s limit 1', chosen.name, t.table_name) into value;
        insert into pg_temp.harness_noop values (t.table_name, api_role, chosen.name,
          case when value is null then 'default' else format('%L::%s', value, chosen.type) end);
      end if;
    end loop;
  end loop;
end;
$$;

-- tests.authenticate_as(), plus the member's top-level [tenancy] claims (beyond the metadata).
create function pg_temp.harness_authenticate_as(identifier text) returns void
language plpgsql
as $$
begin
  perform tests.authenticate_as(identifier);
  perform set_config('request.jwt.claims',
    (current_setting('request.jwt.claims')::jsonb
     || coalesce((select m.extra_claims from pg_temp.harness_members as m where m.label = identifier), '{}'))::text,
    true);
end;
$$;
