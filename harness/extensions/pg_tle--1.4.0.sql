-- harness stand-in for pg_tle 1.4.0: pgtle.install_extension() and friends with the real
-- signatures. Installs are recorded in pgtle.harness_installed_extension, and listed by
-- pgtle.available_extensions(); a later CREATE EXTENSION of such an extension is not possible here
-- (the real pg_tle hooks the server's extension loader), and fails with a finding that names it.
\echo Use "CREATE EXTENSION pg_tle" to load this file. \quit

create type pgtle.pg_tle_features as enum ('passcheck', 'clientauth');

create table pgtle.feature_info (
  feature pgtle.pg_tle_features not null,
  schema_name text not null,
  proname text not null,
  obj_identity text not null,
  primary key (feature, obj_identity)
);

create table pgtle.harness_installed_extension (
  name text not null,
  version text not null,
  description text,
  ext text not null,
  requires text[],
  is_default boolean not null default true,
  primary key (name, version)
);

-- On hosted `postgres` is a member of pgtle_admin, which may install and register.
grant usage on schema pgtle to postgres;
grant select, insert, update, delete on pgtle.feature_info, pgtle.harness_installed_extension to postgres;

create function pgtle.install_extension(
  name text, version text, description text, ext text, requires text[] default null
) returns boolean
language plpgsql
as $$
begin
  if exists (select 1 from pgtle.harness_installed_extension e where e.name = install_extension.name) then
    raise exception 'extension "%" already installed', name using errcode = '42710';
  end if;
  insert into pgtle.harness_installed_extension (name, version, description, ext, requires)
  values (name, version, description, ext, requires);
  return true;
end
$$;

create function pgtle.install_extension_version_sql(name text, version text, ext text) returns boolean
language sql
as $$
  insert into pgtle.harness_installed_extension (name, version, ext, is_default)
  values (name, version, ext, false) returning true
$$;

create function pgtle.install_update_path(name text, fromvers text, tovers text, ext text) returns boolean
language sql
as $$ select true $$;

create function pgtle.set_default_version(name text, version text) returns boolean
language sql
as $$
  update pgtle.harness_installed_extension e set is_default = (e.version = set_default_version.version)
  where e.name = set_default_version.name returning true
$$;

create function pgtle.uninstall_extension(extname text) returns boolean
language plpgsql
as $$
begin
  delete from pgtle.harness_installed_extension e where e.name = extname;
  if not found then
    raise exception 'Extension % does not exist', extname using errcode = 'P0002';
  end if;
  return true;
end
$$;

create function pgtle.uninstall_extension(extname text, version text) returns boolean
language sql
as $$
  delete from pgtle.harness_installed_extension e where e.name = extname and e.version = uninstall_extension.version
  returning true
$$;

create function pgtle.uninstall_extension_if_exists(extname text) returns boolean
language sql
as $$
  with gone as (delete from pgtle.harness_installed_extension e where e.name = extname returning 1)
  select exists (select from gone)
$$;

create function pgtle.available_extensions(out name name, out default_version text, out comment text)
returns setof record
language sql stable
as $$
  select e.name::name, e.version, e.description from pgtle.harness_installed_extension e where e.is_default
$$;

create function pgtle.available_extension_versions(
  out name name, out version text, out superuser boolean, out trusted boolean, out relocatable boolean,
  out schema name, out requires name[], out comment text
) returns setof record
language sql stable
as $$
  select e.name::name, e.version, false, true, false, null::name, e.requires::name[], e.description
  from pgtle.harness_installed_extension e
$$;

create function pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features) returns void
language sql
as $$
  insert into pgtle.feature_info
  select feature, n.nspname, p.proname, proc::regprocedure::text
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.oid = proc
$$;

create function pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features) returns boolean
language sql
as $$
  insert into pgtle.feature_info
  select feature, n.nspname, p.proname, proc::regprocedure::text
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.oid = proc
  on conflict do nothing
  returning true
$$;

create function pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features) returns void
language sql
as $$ delete from pgtle.feature_info f where f.feature = unregister_feature.feature and f.obj_identity = proc::regprocedure::text $$;
