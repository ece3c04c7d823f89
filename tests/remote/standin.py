"""A STAND-IN for the Supabase Management API, for tests. It is not the real service.

There is no network here, so the remote audit's client is tested against this small HTTP server on
127.0.0.1. It implements the documented request and response shapes of the two endpoints the
client uses, and answers queries by running the SQL on a local harness database:

- `GET /v1/projects/{ref}`: 200 with the project (`ref`, `name`, `status`, ...).
- `POST /v1/projects/{ref}/database/query` with `{"query": ..., "parameters"?: [...], "read_only"?: bool}`:
  201 with the rows as a JSON array of objects; 400 with `{"message": ...}` when the database
  refuses the SQL. `read_only: true` runs the query in a READ ONLY transaction.
- `Authorization: Bearer <token>` is required (401 otherwise); refs it does not serve are 404, refs
  listed as forbidden 403.

Tests make it fail on purpose with `queue(...)` (a canned status, body and headers, possibly after
a delay, or a dropped connection) and `status` (what GET answers, e.g. INACTIVE for a paused
project; a query to a paused project is then answered with 540, Supabase's documented status code
for a paused project). What the real service answers in each case is taken from its public
documentation and may differ in detail; that is why the client keys on status codes and the
project's `status`, not on message texts.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import psycopg
from psycopg.rows import dict_row

PATH = re.compile(r"^/v1/projects/(?P<ref>[^/]+)(?P<query>/database/query)?$")


@dataclass
class Canned:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False  # close the connection without an answer


@dataclass
class Seen:
    method: str
    path: str
    authorized: bool
    body: Any


class StandIn:
    """The stand-in server; `databases` maps a project ref to a conninfo of a local database."""

    def __init__(self, token: str, databases: dict[str, str] | None = None) -> None:
        self.token = token
        self.databases: dict[str, str] = dict(databases or {})
        self.forbidden: set[str] = set()
        self.status = "ACTIVE_HEALTHY"
        self.seen: list[Seen] = []
        self._canned: deque[Canned] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for the loop to notice, up to one interval.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> "StandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def queue(self, status: int = 200, body: Any = None, headers: dict[str, str] | None = None,
              times: int = 1, delay_s: float = 0.0, drop: bool = False) -> None:
        """Answer the next `times` requests with this, whatever they ask."""
        with self._lock:
            for _ in range(times):
                self._canned.append(Canned(status, body, dict(headers or {}), delay_s, drop))

    def reset(self) -> None:
        with self._lock:
            self._canned.clear()
            self.seen.clear()
        self.status = "ACTIVE_HEALTHY"
        self.forbidden.clear()

    def queries(self) -> list[str]:
        return [s.body["query"] for s in self.seen if s.method == "POST" and isinstance(s.body, dict)]

    def next_canned(self) -> Canned | None:
        with self._lock:
            return self._canned.popleft() if self._canned else None

    # -- the endpoints --------------------------------------------------------------------------

    def answer(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any, dict[str, str]]:
        authorized = headers.get("Authorization") == f"Bearer {self.token}"
        parsed = _json(body)
        self.seen.append(Seen(method, path, authorized, parsed))
        if not authorized:
            return 401, {"message": "Unauthorized"}, {}
        match = PATH.match(path)
        if match is None:
            return 404, {"message": "Cannot find the requested resource"}, {}
        ref = match["ref"]
        if ref in self.forbidden:
            return 403, {"message": "Your account does not have the necessary privileges to access this endpoint"}, {}
        if ref not in self.databases:
            return 404, {"message": f"Project {ref} not found"}, {}
        if match["query"] is None:
            if method != "GET":
                return 405, {"message": "Method not allowed"}, {}
            return 200, self.project(ref), {}
        if method != "POST":
            return 405, {"message": "Method not allowed"}, {}
        if self.status != "ACTIVE_HEALTHY":
            return 540, {"message": f"Project {ref} is paused"}, {}
        if not isinstance(parsed, dict) or not isinstance(parsed.get("query"), str) or not parsed["query"]:
            return 400, {"message": "query must be a non-empty string"}, {}
        return self.run(ref, parsed["query"], parsed.get("parameters") or [], bool(parsed.get("read_only")))

    def project(self, ref: str) -> dict[str, Any]:
        return {"id": ref, "ref": ref, "organization_id": "standinorg", "name": f"stand-in {ref}",
                "region": "local", "created_at": "2026-01-01T00:00:00Z", "status": self.status,
                "database": {"host": "127.0.0.1", "version": "stand-in"}}

    def run(self, ref: str, query: str, parameters: list[Any], read_only: bool) -> tuple[int, Any, dict[str, str]]:
        try:
            with psycopg.connect(self.databases[ref], autocommit=True) as conn, \
                    conn.transaction(force_rollback=read_only):
                if read_only:
                    conn.execute("set transaction read only")
                with conn.cursor(row_factory=dict_row) as cursor:
                    cursor.execute(query.encode("utf-8"), parameters or None)
                    rows = cursor.fetchall() if cursor.description else []
        except psycopg.Error as exc:
            return 400, {"message": f"Failed to run sql query: ERROR:  {str(exc).strip()}"}, {}
        return 201, rows, {}


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            canned = standin.next_canned()
            if canned is not None:
                standin.seen.append(Seen(method, self.path, True, _json(body)))
                time.sleep(canned.delay_s)
                if canned.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self._send(canned.status, canned.body, canned.headers)
                return
            status, payload, headers = standin.answer(method, self.path, self.headers, body)
            self._send(status, payload, headers)

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload, default=_plain).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body.decode("utf-8", errors="replace")


def _plain(value: Any) -> Any:
    """What the real endpoint's JSON gives for non-JSON types: text (numbers for numerics)."""
    if isinstance(value, (uuid.UUID, datetime.date, datetime.time, datetime.datetime, datetime.timedelta)):
        return str(value) if not hasattr(value, "isoformat") else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, memoryview)):
        return "\\x" + bytes(value).hex()
    return str(value)
