"""SecurityMiddleware on a small app of its own: the CSRF cookie, one-shot flash messages
and the headers it adds or leaves to the route."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.testclient import TestClient

from app.cookies import CSRF_COOKIE, FLASH_COOKIE
from app.middleware import CSP, SecurityMiddleware, flash


def make_app(*, https: bool = False) -> FastAPI:
    app = FastAPI()
    app.add_middleware(SecurityMiddleware, https=https, secret_key="test-secret")

    @app.get("/page")
    def page(request: Request) -> JSONResponse:
        state = request.state
        return JSONResponse({"flashes": state.flashes, "csrf": state.csrf_token})

    @app.get("/save")
    def save() -> Response:
        response = RedirectResponse("/page", 303)
        flash(response, "Saved.")
        return response

    @app.get("/again")
    def again() -> Response:  # a page that shows a flash and sets a new one
        response = JSONResponse({})
        flash(response, "Again.")
        return response

    @app.get("/own-headers")
    def own_headers() -> Response:
        return Response(headers={"Cache-Control": "private", "Content-Security-Policy": "x"})

    @app.get("/api/thing")
    def api_thing() -> dict[str, str]:
        return {}

    @app.get("/static/file.css")
    def static_file() -> Response:
        return Response("", media_type="text/css")

    return app


@pytest.mark.nodb
def test_a_visitor_without_csrf_cookie_gets_one_and_the_page_sees_it():
    with TestClient(make_app(), follow_redirects=False) as client:
        response = client.get("/page")
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{CSRF_COOKIE}=")
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Secure" not in cookie
        assert response.json()["csrf"] == client.cookies[CSRF_COOKIE]
        again = client.get("/page")  # the cookie is sent back: kept, not replaced
        assert "set-cookie" not in again.headers
        assert again.json()["csrf"] == client.cookies[CSRF_COOKIE]


@pytest.mark.nodb
def test_machine_clients_of_the_api_get_no_cookie():
    with TestClient(make_app()) as client:
        assert "set-cookie" not in client.get("/api/thing").headers


@pytest.mark.nodb
def test_a_flash_message_shows_once():
    with TestClient(make_app(), follow_redirects=False) as client:
        client.get("/page")
        saved = client.get("/save")
        assert saved.status_code == 303
        assert FLASH_COOKIE in client.cookies
        shown = client.get("/page")
        assert shown.json()["flashes"] == ["Saved."]
        assert f'{FLASH_COOKIE}=""' in shown.headers["set-cookie"]  # deleted
        assert "Max-Age=0" in shown.headers["set-cookie"]
        assert FLASH_COOKIE not in client.cookies
        assert client.get("/page").json()["flashes"] == []


@pytest.mark.nodb
def test_a_new_flash_is_not_deleted_by_the_old_one():
    with TestClient(make_app(), follow_redirects=False) as client:
        client.get("/page")
        client.get("/save")
        response = client.get("/again")
        assert not [c for c in response.headers.get_list("set-cookie") if "Max-Age=0" in c]
        assert client.get("/page").json()["flashes"] == ["Again."]


@pytest.mark.nodb
def test_security_headers_and_what_a_route_sets_itself():
    with TestClient(make_app()) as client:
        page = client.get("/page").headers
        assert page["content-security-policy"] == CSP
        assert page["x-content-type-options"] == "nosniff"
        assert page["referrer-policy"] == "same-origin"
        assert page["x-frame-options"] == "DENY"
        assert page["cross-origin-opener-policy"] == "same-origin"
        assert page["cache-control"] == "no-store"
        assert "strict-transport-security" not in page
        own = client.get("/own-headers").headers
        assert (own["cache-control"], own["content-security-policy"]) == ("private", "x")
        assert client.get("/static/file.css").headers["cache-control"] == "public, max-age=3600"


@pytest.mark.nodb
def test_https_adds_hsts_and_a_secure_cookie():
    with TestClient(make_app(https=True), base_url="https://testserver") as client:
        response = client.get("/page")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "Secure" in response.headers["set-cookie"]
