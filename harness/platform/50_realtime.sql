-- Realtime's schema as a project created today has it: Broadcast's `realtime.messages` (with the
-- `realtime.topic()` that authorization policies read), `realtime.send()` and
-- `realtime.broadcast_changes()` for triggers, and Postgres Changes' `realtime.subscription` with
-- its filter check. No Realtime server runs: a message sent is a row in realtime.messages, which a
-- suite can read back. The WAL-decoding functions (apply_rls, list_changes) are left out: only the
-- Realtime server calls them.
create schema if not exists realtime;

do $$
begin
  if to_regtype('realtime.action') is null then
    create type realtime.action as enum ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'ERROR');
  end if;
  if to_regtype('realtime.equality_op') is null then
    create type realtime.equality_op as enum ('eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in');
  end if;
  if to_regtype('realtime.user_defined_filter') is null then
    create type realtime.user_defined_filter as (column_name text, op realtime.equality_op, value text);
  end if;
  if to_regtype('realtime.wal_column') is null then
    create type realtime.wal_column as (
      name text, type_name text, type_oid oid, value jsonb, is_pkey boolean, is_selectable boolean);
  end if;
  if to_regtype('realtime.wal_rls') is null then
    create type realtime.wal_rls as (wal jsonb, is_rls_enabled boolean, subscription_ids uuid[], errors text[]);
  end if;
end
$$;

create table if not exists realtime.schema_migrations (
  version bigint not null constraint schema_migrations_pkey primary key,
  inserted_at timestamp(0)
);

-- Realtime partitions messages by day and creates the partitions itself; a default partition stands
-- in, so a message sent on any day is kept.
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  constraint messages_pkey primary key (id, inserted_at)
) partition by range (inserted_at);
create table if not exists realtime.messages_default partition of realtime.messages default;
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

create or replace function realtime.to_regrole(role_name text) returns regrole
language sql immutable
as $$ select role_name::regrole $$;

create table if not exists realtime.subscription (
  id bigint generated always as identity constraint pk_subscription primary key,
  subscription_id uuid not null,
  entity regclass not null,
  filters realtime.user_defined_filter[] not null default '{}',
  claims jsonb not null,
  claims_role regrole not null generated always as (realtime.to_regrole(claims ->> 'role')) stored,
  created_at timestamp not null default timezone('utc', now())
);
create index if not exists ix_realtime_subscription_entity on realtime.subscription (entity);
create unique index if not exists subscription_subscription_id_entity_filters_key
  on realtime.subscription (subscription_id, entity, filters);

-- The channel topic of the Broadcast/Presence request being authorized (set by the Realtime server).
create or replace function realtime.topic() returns text
language sql stable
as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;

-- Broadcast a message from the database. Never fails the caller: an error becomes a warning.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id,
            case when payload ? 'id' then payload else jsonb_set(payload, '{id}', to_jsonb(message_id)) end,
            event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

-- For row triggers: broadcast the change (record, old_record, operation, table, schema) to a topic.
create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
language plpgsql
as $$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                       'table', table_name, 'schema', table_schema),
    event_name, topic_name);
end
$$;

-- Postgres Changes filters: cast a text value to a column's type, and compare.
create or replace function realtime."cast"(val text, type_ regtype) returns jsonb
language plpgsql immutable
as $$
declare
  result jsonb;
begin
  execute format('select to_jsonb(%L::%s)', val, type_) into result;
  return result;
end
$$;

create or replace function realtime.check_equality_op(op realtime.equality_op, type_ regtype, val_1 text, val_2 text)
returns boolean
language plpgsql immutable
as $$
declare
  result boolean;
begin
  execute format('select %L::%s %s (%L::%s)', val_1, type_,
                 case op when 'eq' then '=' when 'neq' then '!=' when 'lt' then '<' when 'lte' then '<='
                         when 'gt' then '>' when 'gte' then '>=' when 'in' then '= any' end,
                 val_2, case when op = 'in' then type_::text || '[]' else type_::text end)
    into result;
  return result;
end
$$;

create or replace function realtime.is_visible_through_filters(
  columns realtime.wal_column[], filters realtime.user_defined_filter[]
) returns boolean
language sql immutable
as $$
  select filters is null or array_length(filters, 1) is null or bool_and(coalesce(
    realtime.check_equality_op(f.op, coalesce(c.type_oid::regtype, c.type_name::regtype), c.value #>> '{}', f.value),
    false))
  from unnest(filters) f join unnest(columns) c on f.column_name = c.name
$$;

create or replace function realtime.build_prepared_statement_sql(
  prepared_statement_name text, entity regclass, columns realtime.wal_column[]
) returns text
language sql
as $$
  select 'prepare ' || prepared_statement_name || ' as select exists (select 1 from ' || entity || ' where '
         || string_agg(quote_ident(c.name) || ' = ' || quote_nullable(c.value #>> '{}'), ' and ') || ')'
  from unnest(columns) c
  where c.is_pkey
  group by entity
$$;

create or replace function realtime.quote_wal2json(entity regclass) returns text
language sql immutable strict
as $$
  select btrim(n.nspname, '"') || '.' || btrim(c.relname, '"')
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.oid = entity
$$;

-- A subscription's filters must name columns its role may read, with values of the column's type.
create or replace function realtime.subscription_check_filters() returns trigger
language plpgsql
as $$
declare
  filter realtime.user_defined_filter;
  column_type regtype;
begin
  foreach filter in array new.filters loop
    select a.atttypid::regtype into column_type
    from pg_attribute a
    where a.attrelid = new.entity and a.attname = filter.column_name and a.attnum > 0 and not a.attisdropped
      and has_column_privilege(new.claims ->> 'role', new.entity, a.attname, 'SELECT');
    if column_type is null then
      raise exception 'invalid column for filter %', filter.column_name;
    end if;
    if filter.op = 'in' then
      if coalesce(jsonb_array_length(realtime.cast(filter.value, (column_type::text || '[]')::regtype)), 0) > 100 then
        raise exception 'too many values for `in` filter. Maximum 100';
      end if;
    else
      perform realtime.cast(filter.value, column_type);
    end if;
  end loop;
  new.filters = coalesce((select array_agg(f order by f.column_name, f.op, f.value) from unnest(new.filters) f), '{}');
  return new;
end
$$;

drop trigger if exists tr_check_filters on realtime.subscription;
create trigger tr_check_filters before insert or update on realtime.subscription
  for each row execute function realtime.subscription_check_filters();

alter table realtime.messages enable row level security;

-- Realtime's own role owns its schema where it exists (it is one of hosted's reserved roles).
do $$
declare
  owner_role text := case when exists (select 1 from pg_roles where rolname = 'supabase_realtime_admin')
                          then 'supabase_realtime_admin' else 'supabase_admin' end;
  rel regclass;
begin
  execute format('alter schema realtime owner to %I', owner_role);
  for rel in select c.oid::regclass from pg_class c
             where c.relnamespace = 'realtime'::regnamespace and c.relkind in ('r', 'p')
  loop
    execute format('alter table %s owner to %I', rel, owner_role);
  end loop;
end
$$;

grant usage on schema realtime to postgres, anon, authenticated, service_role, dashboard_user;
grant all on all tables in schema realtime to postgres, dashboard_user;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
grant select on realtime.schema_migrations, realtime.subscription to anon, authenticated, service_role;
grant execute on all functions in schema realtime to postgres, anon, authenticated, service_role, dashboard_user;
