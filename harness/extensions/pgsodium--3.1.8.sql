-- harness stand-in for pgsodium 3.1.8: pgsodium.key and pgsodium.valid_key, create_key(),
-- randombytes_buf/new/random, the *_keygen/*_noncegen helpers, crypto_aead_det_encrypt/decrypt and
-- crypto_secretbox/crypto_secretbox_open (by key id or raw key). Ciphertexts are pgcrypto AES of
-- the message under a key derived from the key id or the raw key and the nonce: they round-trip, but
-- are not libsodium's bytes and are NOT secure. No security labels. Test data only.
\echo Use "CREATE EXTENSION pgsodium" to load this file. \quit

create type pgsodium.key_status as enum ('default', 'valid', 'invalid', 'expired');
create type pgsodium.key_type as enum (
  'aead-ietf', 'aead-det', 'hmacsha512', 'hmacsha256', 'auth', 'shorthash', 'generichash', 'kdf',
  'secretbox', 'secretstream', 'stream_xchacha20');

create table pgsodium.key (
  id uuid primary key default gen_random_uuid(),
  status pgsodium.key_status default 'valid',
  created timestamptz not null default current_timestamp,
  expires timestamptz,
  key_type pgsodium.key_type,
  key_id bigserial,
  key_context bytea default 'pgsodium',
  name text unique,
  associated_data text default 'associated',
  raw_key bytea,
  raw_key_nonce bytea,
  parent_key uuid references pgsodium.key (id),
  comment text,
  user_data text
);

create view pgsodium.valid_key as
select id, name, status, key_type, key_id, key_context, created, expires, associated_data
from pgsodium.key
where status in ('valid', 'default') and (expires is null or expires > now());

create function pgsodium.create_key(
  key_type pgsodium.key_type default 'aead-det', name text default null, raw_key bytea default null,
  raw_key_nonce bytea default null, parent_key uuid default null, key_context bytea default 'pgsodium',
  expires timestamptz default null, associated_data text default ''
) returns pgsodium.valid_key
language sql
security definer
set search_path = ''
as $$
  with made as (
    insert into pgsodium.key (key_type, name, raw_key, raw_key_nonce, parent_key, key_context, expires, associated_data)
    values (key_type, name, raw_key, raw_key_nonce, parent_key, key_context, expires, associated_data)
    returning *
  )
  select m.id, m.name, m.status, m.key_type, m.key_id, m.key_context, m.created, m.expires, m.associated_data
  from made m
$$;

create function pgsodium.randombytes_buf(size integer) returns bytea
language sql volatile
as $$ select decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex') from generate_series(1, size) $$;

create function pgsodium.randombytes_new_seed() returns bytea
language sql volatile
as $$ select pgsodium.randombytes_buf(32) $$;

create function pgsodium.randombytes_random() returns integer
language sql volatile
as $$ select (random() * 2147483647)::integer $$;

create function pgsodium.crypto_aead_det_keygen() returns bytea language sql volatile as $$ select pgsodium.randombytes_buf(32) $$;
create function pgsodium.crypto_aead_det_noncegen() returns bytea language sql volatile as $$ select pgsodium.randombytes_buf(16) $$;
create function pgsodium.crypto_secretbox_keygen() returns bytea language sql volatile as $$ select pgsodium.randombytes_buf(32) $$;
create function pgsodium.crypto_secretbox_noncegen() returns bytea language sql volatile as $$ select pgsodium.randombytes_buf(24) $$;

-- The AES key of a pgsodium key id (derived from the id: the stand-in keeps no secret) or of a raw key.
create function pgsodium._key_bytes(key_uuid uuid) returns bytea
language sql stable
as $$ select digest(key_uuid::text, 'sha256') $$;

create function pgsodium._seal(message bytea, key bytea, context bytea) returns bytea
language sql immutable
as $$ select encrypt(message, digest(key || coalesce(context, ''), 'sha256'), 'aes') $$;

create function pgsodium._open(ciphertext bytea, key bytea, context bytea) returns bytea
language sql immutable
as $$ select decrypt(ciphertext, digest(key || coalesce(context, ''), 'sha256'), 'aes') $$;

create function pgsodium.crypto_aead_det_encrypt(message bytea, additional bytea, key_uuid uuid, nonce bytea default null)
returns bytea
language sql stable
as $$ select pgsodium._seal(message, pgsodium._key_bytes(key_uuid), additional || coalesce(nonce, '')) $$;

create function pgsodium.crypto_aead_det_decrypt(message bytea, additional bytea, key_uuid uuid, nonce bytea default null)
returns bytea
language sql stable
as $$ select pgsodium._open(message, pgsodium._key_bytes(key_uuid), additional || coalesce(nonce, '')) $$;

create function pgsodium.crypto_aead_det_encrypt(message bytea, additional bytea, key bytea, nonce bytea default null)
returns bytea
language sql immutable
as $$ select pgsodium._seal(message, key, additional || coalesce(nonce, '')) $$;

create function pgsodium.crypto_aead_det_decrypt(message bytea, additional bytea, key bytea, nonce bytea default null)
returns bytea
language sql immutable
as $$ select pgsodium._open(message, key, additional || coalesce(nonce, '')) $$;

create function pgsodium.crypto_secretbox(message bytea, nonce bytea, key_uuid uuid) returns bytea
language sql stable
as $$ select pgsodium._seal(message, pgsodium._key_bytes(key_uuid), nonce) $$;

create function pgsodium.crypto_secretbox_open(ciphertext bytea, nonce bytea, key_uuid uuid) returns bytea
language sql stable
as $$ select pgsodium._open(ciphertext, pgsodium._key_bytes(key_uuid), nonce) $$;

create function pgsodium.crypto_secretbox(message bytea, nonce bytea, key bytea) returns bytea
language sql immutable
as $$ select pgsodium._seal(message, key, nonce) $$;

create function pgsodium.crypto_secretbox_open(ciphertext bytea, nonce bytea, key bytea) returns bytea
language sql immutable
as $$ select pgsodium._open(ciphertext, key, nonce) $$;

-- encrypt(), decrypt() and digest() live in pgcrypto's schema, wherever that is.
do $$
declare
  crypto_schema text := (select e.extnamespace::regnamespace::text from pg_extension e where e.extname = 'pgcrypto');
  fn regprocedure;
begin
  for fn in select p.oid::regprocedure from pg_proc p where p.pronamespace = 'pgsodium'::regnamespace and p.prokind = 'f'
  loop
    execute format('alter function %s set search_path = pgsodium, %I, pg_catalog', fn, crypto_schema);
  end loop;
end
$$;

grant usage on schema pgsodium to postgres, service_role;
grant select on pgsodium.valid_key to postgres, service_role;
grant select, insert, update, delete on pgsodium.key to postgres, service_role;
