-- harness stand-in for pg_net 0.14.0: the same schema `net`, tables, types and functions. A
-- request is queued in net.http_request_queue and stays there (no background worker sends it), so
-- a suite can assert "the trigger enqueued a POST to ..."; net._http_response stays empty unless a
-- suite inserts the response it wants collected. Written from pg_net's documented interface.
\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

create schema net;

create domain net.http_method as text check (value ilike 'get' or value ilike 'post' or value ilike 'delete');

create unlogged table net.http_request_queue (
  id bigserial not null,
  method net.http_method not null,
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds integer not null
);

create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index _http_response_created_idx on net._http_response (created);

create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');
create type net.http_response as (status_code integer, headers jsonb, body text);
create type net.http_response_result as (status net.request_status, message text, response net.http_response);

-- The query string of `params`, appended to the url as pg_net does.
create function net._encode_url_with_params_array(url text, params_array text[]) returns text
language sql immutable
as $$
  select url || case when coalesce(array_length(params_array, 1), 0) = 0 then ''
                     when strpos(url, '?') > 0 then '&' else '?' end
             || coalesce(array_to_string(params_array, '&'), '')
$$;

create function net._queue(method text, url text, params jsonb, headers jsonb, body bytea, timeout_milliseconds integer)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    method,
    net._encode_url_with_params_array(url, array(
      select pg_catalog.format('%s=%s', key, value) from pg_catalog.jsonb_each_text(coalesce(params, '{}')))),
    coalesce(headers, '{}'),
    body,
    timeout_milliseconds)
  returning id
$$;

create function net.http_get(
  url text, params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds integer default 5000
) returns bigint
language sql
as $$ select net._queue('GET', url, params, headers, null, timeout_milliseconds) $$;

create function net.http_post(
  url text, body jsonb default '{}', params jsonb default '{}',
  headers jsonb default '{"Content-Type": "application/json"}', timeout_milliseconds integer default 5000
) returns bigint
language plpgsql
as $$
begin
  if coalesce(headers ->> 'Content-Type', headers ->> 'content-type', 'application/json') <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  return net._queue('POST', url, params, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds);
end
$$;

create function net.http_delete(
  url text, params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds integer default 5000,
  body jsonb default null
) returns bigint
language sql
as $$
  select net._queue('DELETE', url, params, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
$$;

-- The response of a request, if one was recorded in net._http_response; PENDING otherwise.
create function net._http_collect_response(request_id bigint, async boolean default true)
returns net.http_response_result
language sql
as $$
  select coalesce(
    (select (case when r.error_msg is null then 'SUCCESS' else 'ERROR' end,
             coalesce(r.error_msg, 'ok'),
             (r.status_code, r.headers, r.content)::net.http_response)::net.http_response_result
     from net._http_response r where r.id = request_id),
    ('PENDING', 'request not sent: the harness never sends requests', null)::net.http_response_result)
$$;

create function net.http_collect_response(request_id bigint, async boolean default true)
returns net.http_response_result
language sql
as $$ select net._http_collect_response(request_id, async) $$;

create function net.wait_until_running() returns void language sql as $$ select $$;
create function net.wake() returns void language sql as $$ select $$;
create function net.worker_restart() returns boolean language sql as $$ select true $$;

-- Schema usage is granted by Supabase's event trigger (extensions.grant_pg_net_access).
grant select on net.http_request_queue, net._http_response to postgres, service_role;
comment on schema net is 'pg_net (harness stand-in): requests are queued in net.http_request_queue and never sent';
