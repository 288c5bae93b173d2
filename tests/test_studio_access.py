"""Who can use the studio: --listen needs a password; no session, no token or another origin is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from bot.cli import main
from tests.studio_fixture import StudioThread, temp_studio

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def studio() -> Iterator[StudioThread]:
    running, tmp = temp_studio(password=PASSWORD)
    with tmp, running:
        yield running


def client(studio: StudioThread) -> httpx.Client:
    return httpx.Client(base_url=studio.url, follow_redirects=False, timeout=30)


def logged_in(studio: StudioThread) -> tuple[httpx.Client, str]:
    """A client with a session and the page's XSRF token."""
    c = client(studio)
    token = xsrf(c)
    response = c.post("/login", data={"name": "Ana", "password": PASSWORD, "_xsrf": token})
    assert response.status_code == 302, response.text
    c.get("/")
    return c, c.cookies["_xsrf"]


def xsrf(c: httpx.Client) -> str:
    page = c.get("/login").text
    found = re.search(r'name="_xsrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_listen_without_a_password_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("FAQBOT_STUDIO_PASSWORD", raising=False)
    assert main(["studio", "--listen", "0.0.0.0"]) == 2
    assert capsys.readouterr().err == ("faqbot studio: --listen makes the studio reachable from other computers; set "
                                       "FAQBOT_STUDIO_PASSWORD to the staff password first\n")


def test_without_a_session_pages_go_to_the_login_and_the_api_is_refused(studio: StudioThread) -> None:
    c = client(studio)
    assert c.get("/").headers["Location"] == "/login"
    response = c.get("/api/topics")
    assert (response.status_code, response.json()) == (401, {"ok": False, "error": "Log in first."})


def test_a_post_without_the_page_token_is_refused(studio: StudioThread) -> None:
    c, _ = logged_in(studio)
    response = c.post("/api/save", json={"edits": []})
    assert response.status_code == 403
    assert response.json()["error"] == ("Forbidden: this request did not come from a studio page (its security token "
                                         "is missing).")


def test_a_wrong_password_gives_no_session(studio: StudioThread) -> None:
    c = client(studio)
    response = c.post("/login", data={"name": "Eve", "password": "guess", "_xsrf": xsrf(c)})
    assert response.status_code == 401
    assert "That name or password is not right." in response.text
    assert "faqbot_studio" not in c.cookies
    assert c.get("/api/topics").status_code == 401


def test_the_session_cookie_is_signed_http_only_and_same_site_strict(studio: StudioThread) -> None:
    c = client(studio)
    response = c.post("/login", data={"name": "Ana", "password": PASSWORD, "_xsrf": xsrf(c)})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("faqbot_studio=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    c.cookies.set("faqbot_studio", "Eve")  # a cookie not signed by the studio
    assert c.get("/api/topics").status_code == 401


def test_with_a_session_and_the_token_the_api_answers(studio: StudioThread) -> None:
    c, token = logged_in(studio)
    assert c.get("/api/topics").json()["ok"]
    response = c.post("/api/try", json={"text": "How can I bring my family to the Netherlands?", "edits": []},
                      headers={"X-XSRFToken": token})
    assert response.json()["result"]["intent"] == "family_reunification"


def test_a_post_from_another_origin_is_refused_even_with_session_and_token(studio: StudioThread) -> None:
    c, token = logged_in(studio)
    response = c.post("/api/save", json={"edits": []},
                      headers={"X-XSRFToken": token, "Origin": "http://evil.example"})
    assert response.status_code == 403
    assert "only the studio's own pages" in response.text


def test_another_host_name_is_refused(studio: StudioThread) -> None:
    response = client(studio).get("/login", headers={"Host": "evil.example"})
    assert response.status_code == 403
    assert response.text.startswith("Forbidden: the studio only answers at its own address")
