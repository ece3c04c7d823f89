"""`harness migrate`: apply every migration to a clean platform database (the migrated template),
watching each file's effect on older tables' policies, then apply them all again on a clone and
prove nothing changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from harness.config import Config
from harness.engine.server import Server
from harness.findings import Finding, HarnessError, Severity
from harness.migrate.apply import apply_all, apply_file
from harness.migrate.foreign_policy import PolicyWatch
from harness.migrate.guard import apply_file_guarded, canary_session
from harness.migrate.snapshot import Change, Snapshot, diff_snapshots, take_snapshot
from harness.sql.discovery import MigrationFile, discover_migrations
from harness.data_api_grants import apply_grants_model

if TYPE_CHECKING:
    from harness.changeset import ChangeSet

Progress = Callable[[str], None]
BLOCKING_RULES = ("migration-error", "timeout")  # a file that did not apply: nothing can run after it


@dataclass
class MigrationResult:
    migrations: list[MigrationFile]
    template: str | None  # the migrated database, None when a migration failed
    snapshot: Snapshot | None
    findings: list[Finding] = field(default_factory=list)
    creators: dict[str, str] = field(default_factory=dict)  # table -> file that created it
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False  # replayed from the template cache (migrate_template did not run)
    idempotency: list[Finding] | None = None  # the apply-twice findings, once known
    remember_idempotency: Callable[[list[Finding]], None] | None = None  # the cache's hook
    # With a change set: the files under review (None: every file), the base state's catalog findings.
    judged: list[MigrationFile] | None = None
    base_findings: list[Finding] | None = None

    @property
    def applied(self) -> bool:
        return self.template is not None

    @property
    def blocking_findings(self) -> list[Finding]:
        """Why nothing can run on the template: every command reports these."""
        return [f for f in self.findings if f.rule in BLOCKING_RULES]

    @property
    def watch_findings(self) -> list[Finding]:
        """What the migrate check saw while applying (foreign-policy, the change set's own rules):
        the migrate check reports these."""
        return [f for f in self.findings if f.rule not in BLOCKING_RULES]

    @property
    def reviewed(self) -> list[MigrationFile]:
        """The files apply-twice re-applies: the change set's, or every file."""
        return self.migrations if self.judged is None else self.judged


def _quiet(_: str) -> None:
    pass


def migrate_template(server: Server, config: Config, progress: Progress = _quiet,
                     migrations: list[MigrationFile] | None = None,
                     change_set: ChangeSet | None = None) -> MigrationResult:
    """Apply every migration once on a clone of the platform database; that clone is the template.

    `migrations` as the run context discovered them (the discovery's findings are the context's to
    report); when None they are discovered here and the discovery's findings join the result's.
    With a change set, the shipped files build the base state first (unwatched), and only the
    change set's files are watched for foreign-policy changes.
    """
    started = time.perf_counter()
    findings: list[Finding] = []
    if migrations is None:
        migrations, findings = discover_migrations(config.project.migrations, config.root)
    if not migrations and change_set is not None and not change_set.whole and change_set.edits:
        pass  # every migration deleted: the edits say so
    elif not migrations:
        where = config.relative(config.project.migrations)
        raise HarnessError(
            f"no migrations found in {where}: expected files named <version>_<name>.sql "
            "(set [project] migrations in harness.toml if they live elsewhere)"
        )
    shown = {m.path: config.relative(m.path) for m in migrations}
    judged, base_findings, start = None, None, server.platform_db
    if change_set is not None and not change_set.whole:
        from harness.migrate.base_state import build_base_state
        from harness.review import change_set_findings

        findings = [f for f in findings if change_set.judges(f.file)] + change_set_findings(change_set)
        judged = [m for m in migrations if shown[m.path] not in change_set.shipped]
        shipped = [m for m in migrations if shown[m.path] in change_set.shipped]
        prepare = (lambda conn: _set_api_schemas(conn, config)) if server.owns_cluster else None
        base = build_base_state(server, config, shipped, shown, progress, prepare)
        if base.template is None:
            assert base.error is not None
            return MigrationResult(migrations, None, None, findings + [base.error], judged=judged,
                                   timings={"apply_s": time.perf_counter() - started})
        start, base_findings = base.template, base.catalog
    name = server.clone(start, "migrated")
    if judged is not None:
        server.drop_database(start)  # the base state lives on in the template; its catalog findings are kept
    error = None
    with server.connect_admin(name) as admin:
        if server.owns_cluster and judged is None:
            _set_api_schemas(admin, config)
        apply_grants_model(admin, config.platform)
    with server.connect(name) as conn, server.connect_admin(name) as admin, \
            canary_session(server, name) as canary:
        # The migrations run as postgres (no superuser); the watch's event triggers are installed
        # and read by the harness's own superuser.
        watch = PolicyWatch(conn, one_change=judged is not None, admin=admin)
        try:
            for migration in migrations if judged is None else judged:
                file = shown[migration.path]
                progress(f"applying {file}")
                error = apply_file_guarded(server, conn, migration, file, canary)
                if error is not None:
                    findings.append(error.to_finding("migration-error"))
                    break
                findings.extend(watch.judge(file, migration.sql))
        finally:
            if not (admin.closed or admin.broken):
                watch.close()
        snapshot = take_snapshot(conn) if error is None else None
    result = MigrationResult(
        migrations=migrations,
        template=name if error is None else None,
        snapshot=snapshot,
        findings=findings,
        creators=watch.table_creators(),
        judged=judged,
        base_findings=base_findings,
    )
    if error is not None:
        server.drop_database(name)
    result.timings["apply_s"] = time.perf_counter() - started
    return result


def _set_api_schemas(conn: object, config: Config) -> None:
    """What PostgREST would expose: `pgrst.db_schemas` on the authenticator role (as on Supabase)."""
    schemas = ", ".join(config.project.api_schemas)
    conn.execute(f"alter role authenticator set pgrst.db_schemas = '{schemas}'".encode())  # type: ignore[attr-defined]


def check_idempotency(server: Server, config: Config, result: MigrationResult, progress: Progress = _quiet) -> list[Finding]:
    """Apply every migration again on a clone of the template; any error or difference is a finding."""
    if result.template is None or result.snapshot is None:
        return []
    if result.idempotency is not None:  # known (from the cache, or an earlier call)
        return list(result.idempotency)
    findings = _check_idempotency(server, config, result, progress)
    result.idempotency = findings
    if result.remember_idempotency is not None:
        result.remember_idempotency(findings)
    return list(findings)


def _check_idempotency(server: Server, config: Config, result: MigrationResult, progress: Progress) -> list[Finding]:
    assert result.template is not None and result.snapshot is not None
    started = time.perf_counter()
    progress("applying every migration a second time" if result.judged is None else "applying the change set a second time")
    shown = {m.path: config.relative(m.path) for m in result.migrations}
    with server.scratch_database(result.template, "twice") as name:
        with server.connect(name) as conn:
            error = apply_all(conn, result.reviewed, lambda m: shown[m.path], record=False,
                              limit=server.limit())
            if error is not None:
                result.timings["idempotency_s"] = time.perf_counter() - started
                return [error.to_finding("not-idempotent", prefix="applying the migrations a second time fails: ")]
            changes = diff_snapshots(result.snapshot, take_snapshot(conn))
    findings: list[Finding] = []
    if changes:
        blame = _attribute(server, result, changes, shown)
        findings = [_change_finding(change, blame.get((change.kind, change.name))) for change in changes]
    result.timings["idempotency_s"] = time.perf_counter() - started
    return findings


def _attribute(
    server: Server, result: MigrationResult, changes: list[Change], shown: dict[Path, str]
) -> dict[tuple[str, str], str]:
    """Which file of the second pass first made each change (only run when something changed)."""
    assert result.template is not None and result.snapshot is not None
    wanted = {(c.kind, c.name) for c in changes}
    blame: dict[tuple[str, str], str] = {}
    with server.scratch_database(result.template, "blame") as name, server.connect(name) as conn:
        for migration in result.reviewed:
            if apply_file(conn, migration, shown[migration.path], record=False, limit=server.limit()) is not None:
                break
            for change in diff_snapshots(result.snapshot, take_snapshot(conn)):
                key = (change.kind, change.name)
                if key in wanted and key not in blame:
                    blame[key] = shown[migration.path]
            if len(blame) == len(wanted):
                break
    return blame


def _change_finding(change: Change, file: str | None) -> Finding:
    table = None
    if change.kind in ("table", "rows", "view", "materialized view"):
        table = change.name
    elif change.kind in ("policy", "trigger") and " on " in change.name:
        table = change.name.split(" on ", 1)[1]
    elif change.kind in ("column", "constraint") and change.name.count(".") >= 2:
        table = change.name.rsplit(".", 1)[0]
    by = f" (by {file})" if file else ""
    return Finding(
        check="migrate",
        rule="not-idempotent",
        severity=Severity.ERROR,
        message=f"applying every migration a second time: {change.text}{by}",
        file=file,
        table=table if table and "." in table else None,
        evidence={"kind": change.kind, "object": change.name, "change": change.what,
                  "before": change.before, "after": change.after},
    )


def run_migrate(server: Server, config: Config, progress: Progress = _quiet,
                change_set: ChangeSet | None = None) -> MigrationResult:
    """Everything `harness migrate` proves: applies cleanly, touches no foreign policy, idempotent."""
    result = migrate_template(server, config, progress, change_set=change_set)
    result.findings.extend(check_idempotency(server, config, result, progress))
    return result
