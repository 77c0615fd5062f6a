"""The one error path: an unexpected exception anywhere answers with the app's error page (or
a problem under /api), every security header, and a request id that is logged and shown."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.errors import PROBLEM_JSON, REQUEST_ID_HEADER
from tests.security.test_headers import header_problems


class Boom(Exception):
    pass


def _app_that_fails(app: FastAPI) -> FastAPI:
    def boom() -> None:
        raise Boom("the database went away")

    for path in ("/boom", "/api/v1/boom"):
        app.add_api_route(path, boom, methods=["GET", "POST"], openapi_extra={"x-roles": "public"})
    return app


@pytest.fixture
def failing(app: FastAPI):
    with TestClient(_app_that_fails(app), follow_redirects=False) as client:
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
        yield client


def test_an_unexpected_error_renders_the_error_page_with_the_headers_and_a_request_id(
    failing: TestClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.ERROR, logger="app.errors"):
        response = failing.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert header_problems(response, "/boom") == []
    request_id = response.headers[REQUEST_ID_HEADER]
    assert len(request_id) >= 8
    assert request_id in response.text  # shown to the user, to quote to support
    assert "Er ging iets mis" in response.text
    assert "the database went away" not in response.text  # no internals shown
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged, "the exception is logged with the request id"
    assert logged[0].exc_info is not None
    assert logged[0].exc_info[0] is Boom


def test_an_unexpected_error_under_the_api_is_a_problem(failing: TestClient):
    response = failing.post("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert header_problems(response, "/api/v1/boom") == []
    body = response.json()
    assert body["status"] == 500
    assert body["request_id"] == response.headers[REQUEST_ID_HEADER]


def test_every_response_carries_a_request_id(anon: TestClient):
    first = anon.get("/login").headers[REQUEST_ID_HEADER]
    second = anon.get("/login").headers[REQUEST_ID_HEADER]
    assert first != second
    assert REQUEST_ID_HEADER in anon.get("/no-such-page").headers
