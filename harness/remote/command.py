"""`harness audit --project-ref REF`: the live project's catalog against the migrations' one.

Reads the live project first (a bad token or a paused project fails in a second, before a local
server is started), then builds the migrations locally and reads the same catalog queries there,
under the live project's search_path, and reports every difference as `policy-drift`, plus the
catalog rules' findings on the live project.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from harness.options import Common
from harness.remote.client import ManagementClient, check_project_ref
from harness.remote.drift import Scope, compare
from harness.remote.executor import CatalogQueries, local_executor, remote_executor
from harness.remote.rules import rule_names, run_catalog_rules
from harness.remote.surface import Surface, read_session, read_surface
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_remote_audit(common: Common, project_ref: str, progress: Progress) -> Report:
    started = time.perf_counter()
    ref = check_project_ref(project_ref)
    config = common.config()
    client = ManagementClient.from_environment()
    report = Report(command="audit")
    queries = CatalogQueries()

    progress(f"reading project {ref} through the Supabase Management API ({client.base_url})")
    status = client.require_active(ref)
    live_run = remote_executor(client, ref, queries)
    session = read_session(live_run, queries)
    live = read_surface(live_run, queries, session)
    progress("running the catalog rules on the live project")
    report.extend(run_catalog_rules(live_run, queries, config.project.api_schemas))
    report.timings["remote_s"] = time.perf_counter() - started

    local: Surface | None = None
    with Workspace(config, common.engine, progress) as workspace:
        migration = workspace.migration
        report.timings.update(workspace.timings)
        if migration.template is None:
            report.extend(migration.findings)  # why there is nothing to compare with (`harness migrate` says more)
        else:
            server = workspace.server
            with server.scratch_database(migration.template, "remote") as database, server.connect(database) as conn:
                local = read_surface(local_executor(conn, queries, session.get("search_path")), queries)
            report.extend(compare(local, live, Scope(config.project.api_schemas)))

    report.details["remote"] = _details(ref, client, status, live, local)
    report.timings["total_s"] = time.perf_counter() - started
    return report


def _details(ref: str, client: ManagementClient, status: str, live: Surface, local: Surface | None) -> dict[str, Any]:
    return {
        "project_ref": ref,
        "api_url": client.base_url,
        "project_status": status,
        "live": {key: live.session.get(key) for key in ("server_version", "search_path", "role", "read_only")},
        "requests": client.requests,
        "catalog_rules": rule_names(),
        # None: the migrations did not apply, so there was nothing to compare with (see the findings).
        "compared": None if local is None else {
            "relations": {"migrations": len(local.relations), "live": len(live.relations)},
            "policies": {"migrations": sum(len(r.policies) for r in local.relations.values()),
                         "live": sum(len(r.policies) for r in live.relations.values())},
        },
    }
