-- pgmq 1.4.4's interface, written here: create/create_unlogged/drop_queue/list_queues, send/
-- send_batch, read/pop/set_vt, archive/delete (one or many), purge_queue, metrics/metrics_all.
-- A queue is a real table pgmq.q_<name> with its archive pgmq.a_<name>, as in pgmq; visibility
-- timeouts work (a message read is invisible for `vt` seconds). Written from pgmq's documented API.
\echo Use "CREATE EXTENSION pgmq" to load this file. \quit

create table pgmq.meta (
  queue_name varchar unique not null,
  is_partitioned boolean not null,
  is_unlogged boolean not null,
  created_at timestamptz not null default now()
);

create type pgmq.message_record as (
  msg_id bigint, read_ct integer, enqueued_at timestamptz, vt timestamptz, message jsonb);
create type pgmq.queue_record as (
  queue_name varchar, is_partitioned boolean, is_unlogged boolean, created_at timestamptz);
create type pgmq.metrics_result as (
  queue_name text, queue_length bigint, newest_msg_age_sec integer, oldest_msg_age_sec integer,
  total_messages bigint, scrape_time timestamptz);

create function pgmq.format_table_name(queue_name text, prefix text) returns text
language plpgsql immutable
as $$
begin
  if queue_name !~ '^[a-zA-Z0-9_]+$' then
    raise exception 'queue name contains invalid characters: $, ;, --, or \''';
  end if;
  if length(queue_name) >= 48 then
    raise exception 'queue name is too long, maximum length is 48 characters';
  end if;
  return lower(prefix || '_' || queue_name);
end
$$;

create function pgmq._create(queue_name text, unlogged boolean) returns void
language plpgsql
as $$
declare
  qtable text := pgmq.format_table_name(queue_name, 'q');
  atable text := pgmq.format_table_name(queue_name, 'a');
begin
  execute format(
    'create %s table if not exists pgmq.%I (
       msg_id bigint primary key generated always as identity,
       read_ct integer not null default 0,
       enqueued_at timestamptz not null default now(),
       vt timestamptz not null,
       message jsonb)', case when unlogged then 'unlogged' else '' end, qtable);
  execute format(
    'create table if not exists pgmq.%I (
       msg_id bigint primary key,
       read_ct integer not null default 0,
       enqueued_at timestamptz not null default now(),
       archived_at timestamptz not null default now(),
       vt timestamptz not null,
       message jsonb)', atable);
  execute format('create index if not exists %I on pgmq.%I (vt asc)', qtable || '_vt_idx', qtable);
  execute format('create index if not exists %I on pgmq.%I (archived_at)', 'archived_at_idx_' || queue_name, atable);
  insert into pgmq.meta (queue_name, is_partitioned, is_unlogged) values (queue_name, false, unlogged)
  on conflict on constraint meta_queue_name_key do nothing;
end
$$;

create function pgmq."create"(queue_name text) returns void
language sql
as $$ select pgmq._create(queue_name, false) $$;

create function pgmq.create_unlogged(queue_name text) returns void
language sql
as $$ select pgmq._create(queue_name, true) $$;

create function pgmq.drop_queue(queue_name text) returns boolean
language plpgsql
as $$
begin
  execute format('drop table if exists pgmq.%I', pgmq.format_table_name(queue_name, 'q'));
  execute format('drop table if exists pgmq.%I', pgmq.format_table_name(queue_name, 'a'));
  delete from pgmq.meta m where m.queue_name = drop_queue.queue_name;
  return true;
end
$$;

create function pgmq.list_queues() returns setof pgmq.queue_record
language sql
as $$ select m.queue_name, m.is_partitioned, m.is_unlogged, m.created_at from pgmq.meta m order by m.queue_name $$;

create function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer default 0) returns setof bigint
language plpgsql
as $$
begin
  return query execute format(
    'insert into pgmq.%I (vt, message) select clock_timestamp() + make_interval(secs => $1), m from unnest($2) m
     returning msg_id', pgmq.format_table_name(queue_name, 'q'))
  using delay, msgs;
end
$$;

create function pgmq.send(queue_name text, msg jsonb, delay integer default 0) returns setof bigint
language sql
as $$ select pgmq.send_batch(queue_name, array[msg], delay) $$;

create function pgmq.read(queue_name text, vt integer, qty integer) returns setof pgmq.message_record
language plpgsql
as $$
begin
  return query execute format(
    'with picked as (
       select msg_id from pgmq.%1$I where vt <= clock_timestamp() order by msg_id limit $1 for update skip locked)
     update pgmq.%1$I q set vt = clock_timestamp() + make_interval(secs => $2), read_ct = q.read_ct + 1
     from picked where q.msg_id = picked.msg_id
     returning q.msg_id, q.read_ct, q.enqueued_at, q.vt, q.message', pgmq.format_table_name(queue_name, 'q'))
  using qty, vt;
end
$$;

create function pgmq.pop(queue_name text) returns setof pgmq.message_record
language plpgsql
as $$
begin
  return query execute format(
    'with picked as (
       select msg_id from pgmq.%1$I where vt <= clock_timestamp() order by msg_id limit 1 for update skip locked)
     delete from pgmq.%1$I q using picked where q.msg_id = picked.msg_id
     returning q.msg_id, q.read_ct, q.enqueued_at, q.vt, q.message', pgmq.format_table_name(queue_name, 'q'));
end
$$;

create function pgmq.set_vt(queue_name text, msg_id bigint, vt integer) returns setof pgmq.message_record
language plpgsql
as $$
begin
  return query execute format(
    'update pgmq.%I set vt = clock_timestamp() + make_interval(secs => $1) where msg_id = $2
     returning msg_id, read_ct, enqueued_at, vt, message', pgmq.format_table_name(queue_name, 'q'))
  using vt, msg_id;
end
$$;

create function pgmq.archive(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql
as $$
begin
  return query execute format(
    'with moved as (delete from pgmq.%I where msg_id = any($1) returning msg_id, read_ct, enqueued_at, vt, message)
     insert into pgmq.%I (msg_id, read_ct, enqueued_at, vt, message)
     select msg_id, read_ct, enqueued_at, vt, message from moved
     returning msg_id', pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a'))
  using msg_ids;
end
$$;

create function pgmq.archive(queue_name text, msg_id bigint) returns boolean
language sql
as $$ select exists (select from pgmq.archive(queue_name, array[msg_id])) $$;

create function pgmq.delete(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql
as $$
begin
  return query execute format('delete from pgmq.%I where msg_id = any($1) returning msg_id',
                              pgmq.format_table_name(queue_name, 'q'))
  using msg_ids;
end
$$;

create function pgmq.delete(queue_name text, msg_id bigint) returns boolean
language sql
as $$ select exists (select from pgmq.delete(queue_name, array[msg_id])) $$;

create function pgmq.purge_queue(queue_name text) returns bigint
language plpgsql
as $$
declare
  deleted bigint;
begin
  execute format('with gone as (delete from pgmq.%I returning 1) select count(*) from gone',
                 pgmq.format_table_name(queue_name, 'q')) into deleted;
  return deleted;
end
$$;

create function pgmq.metrics(queue_name text) returns pgmq.metrics_result
language plpgsql
as $$
declare
  result pgmq.metrics_result;
begin
  execute format(
    'select $1, count(*), extract(epoch from clock_timestamp() - max(enqueued_at))::integer,
            extract(epoch from clock_timestamp() - min(enqueued_at))::integer,
            coalesce((select max(msg_id) from pgmq.%I), 0), clock_timestamp()
     from pgmq.%I', pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'q'))
  into result using queue_name;
  return result;
end
$$;

create function pgmq.metrics_all() returns setof pgmq.metrics_result
language sql
as $$ select (pgmq.metrics(m.queue_name)).* from pgmq.meta m order by m.queue_name $$;
