"""A thin client of the Supabase Management API: the project's status, and one SQL query.

`POST /v1/projects/{ref}/database/query` takes `{"query": ..., "read_only": true}` and answers
201 with the result rows as a JSON array of objects; `GET /v1/projects/{ref}` answers the project,
whose `status` is `ACTIVE_HEALTHY` when its database can be queried. Every other answer becomes a
`RemoteError` whose message says what is wrong and what to do. The token comes only from the
environment, is sent only in the `Authorization` header, and never appears in a message.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlsplit

from harness import __version__
from harness.remote import errors
from harness.remote.retry import RetryPolicy, retry_after_seconds

TOKEN_ENV = "SUPABASE_ACCESS_TOKEN"
API_URL_ENV = "HARNESS_SUPABASE_API_URL"
TIMEOUT_ENV = "HARNESS_SUPABASE_TIMEOUT"
DEFAULT_API_URL = "https://api.supabase.com"
DEFAULT_TIMEOUT_S = 60.0
TOKENS_PAGE = "https://supabase.com/dashboard/account/tokens"

# The Management API's project refs: 20 lower-case letters (its OpenAPI pattern).
PROJECT_REF = re.compile(r"[a-z]{20}")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Worth another try: the rate limit, and a gateway or service that is briefly unavailable.
TRANSIENT_STATUSES = (429, 502, 503, 504)
PROJECT_PAUSED = 540  # Supabase's platform code for a paused project
GATEWAY_TIMEOUT = 544  # Supabase's platform code for a request over the project's time limit
PAUSED_STATUSES = ("INACTIVE", "PAUSING", "PAUSE_FAILED")
READY_STATUSES = ("ACTIVE_HEALTHY", "ACTIVE_UNHEALTHY")

Sleep = Callable[[float], None]
DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def message(self) -> str:
        """The API's own words: `message` (or `error`) of a JSON body, else the text itself."""
        text = self.body.decode("utf-8", errors="replace").strip()
        try:
            data = json.loads(text)
        except ValueError:
            return text[:500]
        if isinstance(data, dict):
            for key in ("message", "error", "msg"):
                if isinstance(data.get(key), str):
                    return str(data[key])
        return text[:500]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the bearer token to wherever it points: treat it as an answer."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_project_ref(ref: str) -> str:
    if not PROJECT_REF.fullmatch(ref or ""):
        raise errors.RemoteError(
            f"--project-ref {ref!r} is not a Supabase project ref: it is the 20 lower-case letters of the "
            "project's URL (https://<ref>.supabase.co), also shown in Project Settings > General"
        )
    return ref


def check_api_url(url: str) -> str:
    """https:// anywhere; plain http:// only to this machine (a stand-in server), never a token in clear."""
    parts = urlsplit(url)
    loopback = parts.hostname in LOOPBACK_HOSTS
    if parts.hostname and (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        return url.rstrip("/")
    raise errors.RemoteError(
        f"{API_URL_ENV}={url!r}: the Management API URL must be https://host (http:// only for a server "
        "on this machine): the access token goes with every request"
    )


class ManagementClient:
    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_API_URL,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Sleep = time.sleep,
    ) -> None:
        if not token.strip():
            raise _missing_token()
        self._token = token.strip()
        self.base_url = check_api_url(base_url)
        self.timeout_s = timeout_s
        self.retry = retry
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect())
        self.requests = 0  # how many HTTP requests were sent (retries included)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> ManagementClient:
        env = os.environ if environ is None else environ
        token = env.get(TOKEN_ENV, "")
        if not token.strip():
            raise _missing_token()
        timeout = env.get(TIMEOUT_ENV)
        if timeout:
            try:
                kwargs.setdefault("timeout_s", float(timeout))
            except ValueError:
                raise errors.RemoteError(f"{TIMEOUT_ENV}={timeout!r}: give a number of seconds") from None
        return cls(token, env.get(API_URL_ENV) or DEFAULT_API_URL, **kwargs)

    def __repr__(self) -> str:  # never the token
        return f"ManagementClient({self.base_url!r})"

    # -- the two calls ------------------------------------------------------------------------

    def project_status(self, ref: str) -> str:
        """The project's `status` (ACTIVE_HEALTHY, INACTIVE, COMING_UP, ...)."""
        response = self._request("GET", f"/v1/projects/{quote(check_project_ref(ref))}", None, ref, "read")
        data = self._json(response, "the project")
        status = data.get("status") if isinstance(data, dict) else None
        if not isinstance(status, str):
            raise errors.UnexpectedResponseError(
                f"the Management API's answer for project {ref} has no status; is {API_URL_ENV} the Management API?"
            )
        return status

    def require_active(self, ref: str) -> str:
        """The project's status when its database can answer; a clear error when it cannot."""
        status = self.project_status(ref)
        if status in PAUSED_STATUSES:
            raise paused(ref, f"status {status}")
        if status not in READY_STATUSES:
            raise errors.ProjectUnavailableError(
                f"project {ref} cannot answer queries now (status {status}); wait until the dashboard shows it "
                "active (ACTIVE_HEALTHY) and run again"
            )
        return status

    def run_query(self, ref: str, query: str, *, read_only: bool = True) -> list[dict[str, Any]]:
        """The rows of one query, run by the Management API on the project's database."""
        path = f"/v1/projects/{quote(check_project_ref(ref))}/database/query"
        response = self._request("POST", path, {"query": query, "read_only": read_only}, ref, "query the database")
        rows = self._json(response, "a query")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise errors.UnexpectedResponseError(
                f"the Management API answered a query of project {ref} with something other than a list of rows"
            )
        return rows

    # -- HTTP ----------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, Any] | None, ref: str, action: str) -> Response:
        waited = 0.0
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                response = self._send(method, path, body)
            except errors.NetworkError:
                if last:
                    raise
                delay: float | None = self.retry.backoff(attempt)
            else:
                if response.status not in TRANSIENT_STATUSES:
                    return self._checked(response, ref, action)
                delay = self._delay(response, attempt)
            if delay is None or last:
                raise self._exhausted(response, ref, attempt, waited)
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, response: Response, attempt: int) -> float | None:
        """The wait before the next try; None when the server asks for more than the policy allows."""
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return self.retry.backoff(attempt)
        return asked if asked <= self.retry.max_delay_s else None

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> Response:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self._token}")
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", f"harness/{__version__} (remote audit)")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout_s) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return Response(exc.code, dict(exc.headers.items()) if exc.headers else {}, exc.read())
        except TimeoutError:  # socket.timeout is TimeoutError
            raise self._timeout() from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timeout() from None
            raise self._network(exc.reason) from None
        except (http.client.HTTPException, ConnectionError, ssl.SSLError, OSError) as exc:
            raise self._network(exc) from None

    def _json(self, response: Response, what: str) -> Any:
        try:
            return json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise errors.UnexpectedResponseError(
                f"the Management API's answer to {what} is not JSON (HTTP {response.status}); "
                f"is {API_URL_ENV} the Management API?"
            ) from None

    # -- what each failure means -----------------------------------------------------------------

    def _checked(self, response: Response, ref: str, action: str) -> Response:
        status = response.status
        if 200 <= status < 300:
            return response
        said = self._redact(response.message())
        told = f" (the API said: {said})" if said else ""
        if status == 401:
            raise errors.AuthenticationError(
                f"the Management API refused the access token in {TOKEN_ENV} (401){told}: it is wrong, expired "
                f"or revoked. Create a personal access token at {TOKENS_PAGE} and export it as {TOKEN_ENV}"
            )
        if status == 403:
            raise errors.AccessDeniedError(
                f"the access token in {TOKEN_ENV} may not {action} of project {ref} (403){told}: use a token of "
                "an account that is a member of the project's organisation, with access to its database"
            )
        if status == 404:
            raise errors.AccessDeniedError(
                f"project {ref} was not found (404){told}: check the ref, and that the account of the token in "
                f"{TOKEN_ENV} can see the project"
            )
        if status == PROJECT_PAUSED or _mentions_pause(said):
            raise paused(ref, f"HTTP {status}")
        if status == GATEWAY_TIMEOUT:
            raise errors.RemoteTimeoutError(
                f"project {ref} did not finish a catalog query within its time limit (544){told}; try again when "
                "the project is less busy"
            )
        if status == 400:
            raise errors.QueryFailedError(f"the database of project {ref} refused a catalog query (400){told}")
        raise errors.UnexpectedResponseError(
            f"the Management API answered HTTP {status} for project {ref}{told}; try again later, and check "
            "https://status.supabase.com"
        )

    def _exhausted(self, response: Response, ref: str, attempts: int, waited: float) -> errors.RemoteError:
        said = self._redact(response.message())
        told = f" (the API said: {said})" if said else ""
        tries = f"after {attempts} tr{'y' if attempts == 1 else 'ies'} over {waited:.1f} s"
        if response.status == 429:
            asked = response.headers.get("Retry-After")
            hint = f"; it asks to wait {asked} s" if asked else ""
            return errors.RateLimitedError(
                f"the Management API is rate limiting this token (429) {tries}{hint}{told}: wait a minute and run "
                "again, or run fewer Management API clients with the same token at once"
            )
        if response.status == 504:
            return errors.RemoteTimeoutError(
                f"the Management API's gateway timed out (504) {tries} for project {ref}{told}; try again later"
            )
        return errors.UnexpectedResponseError(
            f"the Management API is unavailable (HTTP {response.status}) {tries}{told}; try again later, and "
            "check https://status.supabase.com"
        )

    def _timeout(self) -> errors.RemoteTimeoutError:
        return errors.RemoteTimeoutError(
            f"the Management API at {self.base_url} did not answer within {self.timeout_s:g} s; try again, or "
            f"allow longer with {TIMEOUT_ENV}=SECONDS"
        )

    def _network(self, reason: object) -> errors.NetworkError:
        text = self._redact(str(reason)) or type(reason).__name__
        return errors.NetworkError(
            f"could not reach the Management API at {self.base_url}: {text}. Check the network (and a proxy "
            f"in HTTPS_PROXY), or {API_URL_ENV} if you set it"
        )

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "[redacted]") if self._token else text


def paused(ref: str, how: str) -> errors.ProjectPausedError:
    return errors.ProjectPausedError(
        f"project {ref} is paused ({how}): restore it in the dashboard (Project > Restore project), wait until "
        "it is active, and run again. The harness never restores or wakes a project itself"
    )


def _mentions_pause(message: str) -> bool:
    return re.search(r"\b(paused|inactive)\b", message, re.IGNORECASE) is not None


def _missing_token() -> errors.MissingTokenError:
    return errors.MissingTokenError(
        f"{TOKEN_ENV} is not set: the remote audit reads the live project through the Supabase Management API "
        f"with a personal access token. Create one at {TOKENS_PAGE} and export it (it is read from the "
        "environment only, never from a flag or a file)"
    )
