"""The docker engine: Supabase's own `supabase/postgres` image, driven through the Docker SDK.

It starts a container on a loopback port, waits for it, then works like `--db-url` against it
(with the cluster ours to configure). Untested where no Docker engine runs: its tests skip then.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import psycopg

from harness.engine.server import Server
from harness.engine.url import UrlEngine
from harness.findings import HarnessError

DEFAULT_IMAGE = "supabase/postgres:15.8.1.060"
READY_TIMEOUT_S = 120.0


def docker_client() -> Any:
    """A connected Docker SDK client, or a HarnessError that says what is missing."""
    docker: Any
    try:
        import docker
    except ImportError:
        docker = None
    if not hasattr(docker, "from_env"):  # absent, or a stray `docker/` folder on the path
        raise HarnessError("--engine docker needs the Docker SDK: pip install 'harness[docker]'")
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:  # docker.errors.DockerException and connection errors
        raise HarnessError(f"--engine docker: no Docker engine answers ({exc})") from None
    return client


@dataclass
class DockerEngine:
    image: str = field(default_factory=lambda: os.environ.get("HARNESS_DOCKER_IMAGE", DEFAULT_IMAGE))
    progress: Callable[[str], None] | None = None
    _container: Any = field(default=None, init=False)
    _url_engine: UrlEngine | None = field(default=None, init=False)

    def start(self) -> Server:
        client = docker_client()
        password = secrets.token_urlsafe(16)
        if self.progress:
            self.progress(f"starting {self.image}")
        try:
            self._container = client.containers.run(
                self.image,
                detach=True,
                remove=True,
                environment={"POSTGRES_PASSWORD": password},
                ports={"5432/tcp": ("127.0.0.1", None)},
                labels={"dev.harness": "1"},
            )
            self._container.reload()
            port = int(self._container.ports["5432/tcp"][0]["HostPort"])
            url = f"postgresql://supabase_admin:{password}@127.0.0.1:{port}/postgres"
            _wait(url)
            self._url_engine = UrlEngine(url, allow_remote=True, progress=self.progress)
            server = self._url_engine.start()
            server.owns_cluster = True
            return server
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self._url_engine is not None:
            try:
                self._url_engine.stop()
            finally:
                self._url_engine = None
        if self._container is not None:
            try:
                self._container.stop(timeout=2)
            finally:
                self._container = None


def _wait(url: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.25)
    raise HarnessError(f"the supabase/postgres container did not accept connections in {READY_TIMEOUT_S:.0f} s")
