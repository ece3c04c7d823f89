-- harness stand-in for pgsql-http 1.6: the same types and functions in the extension's schema
-- (`extensions` on Supabase). No request leaves the machine: each one is recorded in
-- @extschema@.http_request_log, and answered with the first matching row of
-- @extschema@.http_canned_response (a suite may insert its own), else 200 with an empty body.
-- Written from pgsql-http's documented interface.
\echo Use "CREATE EXTENSION http" to load this file. \quit

create domain @extschema@.http_method as text;
create domain @extschema@.content_type as text check (value ~ '^\S+\/\S+');
create type @extschema@.http_header as (field varchar, value varchar);
create type @extschema@.http_response as (
  status integer, content_type varchar, headers @extschema@.http_header[], content varchar);
create type @extschema@.http_request as (
  method @extschema@.http_method, uri varchar, headers @extschema@.http_header[], content_type varchar,
  content varchar);

create table @extschema@.http_request_log (
  id bigserial primary key,
  method text not null,
  uri text not null,
  headers @extschema@.http_header[],
  content_type text,
  content text,
  requested_at timestamptz not null default now()
);
comment on table @extschema@.http_request_log is 'http (harness stand-in): every request made, in order; none was sent';

create table @extschema@.http_canned_response (
  method text not null default 'GET',
  uri_pattern text not null,
  status integer not null default 200,
  content_type text not null default 'application/json',
  content text not null default ''
);
comment on table @extschema@.http_canned_response is
  'http (harness stand-in): the answer to a request whose method matches and whose uri is LIKE uri_pattern';

create table @extschema@.http_curlopt_setting (curlopt text primary key, value text);

create function @extschema@.http(request @extschema@.http_request) returns @extschema@.http_response
language plpgsql
security definer
set search_path = @extschema@, pg_temp
as $$
declare
  answer @extschema@.http_response;
begin
  insert into http_request_log (method, uri, headers, content_type, content)
  values (upper(request.method), request.uri, request.headers, request.content_type, request.content);
  select c.status, c.content_type, '{}'::http_header[], c.content into answer
  from http_canned_response c
  where upper(c.method) = upper(request.method) and request.uri like c.uri_pattern
  limit 1;
  if not found then
    answer := row(200, 'text/plain', '{}'::http_header[], '');
  end if;
  return answer;
end
$$;

create function @extschema@.http_header(field varchar, value varchar) returns @extschema@.http_header
language sql immutable
as $$ select row(field, value)::@extschema@.http_header $$;

create function @extschema@.urlencode(string varchar) returns text
language sql immutable strict
as $$
  select string_agg(
    case when ch ~ '[A-Za-z0-9_.~-]' then ch
         else (select string_agg('%' || upper(lpad(to_hex(b), 2, '0')), '')
               from (select get_byte(convert_to(ch, 'UTF8'), i) as b
                     from generate_series(0, octet_length(convert_to(ch, 'UTF8')) - 1) as i) bytes)
    end, '' order by n)
  from regexp_split_to_table(string, '') with ordinality as t(ch, n)
$$;

create function @extschema@.urlencode(string bytea) returns text
language sql immutable strict
as $$ select @extschema@.urlencode(convert_from(string, 'UTF8')::varchar) $$;

create function @extschema@.urlencode(data jsonb) returns text
language sql immutable strict
as $$
  select string_agg(@extschema@.urlencode(key::varchar) || '=' || @extschema@.urlencode(value::varchar), '&')
  from jsonb_each_text(data)
$$;

create function @extschema@.http_get(uri varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('GET', uri, null, null, null)::@extschema@.http_request) $$;

create function @extschema@.http_get(uri varchar, data jsonb) returns @extschema@.http_response
language sql
as $$
  select @extschema@.http(('GET', uri || '?' || @extschema@.urlencode(data), null, null, null)::@extschema@.http_request)
$$;

create function @extschema@.http_post(uri varchar, content varchar, content_type varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('POST', uri, null, content_type, content)::@extschema@.http_request) $$;

create function @extschema@.http_post(uri varchar, data jsonb) returns @extschema@.http_response
language sql
as $$
  select @extschema@.http(('POST', uri, null, 'application/x-www-form-urlencoded',
                           @extschema@.urlencode(data))::@extschema@.http_request)
$$;

create function @extschema@.http_put(uri varchar, content varchar, content_type varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('PUT', uri, null, content_type, content)::@extschema@.http_request) $$;

create function @extschema@.http_patch(uri varchar, content varchar, content_type varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('PATCH', uri, null, content_type, content)::@extschema@.http_request) $$;

create function @extschema@.http_delete(uri varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('DELETE', uri, null, null, null)::@extschema@.http_request) $$;

create function @extschema@.http_delete(uri varchar, content varchar, content_type varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('DELETE', uri, null, content_type, content)::@extschema@.http_request) $$;

create function @extschema@.http_head(uri varchar) returns @extschema@.http_response
language sql
as $$ select @extschema@.http(('HEAD', uri, null, null, null)::@extschema@.http_request) $$;

create function @extschema@.http_set_curlopt(curlopt varchar, value varchar) returns boolean
language sql
security definer
set search_path = @extschema@, pg_temp
as $$
  insert into http_curlopt_setting values (curlopt, value)
  on conflict (curlopt) do update set value = excluded.value
  returning true
$$;

create function @extschema@.http_reset_curlopt() returns boolean
language sql
security definer
set search_path = @extschema@, pg_temp
as $$ delete from http_curlopt_setting; select true $$;

create function @extschema@.http_list_curlopt() returns table (curlopt text, value text)
language sql
as $$ select s.curlopt, s.value from @extschema@.http_curlopt_setting s order by 1 $$;

create function @extschema@.text_to_bytea(data text) returns bytea
language sql immutable strict
as $$ select convert_to(data, 'UTF8') $$;

create function @extschema@.bytea_to_text(data bytea) returns text
language sql immutable strict
as $$ select convert_from(data, 'UTF8') $$;

grant select on @extschema@.http_request_log to public;
grant select, insert, update, delete on @extschema@.http_canned_response to public;
