"""The link checker against a local HTTP server answering 200, 404, a redirect loop and a
hang: bounded time-outs, results recorded, broken links in the curators' queue."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from directory import curation_services, linkcheck
from directory.models import LinkCheck
from tests.conftest import sign_in
from tests.directory.factories import DraftServiceFactory, PublishedServiceFactory

HANG_SECONDS = 5


class Handler(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        Handler.requests += 1
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
        elif self.path == "/hang":
            time.sleep(HANG_SECONDS)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_client_tells_ok_missing_looping_hanging_and_unreachable_apart(site: str) -> None:
    results = linkcheck.check_all(
        {
            1: f"{site}/ok",
            2: f"{site}/missing",
            3: f"{site}/loop",
            4: f"{site}/hang",
            5: "http://127.0.0.1:1/",
        },
        timeout=0.5,
        concurrency=2,
        allow_private=True,  # the test's server is on this machine
    )
    assert results[1] == linkcheck.LinkResult(ok=True, status_code=200)
    assert results[2] == linkcheck.LinkResult(ok=False, status_code=404, error="HTTP 404")
    assert results[3] == linkcheck.LinkResult(ok=False, error="too many redirects")
    assert results[4] == linkcheck.LinkResult(ok=False, error="timed out")
    assert results[5].ok is False
    assert results[5].error


def test_hanging_sites_do_not_hold_up_the_rest_beyond_the_bound(site: str) -> None:
    # Four hangs, two at a time, 0.5 s each: two rounds of the time-out, far under the hang.
    began = time.monotonic()
    results = linkcheck.check_all(
        {n: f"{site}/hang" for n in range(4)}, timeout=0.5, concurrency=2, allow_private=True
    )
    assert all(r.error == "timed out" for r in results.values())
    assert time.monotonic() - began < HANG_SECONDS


def test_a_website_on_a_private_network_is_never_fetched(site: str) -> None:
    """A listing (or its redirect) pointing at the portal's own networks is refused before any
    request: the cloud metadata address, loopback, a private range."""
    Handler.requests = 0
    results = linkcheck.check_all(
        {1: f"{site}/ok", 2: "http://169.254.169.254/latest/meta-data/", 3: "http://10.0.0.1/"},
        timeout=0.5,
        concurrency=3,
    )
    assert {r.error for r in results.values()} == {"a private network address"}
    assert Handler.requests == 0


@pytest.mark.django_db
def test_the_run_records_each_result_and_queues_the_broken_ones(
    site: str, client: Client, curator, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LINK_CHECK_ALLOW_PRIVATE = True  # the test's server is on this machine
    fine = PublishedServiceFactory(website=f"{site}/ok")
    gone = PublishedServiceFactory(name="Gone away", website=f"{site}/missing")
    PublishedServiceFactory(website="")
    DraftServiceFactory(website=f"{site}/missing")  # drafts are not checked

    broken = curation_services.links_check(timeout=0.5, concurrency=4)

    assert broken == 1
    assert LinkCheck.objects.count() == 2
    assert LinkCheck.objects.get(service=fine).ok
    check = LinkCheck.objects.get(service=gone)
    assert (check.ok, check.status_code, check.error) == (False, 404, "HTTP 404")
    sign_in(client, curator)
    html = client.get("/staff/curation/").content.decode()
    assert "Broken links: 1" in html
    assert "Gone away" in html

    gone.website = f"{site}/ok"
    gone.save(update_fields=["website"])
    assert curation_services.links_check(timeout=0.5, concurrency=4) == 0
    assert LinkCheck.objects.count() == 2
