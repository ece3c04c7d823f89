-- Can this server install pgTAP, and which major version is it (names the package to install)?
select
  exists (select 1 from pg_catalog.pg_available_extensions where name = 'pgtap') as available,
  current_setting('server_version_num')::int / 10000 as major;
