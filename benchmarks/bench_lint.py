"""Time `harness lint` (lint_project) on a generated history of 500 migration files.

Run: python benchmarks/bench_lint.py [--files N] [--repeat R]. Target: under 2 s for 500 files.
Each file is what a growing Supabase project adds: a table with RLS, policies calling a helper,
indexes, a trigger, a plpgsql function, a DO block with a catalog check, seed rows and grants.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.config import load_config  # noqa: E402
from harness.lint import lint_project  # noqa: E402

TEMPLATE = """
-- Feature {n}: {table}
create table if not exists public.{table} (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  owner_id uuid not null references auth.users (id) on delete cascade,
  title text not null check (length(title) <= 200),
  status text not null default 'open',
  payload jsonb not null default '{{}}',
  created_at timestamptz not null default now(),
  search tsvector generated always as (to_tsvector('simple', title)) stored
);
alter table public.{table} enable row level security;
comment on table public.{table} is 'Feature {n}.';
create index if not exists {table}_organisation_id_idx on public.{table} (organisation_id);
create index if not exists {table}_owner_id_idx on public.{table} (owner_id);

drop policy if exists "{table} read" on public.{table};
create policy "{table} read" on public.{table} for select to authenticated
  using (organisation_id = (select private.current_organisation_id()));
drop policy if exists "{table} write own" on public.{table};
create policy "{table} write own" on public.{table} for update to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()) and organisation_id = (select private.current_organisation_id()));

create or replace function private.{table}_touch()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  counter integer := 0;
begin
  if new.status is distinct from old.status then
    counter := counter + 1;
    new.payload := new.payload || jsonb_build_object('changes', counter);
  end if;
  return new;
end;
$$;
drop trigger if exists {table}_touch on public.{table};
create trigger {table}_touch before update on public.{table}
  for each row execute function private.{table}_touch();

do $$
begin
  if not exists (select 1 from pg_type where typname = '{table}_kind') then
    create type public.{table}_kind as enum ('a', 'b', 'c');
  end if;
end
$$;
alter table public.{table} add column if not exists kind public.{table}_kind;

insert into public.feature_flags (name, enabled) values ('{table}', false) on conflict (name) do nothing;
grant select, insert, update on public.{table} to authenticated;
"""

BASE = """
create schema if not exists private;
create table if not exists public.organisations (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.organisations enable row level security;
comment on table public.organisations is 'Tenants.';
create table if not exists public.feature_flags (name text primary key, enabled boolean not null default false);
alter table public.feature_flags enable row level security;
comment on table public.feature_flags is 'Flags.';
create or replace function private.current_organisation_id() returns uuid
language sql stable security definer set search_path = ''
as $$ select null::uuid $$;
"""


def write_history(directory: Path, files: int) -> None:
    directory.mkdir(parents=True)
    (directory / "20240101000000_base.sql").write_text(BASE)
    for n in range(1, files):
        name = f"feature_{n:04d}"
        (directory / f"2024{1 + n // 28 % 12:02d}{1 + n % 28:02d}{n // 336:02d}{n % 60:02d}00_{name}.sql").write_text(
            TEMPLATE.format(n=n, table=name)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        write_history(project / "supabase" / "migrations", args.files)
        files = sorted((project / "supabase" / "migrations").glob("*.sql"))
        lines = sum(path.read_text().count("\n") for path in files)
        config = load_config(project)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            findings = lint_project(config)
            times.append(time.perf_counter() - started)
    print(f"lint_project on {len(files)} migration files ({lines} lines), {args.repeat} runs")
    print(f"  min {min(times):.3f} s   median {statistics.median(times):.3f} s   max {max(times):.3f} s")
    print(f"  {len(findings)} findings; target < 2 s: {'met' if statistics.median(times) < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
