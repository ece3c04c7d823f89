-- Storage's schema as a project created today has it (current supabase/storage migrations): the
-- tables, the helpers storage policies call, the listing functions, and the triggers, including
-- the ones that refuse a direct DELETE on buckets and objects (the Storage API sets
-- storage.allow_delete_query). No file is stored anywhere.

do $$
begin
  if to_regtype('storage.buckettype') is null then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  end if;
end
$$;

create table if not exists storage.migrations (
  id integer not null constraint migrations_pkey primary key,
  name varchar(100) not null constraint migrations_name_key unique,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp
);

create table if not exists storage.buckets (
  id text not null constraint buckets_pkey primary key,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD'
);
create unique index if not exists bname on storage.buckets (name);
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';

create table if not exists storage.objects (
  id uuid not null default gen_random_uuid() constraint objects_pkey primary key,
  bucket_id text constraint "objects_bucketId_fkey" references storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb
);
create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
create index if not exists idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index if not exists idx_objects_bucket_id_name_lower on storage.objects (bucket_id, lower(name) collate "C");
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';

create table if not exists storage.buckets_analytics (
  name text not null,
  type storage.buckettype not null default 'ANALYTICS',
  format text not null default 'ICEBERG',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  id uuid not null default gen_random_uuid() constraint buckets_analytics_pkey primary key,
  deleted_at timestamptz
);
create unique index if not exists buckets_analytics_unique_name_idx on storage.buckets_analytics (name)
  where deleted_at is null;

create table if not exists storage.buckets_vectors (
  id text not null constraint buckets_vectors_pkey primary key,
  type storage.buckettype not null default 'VECTOR',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists storage.vector_indexes (
  id text not null default gen_random_uuid() constraint vector_indexes_pkey primary key,
  name text collate "C" not null,
  bucket_id text not null constraint vector_indexes_bucket_id_fkey references storage.buckets_vectors (id),
  data_type text not null,
  dimension integer not null,
  distance_metric text not null,
  metadata_configuration jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index if not exists vector_indexes_name_bucket_id_idx on storage.vector_indexes (name, bucket_id);

create table if not exists storage.s3_multipart_uploads (
  id text not null constraint s3_multipart_uploads_pkey primary key,
  in_progress_size bigint not null default 0,
  upload_signature text not null,
  bucket_id text not null constraint s3_multipart_uploads_bucket_id_fkey references storage.buckets (id),
  key text collate "C" not null,
  version text not null,
  owner_id text,
  created_at timestamptz not null default now(),
  user_metadata jsonb
);
create index if not exists idx_multipart_uploads_list on storage.s3_multipart_uploads (bucket_id, key, created_at);

create table if not exists storage.s3_multipart_uploads_parts (
  id uuid not null default gen_random_uuid() constraint s3_multipart_uploads_parts_pkey primary key,
  upload_id text not null constraint s3_multipart_uploads_parts_upload_id_fkey
    references storage.s3_multipart_uploads (id) on delete cascade,
  size bigint not null default 0,
  part_number integer not null,
  bucket_id text not null constraint s3_multipart_uploads_parts_bucket_id_fkey references storage.buckets (id),
  key text collate "C" not null,
  etag text not null,
  owner_id text,
  version text not null,
  created_at timestamptz not null default now()
);

-- Path helpers (what storage policies call) -------------------------------------------------------
create or replace function storage.foldername(name text) returns text[]
language sql immutable
as $$ select (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1] $$;

create or replace function storage.filename(name text) returns text
language sql
as $$ select (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)] $$;

create or replace function storage.extension(name text) returns text
language sql immutable
as $$ select reverse(split_part(reverse((string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]), '.', 1)) $$;

create or replace function storage.get_level(name text) returns integer
language sql immutable strict
as $$ select array_length(string_to_array(name, '/'), 1) $$;

create or replace function storage.get_prefix(name text) returns text
language sql immutable strict
as $$ select case when strpos(name, '/') > 0 then regexp_replace(name, '/[^/]+/?$', '') else '' end $$;

create or replace function storage.get_prefixes(name text) returns text[]
language sql immutable strict
as $$
  select coalesce(array_agg(array_to_string(parts[1:i], '/') order by i), '{}')
  from (select string_to_array(name, '/') as parts) p,
       generate_series(1, array_length(parts, 1) - 1) as i
$$;

create or replace function storage.get_common_prefix(p_key text, p_prefix text, p_delimiter text) returns text
language sql immutable
as $$
  select case
    when position(p_delimiter in substring(p_key from length(p_prefix) + 1)) > 0
      then left(p_key, length(p_prefix) + position(p_delimiter in substring(p_key from length(p_prefix) + 1)))
  end
$$;

-- What the Storage API is doing in this request ('object.upload', ...), for policies.
create or replace function storage.operation() returns text
language sql stable
as $$ select current_setting('storage.operation', true) $$;

create or replace function storage.get_size_by_bucket() returns table (size bigint, bucket_id text)
language sql stable
as $$
  select sum((obj.metadata ->> 'size')::bigint) as size, obj.bucket_id
  from storage.objects as obj
  group by obj.bucket_id
$$;

-- The Storage API's pre-flight check: would this INSERT pass the policies? Raises PT200 to undo it.
create or replace function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb) returns void
language plpgsql
as $$
begin
  insert into storage.objects (bucket_id, name, owner, metadata) values (bucketid, name, owner, metadata);
  raise sqlstate 'PT200' using message = 'ROLLBACK', detail = 'rollback successful insert';
end
$$;

-- Listing -----------------------------------------------------------------------------------------
-- One level of a bucket below `prefix`: folders (name only) and files, as the dashboard lists them.
create or replace function storage.search(
  prefix text, bucketname text, limits integer default 100, levels integer default 1, offsets integer default 0,
  search text default '', sortcolumn text default 'name', sortorder text default 'asc'
) returns table (
  name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz, metadata jsonb
)
language plpgsql stable
as $$
declare
  order_column text := case lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at' when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at' else 'name' end;
  direction text := case when lower(coalesce(sortorder, 'asc')) = 'desc' then 'desc' else 'asc' end;
begin
  return query execute format(
    $q$
    with matching as (
      select o.* from storage.objects o
      where o.bucket_id = $1 and o.name ilike $2 || '%%'
    ), folders as (
      select distinct m.path_tokens[$3] as name from matching m where array_length(m.path_tokens, 1) > $3
    )
    select listed.name, listed.id, listed.updated_at, listed.created_at, listed.last_accessed_at, listed.metadata
    from (
      select f.name, null::uuid, null::timestamptz, null::timestamptz, null::timestamptz, null::jsonb, 0 as kind
      from folders f
      union all
      select m.path_tokens[$3], m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata, 1
      from matching m where array_length(m.path_tokens, 1) = $3
    ) listed (name, id, updated_at, created_at, last_accessed_at, metadata, kind)
    order by listed.kind, listed.%I %s
    limit $4 offset $5
    $q$, order_column, direction)
  using bucketname, coalesce(prefix, '') || coalesce(search, ''), levels, limits, offsets;
end
$$;

create or replace function storage.list_objects_with_delimiter(
  _bucket_id text, prefix_param text, delimiter_param text, max_keys integer default 100,
  start_after text default '', next_token text default '', sort_order text default 'asc'
) returns table (
  name text, id uuid, metadata jsonb, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz
)
language sql stable
as $$
  with keyed as (
    select coalesce(storage.get_common_prefix(o.name, coalesce(prefix_param, ''), delimiter_param), o.name) as key, o.*
    from storage.objects o
    where o.bucket_id = _bucket_id and o.name collate "C" like coalesce(prefix_param, '') || '%'
  ), listed as (
    select distinct on (k.key collate "C")
      case when k.key = k.name then k.name else rtrim(k.key, delimiter_param) end as name,
      case when k.key = k.name then k.id end as id,
      case when k.key = k.name then k.metadata end as metadata,
      case when k.key = k.name then k.updated_at end as updated_at,
      case when k.key = k.name then k.created_at end as created_at,
      case when k.key = k.name then k.last_accessed_at end as last_accessed_at
    from keyed k
    where k.key collate "C" > coalesce(nullif(next_token, ''), coalesce(start_after, ''))
    order by k.key collate "C"
  )
  select * from listed
  order by case when lower(sort_order) = 'desc' then null else name end collate "C" asc,
           case when lower(sort_order) = 'desc' then name end collate "C" desc
  limit max_keys
$$;

create or replace function storage.search_v2(
  prefix text, bucket_name text, limits integer default 100, levels integer default 1,
  start_after text default '', sort_order text default 'asc', sort_column text default 'name',
  sort_column_after text default ''
) returns table (
  key text, name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz,
  metadata jsonb
)
language sql stable
as $$
  select split_part(l.name, '/', levels), l.name, l.id, l.updated_at, l.created_at, l.last_accessed_at, l.metadata
  from storage.list_objects_with_delimiter(bucket_name, coalesce(prefix, ''), '/', least(coalesce(limits, 100), 1500),
                                           start_after, '', sort_order) l
$$;

create or replace function storage.list_multipart_uploads_with_delimiter(
  bucket_id text, prefix_param text, delimiter_param text, max_keys integer default 100,
  next_key_token text default '', next_upload_token text default ''
) returns table (key text, id text, created_at timestamptz)
language sql
as $$
  select distinct on (k.key collate "C") k.key, k.id, k.created_at
  from (
    select coalesce(storage.get_common_prefix(u.key, prefix_param, delimiter_param), u.key) as key, u.id, u.created_at
    from storage.s3_multipart_uploads u
    where u.bucket_id = list_multipart_uploads_with_delimiter.bucket_id and u.key ilike prefix_param || '%'
      and (next_key_token = '' or u.key collate "C" > next_key_token)
      and (next_upload_token = '' or u.id collate "C" > next_upload_token)
  ) k
  order by k.key collate "C", k.created_at
  limit max_keys
$$;

-- Triggers ----------------------------------------------------------------------------------------
create or replace function storage.update_updated_at_column() returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end
$$;

create or replace function storage.enforce_bucket_name_length() returns trigger
language plpgsql
as $$
begin
  if length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.', new.name, length(new.name);
  end if;
  return new;
end
$$;

-- Files live outside the database: a row deleted here would orphan its file, so only the Storage API
-- (which sets storage.allow_delete_query) may delete.
create or replace function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;

drop trigger if exists update_objects_updated_at on storage.objects;
create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();
drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();
drop trigger if exists enforce_bucket_name_length_trigger on storage.buckets;
create trigger enforce_bucket_name_length_trigger before insert or update of name on storage.buckets
  for each row execute function storage.enforce_bucket_name_length();
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();

-- Row level security, owners, grants --------------------------------------------------------------
do $$
declare
  rel regclass;
  fn regprocedure;
begin
  for rel in select c.oid::regclass from pg_class c where c.relnamespace = 'storage'::regnamespace and c.relkind = 'r'
  loop
    execute format('alter table %s enable row level security', rel);
    execute format('alter table %s owner to supabase_storage_admin', rel);
  end loop;
  for fn in select p.oid::regprocedure from pg_proc p where p.pronamespace = 'storage'::regnamespace
  loop
    execute format('alter function %s owner to supabase_storage_admin', fn);
  end loop;
end
$$;
alter type storage.buckettype owner to supabase_storage_admin;

grant all on all tables in schema storage to postgres, service_role, dashboard_user;
grant all on storage.buckets, storage.objects to anon, authenticated;
grant select on storage.buckets_analytics, storage.buckets_vectors, storage.vector_indexes,
  storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts to anon, authenticated;
grant execute on all functions in schema storage to postgres, anon, authenticated, service_role, dashboard_user;
