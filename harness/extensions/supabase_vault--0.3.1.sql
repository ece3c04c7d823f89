-- harness stand-in for supabase_vault 0.3.1: vault.secrets, vault.decrypted_secrets,
-- vault.create_secret() and vault.update_secret() with the real columns and signatures. Needs
-- neither pgsodium nor pgcrypto: a secret is stored base64-encoded (NOT encrypted: test data only)
-- and decoded by the view, so a suite reads back exactly what it stored.
-- Written from the extension's documented interface.
\echo Use "CREATE EXTENSION supabase_vault" to load this file. \quit

create function vault._crypto_aead_det_noncegen() returns bytea
language sql volatile
as $$ select decode(md5(random()::text || clock_timestamp()::text), 'hex') $$;

create table vault.secrets (
  id uuid not null default gen_random_uuid() primary key,
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default vault._crypto_aead_det_noncegen(),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
create unique index secrets_name_idx on vault.secrets (name) where name is not null;
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';

create function vault._crypto_aead_det_encrypt(message text) returns text
language sql immutable strict
as $$ select encode(convert_to(message, 'UTF8'), 'base64') $$;

create function vault._crypto_aead_det_decrypt(ciphertext text) returns text
language sql immutable strict
as $$ select convert_from(decode(ciphertext, 'base64'), 'UTF8') $$;

create view vault.decrypted_secrets as
select s.id, s.name, s.description, s.secret,
       vault._crypto_aead_det_decrypt(s.secret) as decrypted_secret,
       s.key_id, s.nonce, s.created_at, s.updated_at
from vault.secrets s;

create function vault.create_secret(
  new_secret text, new_name text default null, new_description text default '', new_key_id uuid default null
) returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into vault.secrets (secret, name, description, key_id)
  values (vault._crypto_aead_det_encrypt(new_secret), new_name, coalesce(new_description, ''), new_key_id)
  returning id
$$;

create function vault.update_secret(
  secret_id uuid, new_secret text default null, new_name text default null, new_description text default null,
  new_key_id uuid default null
) returns void
language sql
security definer
set search_path = ''
as $$
  update vault.secrets s set
    secret = coalesce(vault._crypto_aead_det_encrypt(new_secret), s.secret),
    name = coalesce(new_name, s.name),
    description = coalesce(new_description, s.description),
    key_id = coalesce(new_key_id, s.key_id),
    updated_at = now()
  where s.id = secret_id
$$;

-- As on hosted: only `postgres` (and the service role) reach the vault; the API roles do not.
revoke all on vault.secrets, vault.decrypted_secrets from public;
revoke all on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid)
  from public;
grant usage on schema vault to postgres, service_role;
grant select, delete on vault.secrets to postgres, service_role;
grant select on vault.decrypted_secrets to postgres, service_role;
grant execute on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid)
  to postgres, service_role;
