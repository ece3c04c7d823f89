"""The API's other doors, audited beside the tables: RPC functions (functions.py) and storage
buckets (buckets.py). The world builder makes their objects and watchers; each actor then makes one
round trip for its calls and one for its storage probes (two when a storage write must be retried
object by object)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.audit import buckets as B
from harness.audit import functions as F
from harness.audit.compare import Cell
from harness.audit.model import Actor
from harness.audit.probes import ProbeRun
from harness.audit.world import AuditWorld as World
from harness.config import Config
from harness.findings import Finding

Judged = tuple[list[F.FunctionCell], dict[str, list[Cell]]]  # one actor's function cells, bucket cells


@dataclass
class Surfaces:
    functions: dict[str, F.FunctionFacts] = field(default_factory=dict)
    objects: B.BucketWorld = field(default_factory=B.BucketWorld)


def prepare(conn: psycopg.Connection, config: Config, world: World) -> Surfaces:
    """Inside the world's transaction, after the world is built."""
    surfaces = Surfaces(F.read_function_facts(conn, config), B.build_objects(conn, config, world))
    F.install_watchers(conn, config, world)
    if config.functions:
        F.check_calls(conn, config, world)
    return surfaces


def probe(conn: psycopg.Connection, config: Config, world: World, surfaces: Surfaces,
          connect: Callable[[], psycopg.Connection] | None = None) -> tuple[list[Finding], dict[str, Any]]:
    """Every actor's calls and storage probes; the findings, and the matrices for the reports. With
    `connect` (the world is committed), a second connection probes half of the actors."""
    if not (config.functions or config.buckets):
        return F.uncovered_functions(conn, config), {"functions": [], "buckets": [], "surface_probes": 0}
    book = B.BucketStatements(world, surfaces.objects)

    counted: list[int] = []

    def one(link: psycopg.Connection, actor: Actor) -> Judged:
        calls = F.plan_calls(config, world, actor)
        counted.append(len(calls))
        cells = F.judge(config, world, surfaces.functions, actor, calls, F.run_calls(link, actor, calls, world.pre_request))
        probes = B.plan_probes(config, book, actor)
        if not probes:
            return cells, {}
        outcomes = B.run_probes(link, actor, probes, world.pre_request)
        again = B.retries(book, probes, outcomes)
        if again:
            probes, outcomes = probes + again, outcomes + B.run_probes(link, actor, again, world.pre_request)
        counted.append(len(probes))
        return cells, B.judge(config, book, ProbeRun(actor, probes, outcomes))

    if connect is None:
        results = [one(conn, actor) for actor in world.actors]
    else:
        def half(link: psycopg.Connection, part: list[Actor]) -> list[Judged]:
            return [one(link, actor) for actor in part]

        with connect() as other, ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(half, conn, world.actors[0::2]), pool.submit(half, other, world.actors[1::2])]
            results = [r for future in futures for r in future.result()]
    function_cells = [cell for cells, _ in results for cell in cells]
    bucket_cells: dict[str, list[Cell]] = {}
    for _, by_bucket in results:
        for bucket, cells in by_bucket.items():
            bucket_cells.setdefault(bucket, []).extend(cells)
    findings = F.findings(function_cells) + (B.findings(config, conn, bucket_cells) if config.buckets else [])
    findings += F.uncovered_functions(conn, config)
    details = {"functions": F.matrix(config, function_cells),
               "buckets": B.matrices(config, bucket_cells, surfaces.objects), "surface_probes": sum(counted)}
    return findings, details
