"""The Management API client against the STAND-IN server of standin.py (not the real service):
the documented request and response shapes, and a clear error for every failure users meet."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from harness.findings import ExitCode, HarnessError
from harness.remote import errors
from harness.remote.client import ManagementClient
from harness.remote.retry import RetryPolicy, retry_after_seconds

from .conftest import REF, TOKEN
from .standin import StandIn

FAST = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=5.0)


class Waits(list[float]):
    """A `sleep` that only records how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(standin: StandIn, token: str = TOKEN, **kwargs: Any) -> ManagementClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeout_s", 5.0)
    return ManagementClient(token, standin.url, **kwargs)


def refused(exc: BaseException) -> str:
    """The message, checked for the token (which must never be printed)."""
    text = str(exc)
    assert TOKEN not in text and TOKEN[4:] not in text
    assert isinstance(exc, HarnessError) and exc.exit_code == ExitCode.UNUSABLE
    return text


def test_a_query_is_posted_read_only_and_answers_rows(standin: StandIn) -> None:
    rows = client(standin).run_query(REF, "select current_setting('transaction_read_only') as ro, 1 as n")
    assert rows == [{"ro": "on", "n": 1}]
    [seen] = standin.seen
    assert (seen.method, seen.path, seen.authorized) == ("POST", f"/v1/projects/{REF}/database/query", True)
    assert seen.body == {"query": "select current_setting('transaction_read_only') as ro, 1 as n", "read_only": True}


def test_the_project_status_is_read_from_the_project(standin: StandIn) -> None:
    assert client(standin).require_active(REF) == "ACTIVE_HEALTHY"
    assert standin.seen[0].method == "GET" and standin.seen[0].path == f"/v1/projects/{REF}"


def test_a_bad_token_is_401_with_what_to_do(standin: StandIn) -> None:
    with pytest.raises(errors.AuthenticationError) as caught:
        client(standin, token="sbp_wrong").run_query(REF, "select 1")
    text = refused(caught.value)
    assert "401" in text and "SUPABASE_ACCESS_TOKEN" in text and "sbp_wrong" not in text
    assert len(standin.seen) == 1  # not retried


def test_no_access_to_the_project_is_403(standin: StandIn) -> None:
    standin.forbidden.add(REF)
    with pytest.raises(errors.AccessDeniedError) as caught:
        client(standin).run_query(REF, "select 1")
    assert "403" in refused(caught.value) and REF in str(caught.value)


def test_an_unknown_project_is_404(standin: StandIn) -> None:
    with pytest.raises(errors.AccessDeniedError) as caught:
        client(standin).require_active("zzzzzzzzzzzzzzzzzzzz")
    assert "was not found (404)" in refused(caught.value)


@pytest.mark.parametrize("status", ["INACTIVE", "PAUSING"])
def test_a_paused_project_is_named_before_any_query(standin: StandIn, status: str) -> None:
    standin.status = status
    with pytest.raises(errors.ProjectPausedError) as caught:
        client(standin).require_active(REF)
    text = refused(caught.value)
    assert "is paused" in text and "restore" in text


def test_a_query_to_a_paused_project_is_paused_too(standin: StandIn) -> None:
    standin.status = "INACTIVE"  # the stand-in then answers queries with 540, the platform's code
    with pytest.raises(errors.ProjectPausedError):
        client(standin).run_query(REF, "select 1")


def test_a_project_coming_up_is_not_ready(standin: StandIn) -> None:
    standin.status = "COMING_UP"
    with pytest.raises(errors.ProjectUnavailableError) as caught:
        client(standin).require_active(REF)
    assert "COMING_UP" in refused(caught.value)


def test_rate_limiting_is_retried_after_the_wait_the_server_asks_for(standin: StandIn) -> None:
    standin.queue(429, {"message": "Too many requests"}, {"Retry-After": "2"}, times=2)
    waits = Waits()
    assert client(standin, sleep=waits).run_query(REF, "select 7 as n") == [{"n": 7}]
    assert waits == [2.0, 2.0]
    assert len(standin.seen) == 3


def test_rate_limiting_without_retry_after_backs_off_exponentially(standin: StandIn) -> None:
    standin.queue(429, {"message": "Too many requests"}, times=2)
    waits = Waits()
    policy = RetryPolicy(attempts=3, base_delay_s=0.5, max_delay_s=5.0)
    assert client(standin, sleep=waits, retry=policy).run_query(REF, "select 1 as n") == [{"n": 1}]
    assert waits == [0.5, 1.0]


def test_rate_limiting_that_does_not_end_is_a_clear_error_after_bounded_tries(standin: StandIn) -> None:
    standin.queue(429, {"message": "Too many requests"}, {"Retry-After": "1"}, times=10)
    waits = Waits()
    with pytest.raises(errors.RateLimitedError) as caught:
        client(standin, sleep=waits).run_query(REF, "select 1")
    text = refused(caught.value)
    assert "429" in text and "after 3 tries" in text
    assert len(standin.seen) == 3 and waits == [1.0, 1.0]


def test_a_retry_after_longer_than_the_policy_allows_is_not_waited_for(standin: StandIn) -> None:
    standin.queue(429, {"message": "Too many requests"}, {"Retry-After": "3600"})
    waits = Waits()
    with pytest.raises(errors.RateLimitedError) as caught:
        client(standin, sleep=waits).run_query(REF, "select 1")
    assert "3600" in refused(caught.value)
    assert waits == [] and len(standin.seen) == 1


def test_retry_after_may_be_an_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds("soon") is None


def test_a_gateway_that_is_briefly_unavailable_is_retried(standin: StandIn) -> None:
    standin.queue(503, {"message": "Service Unavailable"}, times=2)
    assert client(standin, sleep=Waits()).run_query(REF, "select 1 as n") == [{"n": 1}]


def test_a_dropped_connection_is_retried_then_reported(standin: StandIn) -> None:
    standin.queue(drop=True)
    assert client(standin, sleep=Waits()).run_query(REF, "select 1 as n") == [{"n": 1}]
    standin.queue(drop=True, times=3)
    with pytest.raises(errors.NetworkError) as caught:
        client(standin, sleep=Waits()).run_query(REF, "select 1")
    assert "could not reach the Management API" in refused(caught.value)


def test_a_server_that_is_not_there_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = ManagementClient(TOKEN, f"http://127.0.0.1:{port}", retry=FAST, sleep=Waits())
    with pytest.raises(errors.NetworkError) as caught:
        gone.run_query(REF, "select 1")
    assert f"127.0.0.1:{port}" in refused(caught.value)
    assert gone.requests == FAST.attempts


def test_no_answer_in_time_is_a_timeout_and_is_not_retried(standin: StandIn) -> None:
    standin.queue(201, [], delay_s=1.0)
    slow = client(standin, timeout_s=0.2)
    with pytest.raises(errors.RemoteTimeoutError) as caught:
        slow.run_query(REF, "select 1")
    assert "HARNESS_SUPABASE_TIMEOUT" in refused(caught.value)
    assert slow.requests == 1


def test_the_platforms_gateway_timeout_is_a_timeout(standin: StandIn) -> None:
    standin.queue(544, {"message": "upstream timeout"})
    with pytest.raises(errors.RemoteTimeoutError):
        client(standin).run_query(REF, "select 1")


def test_sql_the_database_refuses_is_a_query_error_with_its_message(standin: StandIn) -> None:
    with pytest.raises(errors.QueryFailedError) as caught:
        client(standin).run_query(REF, "select * from pg_catalog.no_such_catalog")
    assert "no_such_catalog" in refused(caught.value) and "(400)" in str(caught.value)


def test_an_answer_that_is_not_the_documented_shape_is_unexpected(standin: StandIn) -> None:
    standin.queue(201, b"<html>proxy login</html>")
    with pytest.raises(errors.UnexpectedResponseError):
        client(standin).run_query(REF, "select 1")
    standin.queue(201, {"result": []})
    with pytest.raises(errors.UnexpectedResponseError):
        client(standin).run_query(REF, "select 1")


def test_a_redirect_is_not_followed_with_the_token(standin: StandIn) -> None:
    standin.queue(302, {}, {"Location": "http://127.0.0.1:9/steal"})
    with pytest.raises(errors.UnexpectedResponseError) as caught:
        client(standin).run_query(REF, "select 1")
    assert "302" in refused(caught.value)
    assert len(standin.seen) == 1


def test_a_message_that_echoes_the_token_is_redacted(standin: StandIn) -> None:
    standin.queue(400, {"message": f"bad request from {TOKEN}"})
    with pytest.raises(errors.QueryFailedError) as caught:
        client(standin).run_query(REF, "select 1")
    assert "[redacted]" in refused(caught.value)


def test_the_token_comes_from_the_environment_only() -> None:
    with pytest.raises(errors.MissingTokenError) as caught:
        ManagementClient.from_environment({})
    assert "SUPABASE_ACCESS_TOKEN" in str(caught.value)
    made = ManagementClient.from_environment({"SUPABASE_ACCESS_TOKEN": TOKEN})
    assert made.base_url == "https://api.supabase.com"
    assert TOKEN not in repr(made) and TOKEN not in str(vars(made).get("base_url"))


def test_the_api_url_can_point_at_a_stand_in_on_this_machine_only() -> None:
    local = ManagementClient.from_environment({"SUPABASE_ACCESS_TOKEN": TOKEN,
                                               "HARNESS_SUPABASE_API_URL": "http://127.0.0.1:8000/"})
    assert local.base_url == "http://127.0.0.1:8000"
    with pytest.raises(errors.RemoteError, match="https://"):
        ManagementClient.from_environment({"SUPABASE_ACCESS_TOKEN": TOKEN,
                                           "HARNESS_SUPABASE_API_URL": "http://api.example.com"})


@pytest.mark.parametrize("ref", ["short", "ABCDEFGHIJKLMNOPQRST", "abcdefghijklmnopqrs/", "../../v1/projects"])
def test_a_malformed_project_ref_is_refused_before_any_request(standin: StandIn, ref: str) -> None:
    with pytest.raises(errors.RemoteError, match="not a Supabase project ref"):
        client(standin).run_query(ref, "select 1")
    assert standin.seen == []
