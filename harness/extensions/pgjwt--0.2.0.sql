-- pgjwt 0.2.0's interface, written here over pgcrypto: url_encode/url_decode (base64url),
-- algorithm_sign (HS256/HS384/HS512), sign(payload, secret, algorithm) and verify(token, secret,
-- algorithm) returning (header, payload, valid); a token whose exp/nbf is outside now is not valid.
\echo Use "CREATE EXTENSION pgjwt" to load this file. \quit

create function @extschema@.url_encode(data bytea) returns text
language sql immutable
as $$ select translate(encode(data, 'base64'), E'+/=\n', '-_') $$;

create function @extschema@.url_decode(data text) returns bytea
language sql immutable
as $$
  select decode(rpad(translate(data, '-_', '+/'),
                     length(data) + (4 - length(data) % 4) % 4, '='), 'base64')
$$;

create function @extschema@.algorithm_sign(signables text, secret text, algorithm text) returns text
language sql immutable
as $$
  select @extschema@.url_encode(hmac(signables, secret,
    case algorithm when 'HS256' then 'sha256' when 'HS384' then 'sha384' when 'HS512' then 'sha512' else '' end))
$$;

create function @extschema@.sign(payload json, secret text, algorithm text default 'HS256') returns text
language sql immutable
as $$
  with parts as (
    select @extschema@.url_encode(convert_to(json_build_object('alg', algorithm, 'typ', 'JWT')::text, 'utf8'))
           || '.' || @extschema@.url_encode(convert_to(payload::text, 'utf8')) as signables
  )
  select signables || '.' || @extschema@.algorithm_sign(signables, secret, algorithm) from parts
$$;

create function @extschema@.try_cast_double(inp text) returns double precision
language plpgsql immutable
as $$
begin
  return inp::double precision;
exception when others then
  return null;
end
$$;

create function @extschema@.verify(token text, secret text, algorithm text default 'HS256')
returns table (header json, payload json, valid boolean)
language sql immutable
as $$
  select
    convert_from(@extschema@.url_decode(r[1]), 'utf8')::json,
    convert_from(@extschema@.url_decode(r[2]), 'utf8')::json,
    r[3] = @extschema@.algorithm_sign(r[1] || '.' || r[2], secret, algorithm)
      and coalesce(to_timestamp(@extschema@.try_cast_double(
            convert_from(@extschema@.url_decode(r[2]), 'utf8')::json ->> 'exp')) > now(), true)
      and coalesce(to_timestamp(@extschema@.try_cast_double(
            convert_from(@extschema@.url_decode(r[2]), 'utf8')::json ->> 'nbf')) <= now(), true)
  from regexp_split_to_array(token, '\.') r
$$;

-- hmac() lives in pgcrypto's schema, wherever that is: the functions that call it look there.
do $$
declare
  crypto_schema text := (select e.extnamespace::regnamespace::text from pg_extension e where e.extname = 'pgcrypto');
begin
  execute format('alter function @extschema@.algorithm_sign(text, text, text) set search_path = %s, pg_catalog',
                 crypto_schema);
end
$$;
