"""`harness lint` on generated projects: CPU time and wall time of the real command, next to squawk.

    .venv/bin/python benchmarks/bench_lint.py [--runs 5] [--files 500] [--squawk]

Three projects, each linted by the real CLI in a fresh process (`python -m harness lint`), so start-up
and imports count; CPU time is the child's user + system time:

- small: 12 migration files of a growing Supabase project. Target: CPU <= 0.15 s.
- baseline: one generated 1.3 MB baseline file as `supabase db dump` writes it, full of non-ASCII
  comments (the shape that made byte-to-character offsets quadratic). Target: CPU <= 1.0 s.
- history: 500 migration files. Target: wall < 1 s.

`--squawk` installs `squawk-cli` from PyPI into this benchmark's own environment
(`~/.cache/harness-bench/squawk`, never the project's) and prints its figures on the same files.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQUAWK_ENV = Path.home() / ".cache" / "harness-bench" / "squawk"

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

# One table of a dump-style baseline: quoted names, ALTER ... OWNER, comments in the team's language.
DUMP_TABLE = """
-- Tabelle {n}: Einträge für Mitglieder — Größe, Übersicht, Zugriffe ✓ (Ärzte, Büros, Straßen)
-- Таблица {n}: записи участников; 表 {n}: 成员记录; Tableau {n} : données « privées »
CREATE TABLE IF NOT EXISTS "public"."eintrag_{n}" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organisation_id" "uuid" NOT NULL,
    "titel" "text" NOT NULL,
    "größe" integer DEFAULT 0,
    "erstellt_am" timestamp with time zone DEFAULT "now"() NOT NULL
);
ALTER TABLE "public"."eintrag_{n}" OWNER TO "postgres";
COMMENT ON TABLE "public"."eintrag_{n}" IS 'Einträge Nr. {n} — für die Übersicht';
ALTER TABLE ONLY "public"."eintrag_{n}" ADD CONSTRAINT "eintrag_{n}_pkey" PRIMARY KEY ("id");
CREATE INDEX "eintrag_{n}_organisation_id_idx" ON "public"."eintrag_{n}" USING "btree" ("organisation_id");
ALTER TABLE "public"."eintrag_{n}" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Mitglieder lesen Einträge {n}" ON "public"."eintrag_{n}" FOR SELECT TO "authenticated"
  USING (("organisation_id" = ( SELECT "private"."current_organisation_id"() AS "current_organisation_id")));
GRANT ALL ON TABLE "public"."eintrag_{n}" TO "anon";
GRANT ALL ON TABLE "public"."eintrag_{n}" TO "authenticated";
GRANT ALL ON TABLE "public"."eintrag_{n}" TO "service_role";
"""


def write_history(directory: Path, files: int) -> None:
    directory.mkdir(parents=True)
    (directory / "20240101000000_base.sql").write_text(BASE)
    for n in range(1, files):
        name = f"feature_{n:04d}"
        (directory / f"2024{1 + n // 28 % 12:02d}{1 + n % 28:02d}{n // 336:02d}{n % 60:02d}00_{name}.sql").write_text(
            TEMPLATE.format(n=n, table=name)
        )


def write_baseline(directory: Path, size: int = 1_300_000) -> None:
    directory.mkdir(parents=True)
    parts = [BASE]
    total, n = len(BASE.encode()), 0
    while total < size:
        n += 1
        part = DUMP_TABLE.format(n=n)
        parts.append(part)
        total += len(part.encode())
    (directory / "20240101000000_remote_schema.sql").write_text("".join(parts))


def lint_once(project: Path) -> tuple[float, float]:
    """(CPU, wall) seconds of one `harness lint` in a fresh process."""
    return _timed([sys.executable, "-m", "harness", "lint", "--project", str(project), "--format", "json"])


def _timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:4])} could not run: {result.stderr.strip()[-500:]}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def squawk_binary() -> Path | None:
    """squawk from its own environment, installed from PyPI on first use; None when it cannot be."""
    binary = SQUAWK_ENV / "bin" / "squawk"
    if binary.exists():
        return binary
    try:
        subprocess.run([sys.executable, "-m", "venv", str(SQUAWK_ENV)], check=True, capture_output=True)
        subprocess.run(
            [str(SQUAWK_ENV / "bin" / "pip"), "install", "--quiet", "squawk-cli"], check=True, capture_output=True
        )
    except subprocess.CalledProcessError as exc:
        print(f"  squawk-cli could not be installed ({exc.stderr.decode(errors='replace').strip()[-200:]})")
        return None
    return binary if binary.exists() else None


def report(name: str, target: str, samples: list[tuple[float, float]], met: bool) -> None:
    cpu = statistics.median(s[0] for s in samples)
    wall = statistics.median(s[1] for s in samples)
    print(f"  {name:<9} harness  CPU {cpu:.3f} s  wall {wall:.3f} s   target {target}: {'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--squawk", action="store_true", help="also time squawk-cli (installed in its own venv)")
    args = parser.parse_args()
    squawk = squawk_binary() if args.squawk else None
    print(f"harness lint, median of {args.runs} runs (load average {os.getloadavg()[0]:.1f}):")
    with tempfile.TemporaryDirectory() as tmp:
        projects = {"small": Path(tmp) / "small", "baseline": Path(tmp) / "baseline", "history": Path(tmp) / "history"}
        write_history(projects["small"] / "supabase" / "migrations", 12)
        write_baseline(projects["baseline"] / "supabase" / "migrations")
        write_history(projects["history"] / "supabase" / "migrations", args.files)
        targets = {
            "small": ("CPU <= 0.15 s", lambda cpu, wall: cpu <= 0.15),
            "baseline": ("CPU <= 1.0 s", lambda cpu, wall: cpu <= 1.0),
            "history": ("wall < 1 s", lambda cpu, wall: wall < 1.0),
        }
        for name, project in projects.items():
            files = sorted((project / "supabase" / "migrations").glob("*.sql"))
            size = sum(f.stat().st_size for f in files)
            samples = [lint_once(project) for _ in range(args.runs)]
            target, check = targets[name]
            cpu = statistics.median(s[0] for s in samples)
            wall = statistics.median(s[1] for s in samples)
            print(f"  {name}: {len(files)} files, {size / 1e6:.2f} MB")
            report(name, target, samples, check(cpu, wall))
            if squawk is not None:
                timed = [_timed([str(squawk), *map(str, files)], cwd=project) for _ in range(args.runs)]
                print(
                    f"  {name:<9} squawk   CPU {statistics.median(t[0] for t in timed):.3f} s  "
                    f"wall {statistics.median(t[1] for t in timed):.3f} s"
                )


if __name__ == "__main__":
    main()
