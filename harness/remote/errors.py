"""Why a remote audit could not be done. Every one is a `HarnessError` (exit 2): the harness could
not read the live project, which says nothing about the project's policies."""

from __future__ import annotations

from harness.findings import HarnessError


class RemoteError(HarnessError):
    """The Management API could not be used; the message says why and what to do."""


class MissingTokenError(RemoteError):
    pass


class AuthenticationError(RemoteError):  # 401
    pass


class AccessDeniedError(RemoteError):  # 403, 404
    pass


class ProjectPausedError(RemoteError):  # status INACTIVE / 540
    pass


class ProjectUnavailableError(RemoteError):  # coming up, restoring, upgrading, ...
    pass


class RateLimitedError(RemoteError):  # 429 after the bounded retries
    pass


class NetworkError(RemoteError):  # no connection, connection dropped, bad TLS
    pass


class RemoteTimeoutError(RemoteError):  # no answer in time, or the gateway's 544
    pass


class QueryFailedError(RemoteError):  # 400: the database refused the catalog query
    pass


class UnexpectedResponseError(RemoteError):  # a status or body the documented API does not give
    pass


class RefusedQueryError(RemoteError):
    """The client refused to send a query: not one of the read-only catalog queries it ships."""
