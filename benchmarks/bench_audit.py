"""Time `harness audit` end to end: on this repository's subject, and on a generated schema of 50
tenant-scoped tables.

Run: python benchmarks/bench_audit.py [--tables N] [--repeat R]. Targets: under 2 s on the subject,
under 4 s for the access diff of a PR on the subject, under 20 s on 50 tables. Each run is the real command line (`python -m harness audit --format json`
in a fresh process: engine start, migrations, catalog rules, world, probes, report); the numbers
are wall-clock medians, with the audit's own split (catalog, world, probes) from the JSON report.

Every generated table has an owner and a tenant column, a row template, and correct policies for
peer mentors (own rows), coordinators (their tenant's rows, no delete) and org admins (everything in
their tenant), so every probe kind runs: select, no-op update, moves, delete, and inserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BASE = """
create table public.organisations (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.organisations enable row level security;
create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id),
  role text not null
);
alter table public.users enable row level security;
create index on public.users (organisation_id);
create schema private;
grant usage on schema private to authenticated;
create function private.org() returns uuid language sql stable security definer set search_path = '' as $$
  select organisation_id from public.users where id = (select auth.uid()) $$;
create function private.role() returns text language sql stable security definer set search_path = '' as $$
  select role from public.users where id = (select auth.uid()) $$;
create policy "read own organisation" on public.organisations for select to authenticated
  using (id = (select private.org()));
create policy "read own profile" on public.users for select to authenticated using (id = (select auth.uid()));
"""

TABLE = """
create table public.{t} (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id),
  owner_id uuid not null references public.users (id),
  title text not null default 'x',
  created_at timestamptz not null default now()
);
create index on public.{t} (organisation_id);
create index on public.{t} (owner_id);
alter table public.{t} enable row level security;
create policy "{t} read" on public.{t} for select to authenticated using (
  organisation_id = (select private.org())
  and (owner_id = (select auth.uid()) or (select private.role()) in ('coordinator', 'org_admin')));
create policy "{t} add" on public.{t} for insert to authenticated with check (
  organisation_id = (select private.org()) and (select private.role()) in ('coordinator', 'org_admin'));
create policy "{t} change" on public.{t} for update to authenticated
  using (organisation_id = (select private.org()) and (select private.role()) in ('coordinator', 'org_admin'))
  with check (organisation_id = (select private.org()) and (select private.role()) in ('coordinator', 'org_admin'));
create policy "{t} remove" on public.{t} for delete to authenticated
  using (organisation_id = (select private.org()) and (select private.role()) = 'org_admin');
"""

SPEC = """
[tables."public.{t}"]
row = "insert into public.{t} (organisation_id, owner_id) values ('{{tenant}}', '{{user}}')"
owner = "owner_id"
tenant = "organisation_id"
[tables."public.{t}".access]
peer_mentor = {{ select = "own" }}
coordinator = {{ select = "tenant", insert = "tenant", update = "tenant" }}
org_admin = {{ all = "tenant" }}
"""

HEADER = """
[project]
seed = ""
[tenancy]
roles = ["peer_mentor", "coordinator", "org_admin"]
[tables."public.organisations"]
tenant = "id"
[tables."public.organisations".access]
peer_mentor = { select = "tenant" }
coordinator = { select = "tenant" }
org_admin = { select = "tenant" }
[tables."public.users"]
owner = "id"
tenant = "organisation_id"
[tables."public.users".access]
peer_mentor = { select = "own" }
coordinator = { select = "own" }
org_admin = { select = "own" }
"""


def generate(root: Path, tables: int) -> Path:
    names = [f"feature_{n:03d}" for n in range(1, tables + 1)]
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "20260101000000_base.sql").write_text(BASE, encoding="utf-8")
    (migrations / "20260101000001_features.sql").write_text("".join(TABLE.format(t=t) for t in names),
                                                            encoding="utf-8")
    (root / "harness.toml").write_text(HEADER + "".join(SPEC.format(t=t) for t in names), encoding="utf-8")
    return root


def run_audit(project: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "harness", "audit", "--project", str(project), "--format", "json"],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"harness audit failed ({done.returncode}):\n{done.stderr}")
    return elapsed, json.loads(done.stdout)


def measure(label: str, project: Path, repeat: int, target: float) -> None:
    run_audit(project)  # warm the cluster cache and the OS caches
    runs = [run_audit(project) for _ in range(repeat)]
    wall = [seconds for seconds, _ in runs]
    report = runs[-1][1]
    audit = report["details"]["audit"]  # type: ignore[index]
    split = ", ".join(f"{k.removesuffix('_s')} {v:.2f} s" for k, v in audit["timings"].items())
    gate = [f for f in report["findings"] if f["severity"] in ("critical", "error")]  # type: ignore[index]
    median = statistics.median(wall)
    print(f"{label}: median {median:.2f} s over {repeat} runs (min {min(wall):.2f}, max {max(wall):.2f}); "
          f"target < {target:.0f} s: {'met' if median < target else 'MISSED'}")
    print(f"  {len(audit['tables'])} matrices, {audit['world']['probes']} probes, {len(audit['world']['actors'])} actors; "
          f"{len(audit.get('functions', []))} functions and {len(audit.get('buckets', []))} buckets, "
          f"{audit.get('surface_probes', 0)} calls and storage probes; "
          f"inside the audit: {split}; findings failing the gate: {len(gate)}")


def measure_diff(repeat: int, target: float) -> None:
    """The access diff of a PR on the subject: base = every migration but the newest, head = all of
    them; engine start, both migrations and the diff (two audits side by side) in one process."""
    import shutil

    from harness.audit.diff import audit_diff
    from harness.config import load_config
    from harness.engine.local import LocalEngine
    from harness.migrate.run import migrate_template

    with tempfile.TemporaryDirectory(prefix="bench-diff-") as folder:
        base_root, head_root = Path(folder) / "base", Path(folder) / "head"
        for root in (base_root, head_root):
            shutil.copytree(REPO / "supabase", root / "supabase")
            shutil.copy(REPO / "harness.toml", root / "harness.toml")
        newest = sorted((base_root / "supabase" / "migrations").glob("*.sql"))[-1]
        migrations = {f"supabase/migrations/{newest.name}": newest.read_text(encoding="utf-8")}
        newest.unlink()
        config = load_config(head_root)
        walls, diffs = [], []
        for run in range(repeat + 1):  # the first warms the caches
            started = time.perf_counter()
            with LocalEngine() as server:
                base = migrate_template(server, load_config(base_root)).template
                head = migrate_template(server, config).template
                assert base and head
                mark = time.perf_counter()
                findings, _details = audit_diff(server, base, head, config, migrations)
                diff_s = time.perf_counter() - mark
            if run:
                walls.append(time.perf_counter() - started)
                diffs.append(diff_s)
    median = statistics.median(walls)
    print(f"access diff, subject (base: all but {newest.name}): median {median:.2f} s over {repeat} runs "
          f"(engine + two migrations + two audits + diff; the diff step alone {statistics.median(diffs):.2f} s); "
          f"target < {target:.0f} s: {'met' if median < target else 'MISSED'}; {len(findings)} changed cells")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"harness audit, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    measure("subject (this repository)", REPO, args.repeat, 2.0)
    measure_diff(args.repeat, 4.0)
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        measure(f"generated schema, {args.tables} tenant-scoped tables", generate(Path(folder), args.tables),
                args.repeat, 20.0)


if __name__ == "__main__":
    main()
