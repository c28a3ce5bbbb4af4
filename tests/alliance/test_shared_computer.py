"""A shared family computer (issue 8, item 6): the visit ends with the browser and leaves no
trace in cookies, form history or the access log."""

import logging
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.contrib.sessions.backends.cache import KEY_PREFIX
from django.core.cache import cache
from django.db import connection
from django.test import Client

from alliance.session_store import session_store_url
from tests.conftest import ROOT, sign_in
from tests.support.dev_script import dev_script
from tests.support.redis_server import free_port

pytestmark = pytest.mark.django_db
EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"


def seconds_left(client: Client) -> int:
    store = redis.Redis.from_url(session_store_url())
    try:
        return int(store.ttl(cache.make_key(KEY_PREFIX + client.session.session_key)))
    finally:
        store.close()


def test_the_session_cookie_ends_when_the_browser_closes(client: Client) -> None:
    response = client.post("/get-help/danger/", {"answer": "no"})

    cookie = response.cookies["sessionid"]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_the_server_forgets_a_parent_after_thirty_idle_minutes_and_each_visit_restarts_it(
    client: Client,
) -> None:
    client.post("/get-help/danger/", {"answer": "no"})
    assert 1790 < seconds_left(client) <= 1800

    store = redis.Redis.from_url(session_store_url())
    store.expire(cache.make_key(KEY_PREFIX + client.session.session_key), 60)
    store.close()
    assert seconds_left(client) <= 60
    client.get("/get-help/safety/")

    assert 1790 < seconds_left(client) <= 1800


def test_staff_sessions_idle_out_after_two_hours_with_a_browser_session_cookie(
    client: Client, fca
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, fca)
    response = client.get("/referrals/")

    assert response.status_code == 200
    assert 7190 < seconds_left(client) <= 7200
    assert client.cookies["sessionid"]["expires"] == ""


def test_the_csrf_cookie_ends_with_the_browser_session(client: Client) -> None:
    response = client.get("/get-help/danger/")

    cookie = response.cookies["csrftoken"]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_messages_stay_in_the_session_not_in_a_cookie(client: Client) -> None:
    from tests.directory.factories import PublishedServiceFactory

    response = client.post("/services/my-list/add/", {"service": PublishedServiceFactory().pk})
    page = client.get("/services/my-list/")

    assert "messages" not in response.cookies
    assert "messages" not in client.cookies
    assert "Saved to your list." in page.content.decode()


def test_exit_expires_every_cookie_the_portal_set(client: Client) -> None:
    client.post("/get-help/danger/", {"answer": "no"})
    client.get("/get-help/safety/")  # a form: sets csrftoken
    client.cookies["messages"] = "a message a browser kept from an older visit"
    assert {"sessionid", "csrftoken", "messages"} <= set(client.cookies)

    response = client.get("/exit/")

    assert response.status_code == 302
    for name in ("sessionid", "csrftoken", "messages"):
        cookie = response.cookies[name]
        assert cookie.value == "", name
        assert cookie["expires"] == EPOCH, name
        assert cookie["max-age"] == 0, name
        assert cookie["path"] == "/", name
    assert '"cookies"' in response["Clear-Site-Data"]


def postcode_input(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, html[:500]
    return found.group(0)


def test_postcode_fields_do_not_ask_the_browser_to_remember_them(client: Client) -> None:
    for slug, data in [
        ("danger", {"answer": "no"}),
        ("safety", {"answer": ["none"]}),
        ("own-behaviour", {"answer": "no"}),
        ("needs", {"answer": ["arrangements"]}),
        ("ages", {"answer": ""}),
    ]:
        client.post(f"/get-help/{slug}/", data)

    fields = [
        postcode_input(client.get("/get-help/postcode/").content.decode(), "answer"),
        postcode_input(client.get("/services/").content.decode(), "postcode"),
        postcode_input(client.get("/services/?postcode=LE1").content.decode(), "postcode"),
        postcode_input(client.get("/").content.decode(), "postcode"),
    ]

    for field in fields:
        assert 'autocomplete="off"' in field, field


def test_the_access_log_names_the_route_never_the_path_or_query(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    client.get("/get-help/emergency/", {"postcode": "ZE1 0AA"})
    client.get("/get-help/not-a-step/")
    client.get("/no-such-page/", {"postcode": "ZE1 0AA"})

    access = [r.getMessage() for r in caplog.records if r.name == "alliance.access"]
    assert re.fullmatch(r"GET referrals:get-help-emergency 200 \d+ms", access[0])
    assert re.fullmatch(r"GET referrals:get-help-step 404 \d+ms", access[1])
    assert re.fullmatch(r"GET - 404 \d+ms", access[2])
    assert "Not Found: referrals:get-help-step" in caplog.text
    assert "/get-help/" not in caplog.text
    assert "emergency/" not in caplog.text
    assert "ZE1" not in caplog.text
    assert "no-such-page" not in caplog.text


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_as_make_run_starts_it_logs_route_names_only(tmp_path: Path) -> None:
    db = connection.settings_dict
    port = free_port()
    log = tmp_path / "web.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}",
    }
    with log.open("wb") as output:
        web = subprocess.Popen(
            dev_script().web_command(port), cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:

            def get(path: str) -> int:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
                        return int(answer.status)
                except urllib.error.HTTPError as refused:
                    return refused.code

            for _ in range(150):
                try:
                    get("/robots.txt")
                    break
                except urllib.error.URLError:
                    time.sleep(0.1)
            assert get("/get-help/emergency/?postcode=ZE1+0AA") == 200
            assert get("/services/?q=refuge&postcode=ZE10AA") == 200
        finally:
            web.terminate()
            web.wait(timeout=30)

    written = log.read_text()
    assert re.search(r"GET referrals:get-help-emergency 200 \d+ms", written), written
    assert re.search(r"GET directory:search 200 \d+ms", written), written
    for secret in ("/get-help/", "emergency/", "ZE1", "postcode", "refuge"):
        assert secret not in written, secret


@pytest.mark.parametrize("path", ["Dockerfile", "compose.yaml"])
def test_the_deployed_gunicorn_keeps_no_access_log_of_its_own(path: str) -> None:
    text = (ROOT / path).read_text()

    assert "gunicorn alliance.wsgi" in text
    assert "--access-logfile" not in text
    assert "access-log" not in text
