"""The command line: parse, call a check, render, exit (README: Usage, exit codes)."""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click
from rich.console import Console
from rich.markup import escape

from harness import __version__, interrupts
from harness.checks import gate_checks
from harness.context import CheckArgs, MutateArgs
from harness.limits import DEFAULT_TIMEOUT_S
from harness.findings import ExitCode, HarnessError
from harness.options import Common, EngineOptions
from harness.report.formats import formats_for, renderer
from harness.report.model import Report

if TYPE_CHECKING:
    from harness.shard import Shard

ERR = Console(stderr=True, highlight=False, soft_wrap=True)  # messages hold paths: never hard-wrap them


def _project_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--project", "project", type=click.Path(path_type=Path), default=Path("."), show_default=True,
        help="Root of the project under test (holds supabase/ and harness.toml).",
    )(f)


def common_options(checks: tuple[str, ...]) -> Callable[..., Any]:
    """--project, --format, --output, --engine, --db-url, --pg-bin, -v -> a `Common` argument.

    `checks` are the checks the command runs: they decide which formats it offers.
    """

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(project: Path, fmt: str, output: Path | None, engine: str, db_url: str | None,
                    pg_bin: Path | None, verbose: bool, not_production: bool, timeout: float, **kwargs: Any) -> Any:
            if db_url:
                engine = "url"
            if engine == "url" and not db_url:
                raise click.UsageError("--engine url needs --db-url URL")
            _check_output(output)
            options = EngineOptions(engine=engine, db_url=db_url, pg_bin=pg_bin, allow_remote=not_production,
                                    timeout_s=timeout or None)
            common = Common(project, fmt, output, options, verbose)
            return f(common, **kwargs)

        options = [
            _project_option,
            _format_option(formats_for(checks)),
            _output_option,
            click.option("--engine", type=click.Choice(["local", "docker", "url"]), default="local",
                         show_default=True, help="Where PostgreSQL comes from."),
            click.option("--db-url", default=None, help="An existing PostgreSQL (implies --engine url)."),
            click.option("--pg-bin", type=click.Path(path_type=Path), default=None,
                         help="Folder of the server binaries for the local engine (default: pg_config --bindir)."),
            click.option("--verbose", "-v", is_flag=True, help="Show progress, evidence and info findings."),
            click.option("--i-know-this-is-not-production", "not_production", is_flag=True,
                         help="Allow a --db-url whose host is not this machine (scratch databases are made there)."),
            click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT_S, show_default=True,
                         metavar="SECONDS", help="Time limit of one migration file, the seed, one suite (0: none)."),
        ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def change_set_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--base REF / --since VERSION / --whole-history -> `common.changes` (which migrations are judged)."""
    from dataclasses import replace

    from harness.changeset import ChangeSelection

    @functools.wraps(f)
    def wrapper(common: Common, base: str | None, since: str | None, whole_history: bool, **kwargs: Any) -> Any:
        return f(replace(common, changes=ChangeSelection(base, since, whole_history)), **kwargs)

    return change_set_flags(wrapper)


def change_set_flags(f: Callable[..., Any]) -> Callable[..., Any]:
    """The three options themselves: `base`, `since`, `whole_history` arguments."""
    options = [
        click.option("--base", default=None, metavar="REF",
                     help="Judge the migrations added or changed since `git merge-base REF HEAD` (default: "
                          "origin/$GITHUB_BASE_REF on pull requests, else [project] baseline, else everything)."),
        click.option("--since", default=None, metavar="VERSION", help="Judge the migrations whose version sorts after VERSION."),
        click.option("--whole-history", is_flag=True, help="Judge every migration, shipped or not."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _format_option(formats: tuple[str, ...]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(formats), default="text", show_default=True,
                        help="Report format.")


def _output_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--output", type=click.Path(path_type=Path), default=None,
                        help="Write the report to FILE instead of standard output.")(f)


def _check_output(output: Path | None, option: str = "--output") -> None:
    """Fail before the work, not after it, when a report could not be written."""
    if output is not None and not output.resolve().parent.is_dir():
        raise HarnessError(f"{option} {output}: the folder {output.resolve().parent} does not exist")


class ProgressDisplay:
    """Progress for people, on stderr. On a terminal: one live status line (a spinner and the latest
    step). With -v, and when stderr is no terminal (CI logs, pipes): every step on its own line, with
    the seconds since the start, so a log shows the run is alive and where its time goes."""

    current: "ProgressDisplay | None" = None

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.live = ERR.is_terminal and not verbose
        self._status: Any = None
        self._lock = threading.Lock()
        self._started = time.monotonic()
        ProgressDisplay.current = self

    def __call__(self, message: str) -> None:
        if self.verbose:
            ERR.print(f"[dim]· {escape(message)}[/]")
        elif not self.live:
            ERR.print(f"harness [{time.monotonic() - self._started:6.1f} s] {escape(message)}")
        elif self.live:
            with self._lock:
                if self._status is None:
                    self._status = ERR.status(escape(message), spinner="dots")
                    self._status.start()
                else:
                    self._status.update(escape(message))

    def stop(self) -> None:
        with self._lock:
            if self._status is not None:
                self._status.stop()
                self._status = None

    @classmethod
    def stop_current(cls) -> None:
        if cls.current is not None:
            cls.current.stop()


def progress_printer(common: Common) -> ProgressDisplay:
    return ProgressDisplay(common.verbose)


def emit(report: Report, common: Common) -> None:
    """Render the report in the chosen format to stdout or --output, then exit with its code."""
    ProgressDisplay.stop_current()
    if common.fmt == "text":
        if common.output:
            with open(common.output, "w", encoding="utf-8") as handle:
                from harness.report.text import render_text

                render_text(report, Console(file=handle, width=120, no_color=True), common.verbose)
        else:
            from harness.report.text import render_text

            render_text(report, Console(highlight=False), common.verbose)
    else:
        text = renderer(common.fmt)(report)
        if common.output:
            common.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    raise SystemExit(int(report.exit_code))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harness")
def cli() -> None:
    """harness: the CI gate for Supabase / PostgreSQL migrations."""


def run_command(common: Common, checks: tuple[str, ...], command: str, args: CheckArgs = CheckArgs()) -> None:
    """Every reporting command: a selection of checks on one run context, rendered, then exit."""
    from harness.checks import runner

    emit(runner.run_command(common, checks, command, args, progress_printer(common)), common)


@cli.command()
@common_options(("migrate",))
@change_set_options
def migrate(common: Common) -> None:
    """Apply every migration twice: clean apply, idempotency, foreign-policy diff."""
    run_command(common, ("migrate",), "migrate")


@cli.command()
@_project_option
@_format_option(formats_for(("lint",)))
@_output_option
@click.option("--verbose", "-v", is_flag=True, help="Show info findings.")
@change_set_flags
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def lint(project: Path, fmt: str, output: Path | None, verbose: bool, base: str | None, since: str | None,
         whole_history: bool, files: tuple[Path, ...]) -> None:
    """Static rules on migration files (no database needed)."""
    _check_output(output)
    resolved = []
    for file in files:
        path = file if file.is_absolute() else Path.cwd() / file
        if not path.is_file():
            raise HarnessError(f"{file}: no such file")
        resolved.append(path.resolve())
    from harness.changeset import ChangeSelection

    common = Common(project, fmt, output, EngineOptions(), verbose, ChangeSelection(base, since, whole_history))
    run_command(common, ("lint",), "lint", CheckArgs(lint_files=resolved))


@cli.command()
@common_options(("test",))
@change_set_options
@click.option("-j", "jobs", type=click.IntRange(min=1), default=None, help="Suites run in parallel (default: cores).")
@click.option("--shard", default=None, metavar="K/N",
              help="Run part K of N (a CI matrix of N runners); combine the JSON reports with `harness report merge`.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def test(common: Common, jobs: int | None, shard: str | None, paths: tuple[Path, ...]) -> None:
    """Run the pgTAP suites against a freshly migrated database."""
    run_command(common, ("test",), "test", CheckArgs(test_paths=list(paths), jobs=jobs or os.cpu_count() or 1,
                                                     shard=_shard(shard)))


@cli.command()
@common_options(("audit",))
@change_set_options
@click.option("--html", "html_file", type=click.Path(path_type=Path), default=None,
              help="Also write a self-contained HTML page (matrices and findings) to FILE.")
@click.option("--project-ref", default=None, metavar="REF",
              help="Compare a live Supabase project with the migrations (token from SUPABASE_ACCESS_TOKEN).")
@click.option("--shard", default=None, metavar="K/N",
              help="Run part K of N (a CI matrix of N runners); combine the JSON reports with `harness report merge`.")
def audit(common: Common, html_file: Path | None, project_ref: str | None, shard: str | None) -> None:
    """Cross-tenant leakage and catalog security rules (or, with --project-ref, drift of a live project)."""
    _check_output(html_file, "--html")
    if project_ref is not None:
        from harness.remote.command import run_remote_audit

        report = run_remote_audit(common, project_ref, progress_printer(common))
    else:
        from harness.checks.runner import run_command as run

        report = run(common, ("audit",), "audit", CheckArgs(shard=_shard(shard)), progress_printer(common))
    if html_file is not None:
        from harness.report.audit_html import render_audit_html

        html_file.write_text(render_audit_html(report), encoding="utf-8")
    emit(report, common)


@cli.command()
@common_options(("explain",))
@click.option("--rows", type=click.IntRange(min=0), default=None, help="Seed every target with N rows.")
def explain(common: Common, rows: int | None) -> None:
    """EXPLAIN (ANALYZE) targets, seeded at scale, under RLS."""
    run_command(common, ("explain",), "explain", CheckArgs(explain_rows=rows))


@cli.command()
@common_options(gate_checks())
@change_set_options
@click.option("--only", multiple=True, metavar="CHECK", help=f"Run only this check (repeatable): {', '.join(gate_checks())}.")
@click.option("--skip", multiple=True, metavar="CHECK", help="Skip this check (repeatable).")
def check(common: Common, only: tuple[str, ...], skip: tuple[str, ...]) -> None:
    """The CI gate: every check (lint, migrate, test, audit, explain) on one engine."""
    run_command(common, selected_checks(only, skip), "check", CheckArgs(jobs=os.cpu_count() or 1))


def selected_checks(only: tuple[str, ...], skip: tuple[str, ...]) -> tuple[str, ...]:
    gate = gate_checks()
    for name in (*only, *skip):
        if name not in gate:
            raise HarnessError(f"unknown check {name!r} (expected one of: {', '.join(gate)})")
    chosen = only or gate
    return tuple(c for c in gate if c in chosen and c not in skip)


@cli.command()
@_project_option
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Also listen on 127.0.0.1:PORT.")
@click.option("--pg-bin", type=click.Path(path_type=Path), default=None, help="Folder of the server binaries.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="json: one line with the URL, the psql command and the migrations' findings.")
@click.option("--verbose", "-v", is_flag=True)
def up(project: Path, port: int | None, pg_bin: Path | None, fmt: str, verbose: bool) -> None:
    """Boot + migrate, print a connection URL, stay up until Ctrl-C."""
    from harness.up import run_up_command

    common = Common(project, fmt, None, EngineOptions(pg_bin=pg_bin, tcp_port=port), verbose)
    raise SystemExit(run_up_command(common, progress_printer(common)))


@cli.command()
@common_options(("mutate",))
@click.option("--min-score", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Fail (exit 1) when the mutation score is below N percent.")
@click.option("--with-audit", is_flag=True, help="Also audit the mutants the suites let through.")
@click.option("-j", "jobs", type=click.IntRange(min=1), default=None,
              help="Mutants judged at once (default: twice the cores; each one waits on psql and clones).")
@click.option("--shard", default=None, metavar="K/N",
              help="Run part K of N (a CI matrix of N runners); combine the JSON reports with `harness report merge`.")
def mutate(common: Common, min_score: float | None, with_audit: bool, jobs: int | None, shard: str | None) -> None:
    """Mutation score of the project's own suites (and, with --with-audit, the audit)."""
    args = CheckArgs(jobs=jobs or 2 * (os.cpu_count() or 1), mutate=MutateArgs(min_score, with_audit),
                     shard=_shard(shard))
    run_command(common, ("mutate",), "mutate", args)


@cli.group()
def report() -> None:
    """Work on JSON reports: `harness report merge` combines the parts of a sharded run."""


@report.command(name="merge")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "sarif", "junit", "tap")), default="text",
              show_default=True, help="Report format.")
@_output_option
@click.option("--verbose", "-v", is_flag=True, help="Show evidence and info findings.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def report_merge(fmt: str, output: Path | None, verbose: bool, files: tuple[Path, ...]) -> None:
    """Combine the JSON reports of `--shard K/N` runs into the report one run would give (same exit code)."""
    from harness.report.merge import load_report, merge_reports

    _check_output(output)
    emit(merge_reports([load_report(f) for f in files]), Common(Path("."), fmt, output, EngineOptions(), verbose))


def _shard(text: str | None) -> "Shard | None":
    from harness.shard import Shard

    return None if text is None else Shard.parse(text)


@cli.command(name="emit")
@_project_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the suites, relative to the project root (default: supabase/tests/database/harness/).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when the files on disk are stale (for CI).")
def emit_command(project: Path, out: Path | None, check_only: bool) -> None:
    """Native pgTAP suites generated from the access spec (they run under pg_prove and `supabase test db`)."""
    from harness.emit.command import run_emit

    raise SystemExit(run_emit(project, out, check_only))


@cli.command()
@_project_option
@click.option("--pg-bin", type=click.Path(path_type=Path), default=None, help="Folder of the server binaries.")
@click.option("--record", is_flag=True, help="Write the access every persona has today as the access spec.")
@click.option("--verbose", "-v", is_flag=True)
def init(project: Path, pg_bin: Path | None, record: bool, verbose: bool) -> None:
    """A starter harness.toml drafted from the migrations."""
    from harness.init import init_project

    common = Common(project, "text", None, EngineOptions(pg_bin=pg_bin), verbose)
    result = init_project(project, common.engine, progress_printer(common), record=record)
    ProgressDisplay.stop_current()
    console = Console(highlight=False)
    console.print(f"wrote {result.path}: recognised {result.recognised.description}")
    for missing in result.recognised.missing:
        console.print(f"  missing: {missing}")
    console.print("  the access spec is what the database allows today (observed — review it)" if result.recorded
                  else "  check the guesses and write the access spec of each table (or run init --record)")


def main(argv: list[str] | None = None) -> None:
    interrupts.install()  # SIGINT, SIGTERM, SIGHUP, SIGQUIT: stop the servers, unwind, clean up
    try:
        code = cli.main(args=argv, prog_name="harness", standalone_mode=False)
        if isinstance(code, int):  # --help, --version
            raise SystemExit(code)
    except HarnessError as exc:
        ProgressDisplay.stop_current()
        ERR.print(f"[bold red]harness:[/] {escape(str(exc))}", highlight=False)
        raise SystemExit(int(ExitCode.UNUSABLE)) from None
    except click.exceptions.Abort:
        ProgressDisplay.stop_current()
        ERR.print("harness: interrupted")
        if interrupts.received() is not None:
            interrupts.exit_now()
        raise SystemExit(130) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(int(ExitCode.UNUSABLE)) from None
    except KeyboardInterrupt:
        ProgressDisplay.stop_current()
        ERR.print("harness: interrupted")
        if interrupts.received() is not None:
            interrupts.exit_now()
        raise SystemExit(130) from None
    except SystemExit:
        if interrupts.received() is not None:  # SIGTERM, SIGHUP, SIGQUIT: everything unwound
            ProgressDisplay.stop_current()
            ERR.print("harness: interrupted")
            interrupts.exit_now()
        raise
    except Exception:
        if interrupts.received() is None:
            raise
        # An error of the unwinding after a signal (a connection the stop cut): the signal decides.
        ProgressDisplay.stop_current()
        ERR.print("harness: interrupted")
        interrupts.exit_now()
    except OSError as exc:
        # e.g. --output into a folder that does not exist
        ERR.print(f"[bold red]harness:[/] {escape(str(exc.strerror or exc))}: {escape(str(exc.filename or ''))}", highlight=False)
        raise SystemExit(int(ExitCode.UNUSABLE)) from None
