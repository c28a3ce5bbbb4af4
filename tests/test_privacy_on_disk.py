"""Nothing of a parent's visit reaches a disk (DESIGN.md privacy rule 8; issue 8, item 1).

A whole get-help journey with a distinctive postcode, a saved list emailed, then exit. Then
every file under the session store's Redis directory, its log, and PostgreSQL's data
directory is read, and the logs the portal wrote: none holds the postcode, the session or
the answers. A directory that cannot be read fails the test with the reason; it never skips.
"""

import logging
import os
import random
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection
from django.test import Client

from alliance.session_store import persistence, session_store_url
from tests.directory.factories import PublishedServiceFactory

pytestmark = pytest.mark.django_db

LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}
CHUNK = 1 << 20


def distinctive_postcode() -> str:
    """A real-looking Shetland postcode, new each run, so an old leak cannot pass for a new one."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"ZE{random.randint(1, 3)} {random.randint(0, 9)}{''.join(random.sample(letters, 2))}"  # noqa: S311


def refuse(reason: str) -> None:
    pytest.fail(
        f"Cannot check the disk: {reason}. Run the tests with local servers this user can read."
    )


def redis_files() -> list[Path]:
    url = urlsplit(session_store_url())
    if (url.hostname or "") not in LOCAL_HOSTS:
        refuse(f"the session store {url.hostname} is not on this machine")
    client = redis.Redis.from_url(session_store_url(), decode_responses=True)
    found = [Path(client.config_get("dir")["dir"])]
    logfile = client.config_get("logfile")["logfile"]
    client.close()
    if logfile:
        found.append(Path(found[0], logfile))  # a relative logfile is under dir
    return found


def postgres_files() -> list[Path]:
    host = connection.settings_dict["HOST"] or ""
    if host not in LOCAL_HOSTS and not host.startswith("/"):
        refuse(f"PostgreSQL on {host} is not on this machine")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory')")
        (data_directory,) = cursor.fetchone()
    return [Path(data_directory)]


def every_file(places: list[Path]) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        refuse(f"{error.filename}: {error.strerror}")

    for place in places:
        if place.is_file():
            yield place
            continue
        if not place.is_dir():
            refuse(f"{place} does not exist")
        for folder, _dirs, names in os.walk(place, onerror=unreadable):
            for name in names:
                path = Path(folder, name)
                if path.is_file():  # not a server's socket (pgserver keeps it in its data)
                    yield path


def files_holding(places: list[Path], markers: list[bytes]) -> list[tuple[str, str]]:
    overlap = max(len(marker) for marker in markers)
    found = []
    for path in every_file(places):
        try:
            with path.open("rb") as file:
                tail = b""
                while chunk := file.read(CHUNK):
                    window = tail + chunk
                    found += [(str(path), m.decode()) for m in markers if m in window]
                    tail = window[-overlap:]
        except FileNotFoundError:
            continue  # a server's temporary file, gone between listing and reading
        except PermissionError as error:
            refuse(f"{path}: {error.strerror}")
    return sorted(set(found))


def test_a_parents_visit_leaves_nothing_on_disk_or_in_the_logs(
    client: Client, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    postcode = distinctive_postcode()
    email = f"parent.{random.randint(10**8, 10**9)}@example.com"  # noqa: S311
    service = PublishedServiceFactory(name="Family mediation")
    answers = {
        "danger": {"answer": "no"},
        "safety": {"answer": ["me", "children"]},
        "own-behaviour": {"answer": "not_sure"},
        "needs": {"answer": ["arrangements", "legal"]},
        "ages": {"answer": "3, 7"},
        "postcode": {"answer": postcode.lower().replace(" ", "")},
        "modes": {"answer": ["phone"]},
    }

    for slug, data in answers.items():
        assert client.post(f"/get-help/{slug}/", data).status_code == 302, slug
    assert client.get("/get-help/check-your-answers/").status_code == 200
    assert client.get("/get-help/your-results/").status_code == 200
    assert client.get("/services/", {"q": "mediation", "postcode": postcode}).status_code == 200
    client.post("/services/my-list/add/", {"service": service.pk})
    client.get("/services/my-list/")
    token = client.session["my_list_email_token"]
    sent = client.post("/services/my-list/email/", {"email": email, "token": token})
    assert sent.status_code == 302
    session_key = client.session.session_key
    assert session_key
    # The answers did pass through the session store, so finding none on disk means something.
    store = redis.Redis.from_url(session_store_url())
    in_memory = [store.get(key) or b"" for key in store.scan_iter(f"*{session_key}")]
    store.close()
    assert any(postcode.encode() in value for value in in_memory)
    assert client.get("/exit/").status_code == 302

    markers = [
        postcode.encode(),
        postcode.replace(" ", "").encode(),
        postcode.lower().replace(" ", "").encode(),
        session_key.encode(),
    ]
    assert files_holding(redis_files(), [*markers, b"own-behaviour", email.encode()]) == []
    assert files_holding(postgres_files(), [*markers, b"own-behaviour"]) == []
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    for marker in [*markers, email.encode()]:
        assert marker.decode() not in logs
    # A snapshot schedule would write the sessions within the hour, after this test has gone.
    assert persistence() == []
