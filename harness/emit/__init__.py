"""`harness emit`: the access spec of harness.toml as native pgTAP suites that run without the harness
(under `harness test`, pg_prove, or `supabase test db`), asserting the matrix `harness audit` proves.

    files = emit_files(config)                          # {relative path: text}, byte-identical per spec
    code = run_emit(project, out=None, check=False)     # write them (or, with check, compare them)

world.py plans the two-tenant world, matrix.py the assertions per table and persona, render.py the
files (with sql/probes.sql, the SQL that addresses rows without reading a column), files.py writes
them and tells which are stale, command.py is the command.
"""

from harness.emit.command import run_emit
from harness.emit.render import emit_files

__all__ = ["emit_files", "run_emit"]
