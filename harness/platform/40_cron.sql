-- A stand-in for pg_cron, which cannot live in a template database: jobs are recorded, never run.
-- Migrations that guard on the `pg_cron` extension see it absent; ones that call cron.schedule work.
create schema if not exists cron;

create table if not exists cron.job (
  jobid bigserial primary key,
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text,
  unique (username, jobname)
);

create or replace function cron.schedule(job_name text, schedule text, command text) returns bigint
language sql
as $$
  insert into cron.job (jobname, schedule, command) values (job_name, schedule, command)
  on conflict (username, jobname) do update set schedule = excluded.schedule, command = excluded.command
  returning jobid
$$;

create or replace function cron.schedule(schedule text, command text) returns bigint
language sql
as $$ insert into cron.job (schedule, command) values (schedule, command) returning jobid $$;

create or replace function cron.unschedule(job_id bigint) returns boolean
language sql
as $$ with gone as (delete from cron.job where jobid = job_id returning 1) select exists (select 1 from gone) $$;

create or replace function cron.unschedule(job_name text) returns boolean
language sql
as $$ with gone as (delete from cron.job where jobname = job_name returning 1) select exists (select 1 from gone) $$;

comment on schema cron is 'harness stand-in for pg_cron: jobs are recorded in cron.job and never run';

-- Where the server has the harness's private share folder, `create extension pg_cron` installs the
-- stand-in extension (harness/extensions/pg_cron): the schema above must not be in its way.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron')
     and not exists (select 1 from pg_extension where extname = 'pg_cron') then
    drop schema cron cascade;
  end if;
end
$$;
