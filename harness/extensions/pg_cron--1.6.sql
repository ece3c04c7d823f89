-- harness stand-in for pg_cron 1.6: the same schema, tables and functions; jobs are recorded and
-- never run (no background worker, no shared_preload_libraries), so a migration that schedules a
-- job applies, and a suite can assert what was scheduled. Written from pg_cron's documented interface.
\echo Use "CREATE EXTENSION pg_cron" to load this file. \quit

create schema cron;

create sequence cron.jobid_seq;
create table cron.job (
  jobid bigint primary key default nextval('cron.jobid_seq'),
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text,
  constraint jobname_username_uniq unique (jobname, username)
);
alter sequence cron.jobid_seq owned by cron.job.jobid;

create sequence cron.runid_seq;
create table cron.job_run_details (
  jobid bigint,
  runid bigint primary key default nextval('cron.runid_seq'),
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
alter sequence cron.runid_seq owned by cron.job_run_details.runid;

alter table cron.job enable row level security;
alter table cron.job_run_details enable row level security;
create policy cron_job_policy on cron.job using (username = current_user);
create policy cron_job_run_details_policy on cron.job_run_details using (username = current_user);
grant select on cron.job to public;
grant select, delete on cron.job_run_details to public;

-- A schedule is five cron fields, @-shortcut, or '[1-59] seconds', as pg_cron accepts.
create function cron.harness_check_schedule(schedule text) returns text
language plpgsql immutable
as $$
begin
  if schedule is null then
    return null;
  end if;
  if schedule ~ '^\s*@(yearly|annually|monthly|weekly|daily|hourly|reboot)\s*$'
     or schedule ~* '^\s*([1-9]|[1-5][0-9])\s+seconds?\s*$'
     or schedule ~ '^\s*(\S+\s+){4}\S+\s*$' and schedule ~ '^[0-9*,/\-\sA-Za-z$]+$' then
    return schedule;
  end if;
  raise exception 'invalid schedule: %', schedule;
end
$$;

-- pg_cron writes cron.job with its own rights (Supabase's event trigger leaves `postgres` only
-- SELECT on it), so the writers are SECURITY DEFINER; the public functions pass the calling role,
-- whose jobs they are, as pg_cron takes it from the session.
create function cron._harness_schedule(
  caller text, job_name text, schedule text, command text, database text, username text, active boolean
) returns bigint
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
  id bigint;
begin
  if job_name is null then
    insert into cron.job (schedule, command, database, username, active)
    values (cron.harness_check_schedule(schedule), command, coalesce(database, current_database()),
            coalesce(username, caller), coalesce(active, true))
    returning jobid into id;
  else
    insert into cron.job (jobname, schedule, command, database, username, active)
    values (job_name, cron.harness_check_schedule(schedule), command, coalesce(database, current_database()),
            coalesce(username, caller), coalesce(active, true))
    on conflict on constraint jobname_username_uniq do update
      set schedule = excluded.schedule, command = excluded.command, database = excluded.database,
          active = excluded.active
    returning jobid into id;
  end if;
  return id;
end
$$;

create function cron._harness_unschedule(caller text, job_id bigint, job_name text) returns boolean
language plpgsql
security definer
set search_path = pg_catalog
as $$
begin
  delete from cron.job j
  where j.username = caller and (j.jobid = job_id or j.jobname = job_name);
  if not found then
    raise exception 'could not find valid entry for job %', coalesce(quote_literal(job_name), job_id::text);
  end if;
  return true;
end
$$;

create function cron._harness_alter_job(
  caller text, job_id bigint, schedule text, command text, database text, username text, active boolean
) returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
begin
  update cron.job j set
    schedule = coalesce(cron.harness_check_schedule(_harness_alter_job.schedule), j.schedule),
    command = coalesce(_harness_alter_job.command, j.command),
    database = coalesce(_harness_alter_job.database, j.database),
    username = coalesce(_harness_alter_job.username, j.username),
    active = coalesce(_harness_alter_job.active, j.active)
  where j.jobid = job_id and j.username = caller;
  if not found then
    raise exception 'Job % does not exist or you don''t own it', job_id;
  end if;
end
$$;

create function cron.schedule(schedule text, command text) returns bigint
language sql
as $$ select cron._harness_schedule(current_user, null, schedule, command, null, null, null) $$;

create function cron.schedule(job_name text, schedule text, command text) returns bigint
language sql
as $$ select cron._harness_schedule(current_user, job_name, schedule, command, null, null, null) $$;

create function cron.schedule_in_database(
  job_name text, schedule text, command text, database text, username text default null, active boolean default true
) returns bigint
language sql
as $$ select cron._harness_schedule(current_user, job_name, schedule, command, database, username, active) $$;

create function cron.unschedule(job_id bigint) returns boolean
language sql
as $$ select cron._harness_unschedule(current_user, job_id, null) $$;

create function cron.unschedule(job_name text) returns boolean
language sql
as $$ select cron._harness_unschedule(current_user, null, job_name) $$;

create function cron.alter_job(
  job_id bigint, schedule text default null, command text default null, database text default null,
  username text default null, active boolean default null
) returns void
language sql
as $$ select cron._harness_alter_job(current_user, job_id, schedule, command, database, username, active) $$;

comment on schema cron is 'pg_cron (harness stand-in): jobs are recorded in cron.job and never run';
